import * as z from 'zod';

/** How a profile's requests authenticate: an API key from an environment variable, a device-flow login (`orbit login --profile NAME`), or nothing (local servers). */
export type ProfileAuth = { type: 'env'; variable: string } | { type: 'login' } | { type: 'none' };

/** A provider profile: where the model is, how to sign in, which models, what they cost. */
export interface Profile {
	/** Default: the OpenAI API. */
	baseUrl?: string;
	/** Default: `{ type: 'none' }` (no key is ever sent to a profile's server unless it says which). */
	auth?: ProfileAuth;
	model?: string;
	/** Tried in order when the model fails after its retries (see `createFallbackModel`). */
	fallbackModels?: string[];
	/** US dollars per million tokens, by model name. */
	prices?: Record<string, { input: number; output: number }>;
}

/** A named device-flow preset (`orbit login --preset NAME`): an issuer (OpenID discovery), or both endpoints. */
export type { LoginPreset } from './auth/presets.ts';

/** Profile and preset names: a letter or digit, then letters, digits, `.`, `_`, `-` (at most 64). */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const nameError = 'names must start with a letter or digit and hold only letters, digits, ".", "_" and "-"';

function unknownKeys(known: string, fallback: string) {
	return (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `has no ${(issue.keys ?? []).map((key) => JSON.stringify(key)).join(', ')}; use ${known}` : fallback);
}

const url = (example: string) => z.url({ error: `must be a URL such as ${example}` });
const modelName = z.string({ error: 'must be a model name' }).min(1, { error: 'must be a model name' });
const dollars = z.number({ error: 'must be US dollars per million tokens' }).nonnegative({ error: 'must not be negative' });

const authSchema = z.discriminatedUnion(
	'type',
	[
		z.object({ type: z.literal('env'), variable: z.string({ error: 'must name an environment variable' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must name an environment variable, e.g. "WORK_KEY"' }) }).strict(),
		z.object({ type: z.literal('login') }).strict(),
		z.object({ type: z.literal('none') }).strict(),
	],
	{ error: 'must be {"type": "env", "variable": "NAME"}, {"type": "login"} or {"type": "none"}' },
);

export const profileSchema = z
	.object(
		{
			baseUrl: url('https://gateway.example.com/v1').optional(),
			auth: authSchema.optional(),
			model: modelName.optional(),
			fallbackModels: z.array(modelName, { error: 'must be a list of model names' }).optional(),
			prices: z
				.record(
					z.string().min(1),
					z.object({ input: dollars, output: dollars }, { error: 'must be {"input": dollars, "output": dollars} per million tokens' }).strict(),
					{ error: 'must map model names to {"input": …, "output": …}' },
				)
				.optional(),
		},
		{ error: unknownKeys('baseUrl, auth, model, fallbackModels and prices', 'must be an object with baseUrl, auth, model, fallbackModels, prices') },
	)
	.strict();

export const loginPresetSchema = z
	.object(
		{
			issuer: url('https://id.example.com').optional(),
			deviceEndpoint: url('https://id.example.com/device').optional(),
			tokenEndpoint: url('https://id.example.com/token').optional(),
			revocationEndpoint: url('https://id.example.com/revoke').optional(),
			clientId: z.string({ error: 'must be a client id' }).min(1, { error: 'must be a client id' }).optional(),
			scope: z.string({ error: 'must be a space-separated list of scopes' }).optional(),
		},
		{ error: unknownKeys('issuer, deviceEndpoint, tokenEndpoint, revocationEndpoint, clientId and scope', 'must be an object with issuer or deviceEndpoint and tokenEndpoint') },
	)
	.strict()
	.refine((preset) => preset.issuer !== undefined || (preset.deviceEndpoint !== undefined && preset.tokenEndpoint !== undefined), {
		error: 'needs "issuer" or both "deviceEndpoint" and "tokenEndpoint"',
	});

const named = <T extends z.ZodType>(schema: T, what: string) =>
	z.record(z.string().regex(PROFILE_NAME, { error: nameError }), schema, { error: `must map ${what} names to their settings` });

export const profilesSchema = named(profileSchema, 'profile');
export const loginsSchema = named(loginPresetSchema, 'login');
export const profileNameSchema = z.string({ error: 'must be a profile name' }).regex(PROFILE_NAME, { error: `must be a profile name (${nameError})` });
