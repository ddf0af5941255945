import { chmodSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './cli-args.ts';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, type Endpoint, resolveEndpoint } from './config.ts';
import { ConfigError, parseConfigFile, type Settings, userConfigDir, withConfigDefaults } from './config-file.ts';
import { PROFILE_NAME, type Profile } from './config-profiles.ts';
import type { BearerSource } from './model/bearer.ts';
import type { Price } from './model/cost.ts';

/** A profile that cannot be used as asked: unknown, or its API key variable is unset. For the user (exit 2). */
export class ProfileError extends UsageError {
	override name = 'ProfileError';
}

export interface ProfileFlags {
	/** `--profile`. */
	profile?: string;
	/** `--base-url`, `--model`: they override the profile's fields (or, without a profile, everything). */
	baseUrl?: string;
	model?: string;
}

/** Everything needed to build the session's model client (`createConfiguredModel`). */
export interface ModelSetup extends Endpoint {
	/** The active profile's name; absent without one. */
	profile?: string;
	/** Set for `auth: {type: "login"}`: the login's bearer, used instead of `apiKey`. */
	bearer?: BearerSource;
	/** Tried in order when the model fails after its retries ([] when none). */
	fallbackModels: string[];
	/** The profile's prices (USD per million tokens) by model ({} when none; list prices still apply). */
	prices: Record<string, Price>;
}

/** Which profile is active and who chose it: `--profile` > `ORBIT_PROFILE` > the user config's `profile`. Undefined: none. */
export function activeProfileName(flags: ProfileFlags, env: NodeJS.ProcessEnv, settings: Pick<Settings, 'profile'>): { name: string; from: string } | undefined {
	const flag = flags.profile?.trim();
	if (flag) return { name: flag, from: '--profile' };
	const variable = env.ORBIT_PROFILE?.trim();
	if (variable) return { name: variable, from: 'ORBIT_PROFILE' };
	if (settings.profile) return { name: settings.profile, from: `"profile" in ${userConfigFile(env)}` };
	return undefined;
}

/**
 * The model endpoint of the session. With an active profile (see `activeProfileName`): its base URL
 * (default the OpenAI API), its model (default `DEFAULT_MODEL`), its fallbacks and prices, and its
 * authentication — the API key from its `auth.variable`, the bearer of `loginBearer(name)` for
 * `auth.type: "login"`, or none (also when `auth` is absent); `--base-url` and `--model` still
 * override the profile's. The environment's OPENAI_BASE_URL, OPENAI_API_KEY and ORBIT_MODEL are not
 * used with a profile (a key meant for one server never goes to another). Without a profile:
 * `resolveEndpoint` over flags > environment > config, as before profiles.
 *
 * Throws `ProfileError` for an unknown profile (listing the known ones), an unset or empty key
 * variable (naming it), or a login profile when no `loginBearer` is given.
 */
export function resolveProfile(input: {
	flags: ProfileFlags;
	env?: NodeJS.ProcessEnv;
	settings: Pick<Settings, 'profile' | 'profiles' | 'baseUrl' | 'model'>;
	/** The bearer of a device-flow login for profile NAME (`createLoginBearer({ profile })`, source/auth). */
	loginBearer?: (profile: string) => BearerSource;
}): ModelSetup {
	const { flags, settings } = input;
	const env = input.env ?? process.env;
	const active = activeProfileName(flags, env, settings);
	if (!active) return { ...resolveEndpoint({ baseUrl: flags.baseUrl, model: flags.model }, withConfigDefaults(env, settings)), fallbackModels: [], prices: {} };
	const { name } = active;
	const profile = Object.hasOwn(settings.profiles, name) ? settings.profiles[name] : undefined;
	if (!profile) {
		const known = Object.keys(settings.profiles);
		const list = known.length > 0 ? `known profiles: ${known.join(', ')}` : `no profiles are defined; add them under "profiles" in ${userConfigFile(env)}`;
		throw new ProfileError(`unknown profile "${name}" (from ${active.from}); ${list}.`);
	}
	const auth = profile.auth ?? { type: 'none' };
	let apiKey: string | undefined;
	let bearer: BearerSource | undefined;
	if (auth.type === 'env') {
		apiKey = env[auth.variable]?.trim();
		if (!apiKey) throw new ProfileError(`profile "${name}" takes its API key from the environment variable ${auth.variable}, which is not set; export ${auth.variable}=… or choose another profile.`);
	} else if (auth.type === 'login') {
		if (!input.loginBearer) throw new ProfileError(`profile "${name}" signs in with \`orbit login --profile ${name}\`, which this command cannot use.`);
		bearer = input.loginBearer(name);
	}
	return {
		baseURL: flags.baseUrl ?? profile.baseUrl ?? DEFAULT_BASE_URL,
		...(apiKey ? { apiKey } : {}),
		model: flags.model ?? profile.model ?? DEFAULT_MODEL,
		configured: true,
		profile: name,
		...(bearer ? { bearer } : {}),
		fallbackModels: [...(profile.fallbackModels ?? [])],
		prices: { ...profile.prices },
	};
}

/** The user's `config.json` (in `userConfigDir(env)`). */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
	return join(userConfigDir(env), 'config.json');
}

/**
 * Creates profile `name` in the user's config file, or updates it with the fields of `patch` that
 * are set (`orbit login --profile NAME --base-url URL` saves `{baseUrl, auth: {type: "login"}}`).
 * Every other field and profile stays as it was. Atomic: the new text is written beside the file and
 * renamed over it (through a symbolic link to its target); a new file is owner-only (0600), an
 * existing one keeps its mode. Throws `ProfileError` for a bad name and `ConfigError` (the file
 * untouched) when the file is not valid JSON or the result would not be a valid config.
 * Returns the file's path.
 */
export function saveProfile(env: NodeJS.ProcessEnv, name: string, patch: Partial<Profile>): string {
	if (!PROFILE_NAME.test(name)) throw new ProfileError(`"${name}" cannot be a profile name: use letters, digits, ".", "_" and "-", starting with a letter or digit.`);
	let path = userConfigFile(env);
	let text = '';
	let mode = 0o600;
	try {
		path = realpathSync(path);
		text = readFileSync(path, 'utf8');
		mode = statSync(path).mode & 0o777;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`Orbit could not read ${path}: ${(error as Error).message}`, path);
	}
	let document: Record<string, unknown>;
	try {
		document = text.trim() === '' ? {} : JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}. Fix it before saving a profile.`, path);
	}
	if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new ConfigError(`${path} must hold one JSON object; fix it before saving a profile.`, path);
	const profiles = isRecord(document.profiles) ? document.profiles : {};
	const current = isRecord(profiles[name]) ? profiles[name] : {};
	const fields = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
	const updated = { ...document, profiles: { ...profiles, [name]: { ...current, ...fields } } };
	const next = `${JSON.stringify(updated, null, '\t')}\n`;
	parseConfigFile(next, path, 'user');
	mkdirSync(userConfigDir(env), { recursive: true, mode: 0o700 });
	const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
	try {
		writeFileSync(temporary, next, { mode });
		chmodSync(temporary, mode);
		renameSync(temporary, path);
	} catch (error) {
		rmSync(temporary, { force: true });
		throw new ConfigError(`Orbit could not write ${path}: ${(error as Error).message}`, path);
	}
	return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
