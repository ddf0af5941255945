import { parseArgs } from 'node:util';
import { login } from '../source/auth/login.ts';
import type { FetchLike } from '../source/auth/oauth-http.ts';
import { isHttpUrl, LoginUsageError } from '../source/auth/presets.ts';
import { TokenStore } from '../source/auth/token-store.ts';
import { ConfigError, type ConfigFile, readUserConfig } from '../source/config-file.ts';
import { PROFILE_NAME } from '../source/config-profiles.ts';
import { EXIT } from '../source/exit-codes.ts';
import { activeProfileName, saveProfile } from '../source/profiles.ts';
import type { Subcommand, SubcommandIo } from './doctor.ts';
import { describeError, findLoginTarget } from './login-target.ts';

export const LOGIN_USAGE = `Usage: orbit login [--profile NAME] [--preset NAME | --issuer URL | --device-endpoint URL --token-endpoint URL
                   [--revocation-endpoint URL]] [--client-id ID] [--scope S] [--base-url URL] [--model M]`;

/** Ctrl+C while waiting: calls `cancel`; returns the function that stops listening. */
export type OnInterrupt = (cancel: () => void) => () => void;

export interface LoginSubcommandDeps {
	/** Default: SIGINT of this process. */
	onInterrupt?: OnInterrupt;
	fetch?: FetchLike;
}

const processInterrupt: OnInterrupt = (cancel) => {
	process.on('SIGINT', cancel);
	return () => process.off('SIGINT', cancel);
};

/**
 * `orbit login`: the device flow for one profile, then (with `--base-url`, or when the profile is
 * already in the user config) saves the profile as `{baseUrl, auth: {type: "login"}, model}` so
 * `orbit --profile NAME` uses the login. The profile is `--profile`, else `ORBIT_PROFILE`, else the
 * config's `profile`, else the `--preset`'s name. Where to sign in: the flags, else the config's
 * preset named like the profile, else the issuer of the profile's last login (`findLoginTarget`).
 * Exit 0 signed in, 1 the flow or the store failed (a one-line reason), 2 bad usage or config,
 * 130 Ctrl+C while waiting (nothing stored). Never prints a token; never throws.
 */
export function createLoginSubcommand(deps: LoginSubcommandDeps = {}): Subcommand {
	const onInterrupt = deps.onInterrupt ?? processInterrupt;
	return {
		name: 'login',
		summary: 'Sign in with the OAuth device flow for a provider profile',
		async run(argv, io) {
			const fail = (code: number, message: string, usage = false) => {
				io.stderr.write(`orbit login: ${message}\n${usage ? `${LOGIN_USAGE}\n` : ''}`);
				return code;
			};
			let values;
			try {
				({ values } = parseArgs({
					args: argv,
					strict: true,
					allowPositionals: false,
					options: {
						profile: { type: 'string' },
						preset: { type: 'string' },
						issuer: { type: 'string' },
						'device-endpoint': { type: 'string' },
						'token-endpoint': { type: 'string' },
						'revocation-endpoint': { type: 'string' },
						'client-id': { type: 'string' },
						scope: { type: 'string' },
						'base-url': { type: 'string' },
						model: { type: 'string' },
						help: { type: 'boolean', short: 'h' },
					},
				}));
			} catch (error) {
				return fail(EXIT.usage, (error as Error).message, true);
			}
			if (values.help) {
				io.stdout.write(`${LOGIN_USAGE}\n`);
				return EXIT.done;
			}
			for (const [flag, value] of Object.entries(values)) {
				if (typeof value === 'string' && value.trim() === '') return fail(EXIT.usage, `--${flag} needs a value`, true);
			}
			const baseUrl = values['base-url'];
			if (baseUrl !== undefined && !isHttpUrl(baseUrl)) return fail(EXIT.usage, `--base-url must be an http(s) URL such as https://gateway.example.com/v1, not ${JSON.stringify(baseUrl)}`);

			let config: ConfigFile | undefined;
			try {
				config = readUserConfig(io.env);
			} catch (error) {
				if (error instanceof ConfigError) return fail(EXIT.usage, error.message);
				throw error;
			}
			const profile = activeProfileName({ profile: values.profile }, io.env, config ?? {})?.name ?? values.preset;
			if (profile === undefined) {
				return fail(EXIT.usage, 'say which provider profile this login is for: --profile NAME (it is created with --base-url URL)', true);
			}
			if (!PROFILE_NAME.test(profile)) return fail(EXIT.usage, `"${profile}" cannot be a profile name: use letters, digits, ".", "_" and "-", starting with a letter or digit`);

			const controller = new AbortController();
			const stopListening = onInterrupt(() => controller.abort());
			const store = new TokenStore({ env: io.env });
			const print = (line: string) => io.stdout.write(`${line}\n`);
			try {
				const target = await findLoginTarget({
					profile,
					flags: {
						preset: values.preset,
						issuer: values.issuer,
						deviceEndpoint: values['device-endpoint'],
						tokenEndpoint: values['token-endpoint'],
						revocationEndpoint: values['revocation-endpoint'],
						clientId: values['client-id'],
						scope: values.scope,
					},
					presets: config?.logins ?? {},
					store,
					http: { fetch: deps.fetch, signal: controller.signal },
				});
				print(`Signing in for profile ${profile} at ${target.endpoints.issuer ?? new URL(target.endpoints.tokenEndpoint).origin}.`);
				await login({ profile, target, store, print, signal: controller.signal, fetch: deps.fetch });
			} catch (error) {
				if (controller.signal.aborted) return fail(EXIT.interrupted, 'cancelled; nothing was stored.');
				if (error instanceof LoginUsageError) return fail(EXIT.usage, error.message, true);
				return fail(EXIT.error, describeError(error));
			} finally {
				stopListening();
			}
			return saveLoginProfile(io, profile, config, baseUrl, values.model, print) ? EXIT.done : EXIT.error;
		},
	};
}

/** `orbit login`, listening to this process's SIGINT. */
export const loginSubcommand: Subcommand = createLoginSubcommand();

/** After a login: creates or updates the profile, or says how to. False (printed) when the config could not be written. */
function saveLoginProfile(io: SubcommandIo, profile: string, config: ConfigFile | undefined, baseUrl: string | undefined, model: string | undefined, print: (line: string) => void): boolean {
	const existing = config?.profiles && Object.hasOwn(config.profiles, profile) ? config.profiles[profile] : undefined;
	if (baseUrl === undefined && existing === undefined) {
		print(`Profile ${profile} is not in your config yet: run orbit login --profile ${profile} --base-url URL to create it with this login (or add it under "profiles").`);
		return true;
	}
	try {
		const path = saveProfile(io.env, profile, { ...(baseUrl !== undefined && { baseUrl }), auth: { type: 'login' }, ...(model !== undefined && { model }) });
		const where = baseUrl ?? existing?.baseUrl ?? 'the OpenAI API';
		print(`Profile ${profile} (${where}${model ?? existing?.model ? `, model ${model ?? existing?.model}` : ''}) now uses this login; saved in ${path}. Use it with: orbit --profile ${profile}`);
		return true;
	} catch (error) {
		io.stderr.write(`orbit login: signed in, but the profile could not be saved: ${describeError(error)}\n`);
		return false;
	}
}
