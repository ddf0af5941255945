import { describeWho } from '../source/auth/identity.ts';
import { login } from '../source/auth/login.ts';
import type { FetchLike } from '../source/auth/oauth-http.ts';
import { TokenStore } from '../source/auth/token-store.ts';
import { type ConfigFile, readUserConfig } from '../source/config-file.ts';
import { PROFILE_NAME } from '../source/config-profiles.ts';
import { type CommandResult, notice, type SlashCommand } from './command.ts';
import { describeError, findLoginTarget } from './login-target.ts';

/**
 * `/login [profile]`: the device flow for the named profile, else the session's active one, signing
 * in where `findLoginTarget` says (the config's preset of that name, else the issuer of the
 * profile's last login). The command answers as soon as the server has given a code, with a notice
 * holding the verification URI and the user code; the result ("signed in as …", or the error) comes
 * later through `ctx.signIn.notify`, so the input is never blocked. A second /login for a profile
 * still waiting repeats its code instead of starting another flow. Errors before the code are the
 * command's answer. Never throws; never shows a token.
 */
export function createLoginCommand(deps: { fetch?: FetchLike } = {}): SlashCommand {
	/** Profiles waiting for approval, with the notice that showed their code. */
	const waiting = new Map<string, string>();
	return {
		name: 'login',
		summary: 'Sign in to the model provider (OAuth device flow)',
		usage: '/login [profile]',
		async run(args, ctx) {
			const signIn = ctx.signIn;
			if (!signIn) return notice('/login is not available here; sign in from a shell with orbit login --profile NAME (see orbit login --help).', 'warning');
			if (/\s/.test(args)) return notice('Usage: /login [profile] — one profile name.', 'error');
			const profile = args || signIn.profile;
			if (!profile) return notice('No provider profile is active: say which one, /login NAME, or sign in from a shell with orbit login --profile NAME --base-url URL … (see orbit login --help).', 'error');
			if (!PROFILE_NAME.test(profile)) return notice(`"${profile}" cannot be a profile name: use letters, digits, ".", "_" and "-", starting with a letter or digit.`, 'error');
			if (waiting.has(profile)) return notice(`Still waiting for the sign-in of profile ${profile}. ${waiting.get(profile)}`.trim());

			let config: ConfigFile | undefined;
			let target: Awaited<ReturnType<typeof findLoginTarget>>;
			const store = new TokenStore({ env: signIn.env });
			waiting.set(profile, '');
			try {
				config = readUserConfig(signIn.env);
				target = await findLoginTarget({ profile, flags: {}, presets: config?.logins ?? {}, store, http: { fetch: deps.fetch } });
			} catch (error) {
				waiting.delete(profile);
				return notice(`/login ${profile}: ${describeError(error)}`, 'error');
			}
			const done = (text: string, tone: 'info' | 'error' = 'info') => {
				waiting.delete(profile);
				signIn.notify(text, tone);
			};
			return new Promise<CommandResult>((answer) => {
				let answered = false;
				login({
					profile,
					target,
					store,
					fetch: deps.fetch,
					print: () => {},
					onCode: (code) => {
						const complete = code.verificationUriComplete ? ` (or open ${code.verificationUriComplete}, which has the code in it)` : '';
						const text = `To sign in for profile ${profile}, open ${code.verificationUri} and enter the code ${code.userCode}${complete}. The code is valid for ${Math.round(code.expiresIn / 60)} min; you can keep working meanwhile.`;
						waiting.set(profile, text);
						answered = true;
						answer(notice(text));
					},
				}).then(
					(result) => {
						const uses = usesLogin(config, profile)
							? profile === signIn.profile
								? ' The session uses it from its next request.'
								: ` Use it with orbit --profile ${profile}.`
							: ` Profile ${profile} does not use this login yet: run orbit login --profile ${profile} --base-url URL in a shell to set it up.`;
						const text = `Signed in as ${describeWho(result.who)} for profile ${profile}.${uses}`;
						if (answered) done(text);
						else {
							waiting.delete(profile);
							answer(notice(text));
						}
					},
					(error: unknown) => {
						const text = `/login ${profile} failed: ${describeError(error)}`;
						if (answered) done(text, 'error');
						else {
							waiting.delete(profile);
							answer(notice(text, 'error'));
						}
					},
				);
			});
		},
	};
}

/** `/login`. */
export const loginCommand: SlashCommand = createLoginCommand();

function usesLogin(config: ConfigFile | undefined, profile: string): boolean {
	const profiles = config?.profiles ?? {};
	return Object.hasOwn(profiles, profile) && profiles[profile]?.auth?.type === 'login';
}
