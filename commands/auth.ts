import { parseArgs } from 'node:util';
import { authStatus, formatAuthStatus } from '../source/auth/login.ts';
import { ConfigError, readUserConfig } from '../source/config-file.ts';
import type { Profile } from '../source/config-profiles.ts';
import { EXIT } from '../source/exit-codes.ts';
import type { Subcommand } from './doctor.ts';
import { describeError } from './login-target.ts';

const USAGE = 'Usage: orbit auth status [--profile NAME]';

/**
 * `orbit auth status [--profile NAME]`: one line per stored login (only NAME's when given) — who,
 * where, expiry, whether it refreshes — and a note for a login whose profile is missing from the
 * config or does not use it. Exit 0 when someone is signed in; 1 when no one is (with how to sign
 * in), or the store cannot be read; 2 bad usage. Reads without the lock; never prints a token.
 */
export function createAuthSubcommand(deps: { now?: () => number } = {}): Subcommand {
	return {
		name: 'auth',
		summary: 'Show who is signed in, for which provider profile (orbit auth status)',
		async run(argv, io) {
			const fail = (code: number, message: string) => {
				io.stderr.write(`orbit auth: ${message}\n`);
				return code;
			};
			const [action, ...rest] = argv;
			if (action === '--help' || action === '-h') {
				io.stdout.write(`${USAGE}\n`);
				return EXIT.done;
			}
			if (action !== 'status') return fail(EXIT.usage, `${action === undefined ? 'say what to do' : `unknown action "${action}"`}: the only one is status\n${USAGE}`);
			let values;
			try {
				({ values } = parseArgs({ args: rest, strict: true, allowPositionals: false, options: { profile: { type: 'string' } } }));
			} catch (error) {
				return fail(EXIT.usage, `${(error as Error).message}\n${USAGE}`);
			}
			const profile = values.profile?.trim();
			if (profile === '') return fail(EXIT.usage, `--profile needs a profile name\n${USAGE}`);
			try {
				const now = (deps.now ?? Date.now)();
				const entries = authStatus({ env: io.env, profile, now: () => now });
				if (entries.length === 0) {
					const whom = profile === undefined ? 'No one is signed in' : `Profile ${profile} is not signed in`;
					return fail(EXIT.error, `${whom}. Sign in with: orbit login --profile ${profile ?? 'NAME'} --issuer URL --client-id ID (or --preset NAME)`);
				}
				const profiles = configuredProfiles(io.env);
				for (const entry of entries) {
					const configured = profiles && (Object.hasOwn(profiles, entry.profile) ? profiles[entry.profile] : null);
					const note = configured === null ? ' (no such profile in your config)' : configured && configured.auth?.type !== 'login' ? ' (its profile does not use this login)' : '';
					io.stdout.write(`${formatAuthStatus(entry, now)}${note}\n`);
				}
				return EXIT.done;
			} catch (error) {
				return fail(EXIT.error, describeError(error));
			}
		},
	};
}

/** The user config's profiles; undefined when the config cannot be read (the notes are then left out). */
function configuredProfiles(env: NodeJS.ProcessEnv): Record<string, Profile> | undefined {
	try {
		return readUserConfig(env)?.profiles ?? {};
	} catch (error) {
		if (error instanceof ConfigError) return undefined;
		throw error;
	}
}

/** `orbit auth`. */
export const authSubcommand: Subcommand = createAuthSubcommand();
