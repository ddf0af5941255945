import { parseArgs } from 'node:util';
import { logout } from '../source/auth/login.ts';
import type { FetchLike } from '../source/auth/oauth-http.ts';
import { TokenStore } from '../source/auth/token-store.ts';
import { ConfigError, readUserConfig } from '../source/config-file.ts';
import { EXIT } from '../source/exit-codes.ts';
import { activeProfileName } from '../source/profiles.ts';
import type { Subcommand } from './doctor.ts';
import { describeError } from './login-target.ts';

const USAGE = 'Usage: orbit logout [--profile NAME]';

/**
 * `orbit logout [--profile NAME]`: revokes the profile's tokens where the server offers revocation
 * and deletes them, saying what happened. The profile is `--profile`, else `ORBIT_PROFILE`, else the
 * config's `profile`, else the only stored login. Exit 0 signed out; 1 nothing to remove or the store
 * failed; 2 bad usage (also: several logins and none named). Never prints a token; never throws.
 */
export function createLogoutSubcommand(deps: { fetch?: FetchLike } = {}): Subcommand {
	return {
		name: 'logout',
		summary: 'Revoke and delete the login of a provider profile',
		async run(argv, io) {
			const fail = (code: number, message: string) => {
				io.stderr.write(`orbit logout: ${message}\n`);
				return code;
			};
			let values;
			try {
				({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { profile: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
			} catch (error) {
				return fail(EXIT.usage, `${(error as Error).message}\n${USAGE}`);
			}
			if (values.help) {
				io.stdout.write(`${USAGE}\n`);
				return EXIT.done;
			}
			if (values.profile !== undefined && values.profile.trim() === '') return fail(EXIT.usage, `--profile needs a profile name\n${USAGE}`);
			try {
				const store = new TokenStore({ env: io.env });
				let profile = activeProfileName({ profile: values.profile }, io.env, readUserConfig(io.env) ?? {})?.name;
				if (profile === undefined) {
					const stored = Object.keys(store.list()).sort();
					if (stored.length === 0) return fail(EXIT.error, 'no one is signed in; nothing to do.');
					if (stored.length > 1) return fail(EXIT.usage, `say which login to remove: --profile ${stored.join(' | --profile ')}`);
					profile = stored[0]!;
				}
				const result = await logout({ profile, store, fetch: deps.fetch, print: (line) => io.stdout.write(`${line}\n`) });
				return result.removed ? EXIT.done : EXIT.error;
			} catch (error) {
				if (error instanceof ConfigError) return fail(EXIT.usage, error.message);
				return fail(EXIT.error, describeError(error));
			}
		},
	};
}

/** `orbit logout`. */
export const logoutSubcommand: Subcommand = createLogoutSubcommand();
