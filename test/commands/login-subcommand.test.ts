// `orbit login` in-process against a real oidc-provider on 127.0.0.1, with the user config in a temp folder.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SubcommandIo } from '../../commands/doctor.ts';
import { createLoginSubcommand, type OnInterrupt } from '../../commands/login-subcommand.ts';
import { discoverEndpoints } from '../../source/auth/discovery.ts';
import { TokenStore } from '../../source/auth/token-store.ts';
import { CLIENT_ID, SCOPE, useOidcSignIn } from '../fixtures/oidc-server.ts';

const t = useOidcSignIn('orbit-login-cmd-');

/** Captured output; `onCode` is called with the user code once stdout shows it. */
function captureIo(onCode?: (userCode: string) => void): SubcommandIo & { out(): string; err(): string; handled: Promise<void>[] } {
	let out = '';
	let err = '';
	const handled: Promise<void>[] = [];
	return {
		env: t.env,
		handled,
		out: () => out,
		err: () => err,
		stdout: {
			write(text: string) {
				out += text;
				const code = /enter the code: (\S+)/.exec(text)?.[1];
				if (code && onCode) handled.push(Promise.resolve(onCode(code)));
				return true;
			},
		},
		stderr: { write: (text: string) => ((err += text), true) },
	};
}

const approving = () => captureIo((code) => t.server.approve(code, 'ada'));
const issuerArgs = () => ['--issuer', t.server.issuer, '--client-id', CLIENT_ID, '--scope', SCOPE];
const config = () => JSON.parse(readFileSync(join(t.dir, 'config.json'), 'utf8'));
const secrets = (profile: string) => {
	const record = new TokenStore({ env: t.env }).get(profile);
	return [record?.accessToken, record?.refreshToken].filter((value): value is string => Boolean(value));
};

describe('orbit login: usage', () => {
	const cases: [string, string[], RegExp][] = [
		['an unknown option', ['--issuer', 'http://127.0.0.1:9', '--client', 'x', '--profile', 'w'], /Unknown option '--client'/],
		['a positional argument', ['work'], /Unexpected argument 'work'/],
		['no profile', ['--issuer', 'http://127.0.0.1:9', '--client-id', 'x'], /say which provider profile this login is for: --profile NAME/],
		['an empty value', ['--profile', ' '], /--profile needs a value/],
		['a bad profile name', ['--profile', '../x', '--issuer', 'http://127.0.0.1:9'], /"\.\.\/x" cannot be a profile name/],
		['a base URL that is not http(s)', ['--profile', 'w', '--base-url', 'ftp://x'], /--base-url must be an http\(s\) URL/],
		['an unknown preset', ['--preset', 'nope'], /no login preset named "nope"; known presets: github/],
		['github without a client id', ['--preset', 'github'], /--client-id is required: GitHub has no client id for Orbit/],
		['only one endpoint', ['--profile', 'w', '--client-id', 'x', '--token-endpoint', 'http://127.0.0.1:9/token'], /give both --device-endpoint and --token-endpoint/],
		['nowhere to sign in', ['--profile', 'w', '--client-id', 'x'], /say where to sign in \(profile w has no login preset and no earlier login\)/],
	];
	for (const [what, argv, message] of cases) {
		it(`exits 2 for ${what}, touching nothing`, async () => {
			const io = captureIo();
			expect(await createLoginSubcommand().run(argv, io)).toBe(2);
			expect(io.err()).toMatch(message);
			expect(io.err().split('\n')[0]).toMatch(/^orbit login: /);
			expect(io.out()).toBe('');
			expect(existsSync(join(t.dir, 'auth.json'))).toBe(false);
			expect(existsSync(join(t.dir, 'config.json'))).toBe(false);
		});
	}

	it('exits 2 naming the file when the user config is not valid JSON, and leaves it as it was', async () => {
		writeFileSync(join(t.dir, 'config.json'), '{ "profiles": ');
		const io = captureIo();
		expect(await createLoginSubcommand().run(['--profile', 'w', ...issuerArgs()], io)).toBe(2);
		expect(io.err()).toContain(join(t.dir, 'config.json'));
		expect(readFileSync(join(t.dir, 'config.json'), 'utf8')).toBe('{ "profiles": ');
	});

	it('--help prints the usage and exits 0', async () => {
		const io = captureIo();
		expect(await createLoginSubcommand().run(['--help'], io)).toBe(0);
		expect(io.out()).toMatch(/^Usage: orbit login \[--profile NAME\]/);
	});
});

describe('orbit login against oidc-provider', () => {
	it('signs in, stores the tokens 0600, saves the profile with --base-url and --model, and prints no token', async () => {
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ theme: 'light', profiles: { other: { baseUrl: 'http://127.0.0.1:9/v1' } } }));
		const io = approving();
		const code = await createLoginSubcommand().run(['--profile', 'work', ...issuerArgs(), '--base-url', 'http://127.0.0.1:8/v1', '--model', 'gw-large'], io);
		await Promise.all(io.handled);
		expect(io.err()).toBe('');
		expect(code).toBe(0);
		const lines = io.out().trim().split('\n');
		expect(lines[0]).toBe(`Signing in for profile work at ${t.server.issuer}.`);
		expect(lines[1]).toBe(`To sign in, open ${t.server.issuer}/device`);
		expect(lines[2]).toMatch(/^and enter the code: [A-Z]{4}-[A-Z]{4}$/);
		expect(lines).toContain('Signed in as Ada <ada@example.com> for profile work.');
		expect(lines.at(-1)).toBe(`Profile work (http://127.0.0.1:8/v1, model gw-large) now uses this login; saved in ${join(t.dir, 'config.json')}. Use it with: orbit --profile work`);

		expect(statSync(join(t.dir, 'auth.json')).mode & 0o777).toBe(0o600);
		const stored = new TokenStore({ env: t.env }).get('work')!;
		expect(stored).toMatchObject({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		expect(await t.server.userinfoStatus(stored.accessToken)).toBe(200);
		expect(config()).toEqual({
			theme: 'light',
			profiles: { other: { baseUrl: 'http://127.0.0.1:9/v1' }, work: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'login' }, model: 'gw-large' } },
		});
		for (const secret of secrets('work')) expect(io.out() + io.err()).not.toContain(secret);
	});

	it('signs in again where the last login did (no target flags), and updates an existing profile\'s auth only', async () => {
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ profiles: { work: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'env', variable: 'WORK_KEY' }, model: 'm' } } }));
		const first = approving();
		expect(await createLoginSubcommand().run(['--profile', 'work', ...issuerArgs()], first)).toBe(0);
		await Promise.all(first.handled);
		const before = new TokenStore({ env: t.env }).get('work')!;

		const again = captureIo((code) => t.server.approve(code, 'grace'));
		expect(await createLoginSubcommand().run(['--profile', 'work'], again)).toBe(0);
		await Promise.all(again.handled);
		expect(again.out()).toContain('Signed in as Grace <grace@example.com> for profile work.');
		const after = new TokenStore({ env: t.env }).get('work')!;
		expect(after.accessToken).not.toBe(before.accessToken);
		expect(after).toMatchObject({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		expect(config()).toEqual({ profiles: { work: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'login' }, model: 'm' } } });
	});

	it('signs in again without flags after a login with explicit endpoints (they are stored with it)', async () => {
		const endpoints = await discoverEndpoints(t.server.issuer);
		const explicit = ['--device-endpoint', endpoints.deviceAuthorizationEndpoint, '--token-endpoint', endpoints.tokenEndpoint, '--client-id', CLIENT_ID, '--scope', SCOPE];
		const first = approving();
		expect(await createLoginSubcommand().run(['--profile', 'direct', ...explicit], first)).toBe(0);
		await Promise.all(first.handled);
		expect(new TokenStore({ env: t.env }).get('direct')).toMatchObject({ deviceAuthorizationEndpoint: endpoints.deviceAuthorizationEndpoint, tokenEndpoint: endpoints.tokenEndpoint });

		const again = captureIo((code) => t.server.approve(code, 'grace'));
		expect(await createLoginSubcommand().run(['--profile', 'direct'], again)).toBe(0);
		await Promise.all(again.handled);
		expect(again.out()).toContain('Signed in as grace for profile direct.');
	});

	it('takes the profile from ORBIT_PROFILE, and from the config\'s "profile"', async () => {
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ profile: 'home' }));
		const fromConfig = approving();
		expect(await createLoginSubcommand().run(issuerArgs(), fromConfig)).toBe(0);
		await Promise.all(fromConfig.handled);
		expect(fromConfig.out()).toContain('for profile home.');
		expect(fromConfig.out()).toContain('Profile home is not in your config yet: run orbit login --profile home --base-url URL');

		t.env.ORBIT_PROFILE = 'ci';
		const fromEnv = approving();
		expect(await createLoginSubcommand().run(issuerArgs(), fromEnv)).toBe(0);
		await Promise.all(fromEnv.handled);
		expect(Object.keys(new TokenStore({ env: t.env }).list()).sort()).toEqual(['ci', 'home']);
		expect(config()).toEqual({ profile: 'home' });
	});

	it('uses a preset from the config\'s "logins", named by --preset (the profile\'s default name) or by the profile', async () => {
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ logins: { corp: { issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE } } }));
		const byPreset = approving();
		expect(await createLoginSubcommand().run(['--preset', 'corp', '--base-url', 'http://127.0.0.1:8/v1'], byPreset)).toBe(0);
		await Promise.all(byPreset.handled);
		expect(byPreset.out()).toContain('Signed in as Ada <ada@example.com> for profile corp.');
		expect(config().profiles).toEqual({ corp: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'login' } } });

		await new TokenStore({ env: t.env }).delete('corp');
		const byName = approving();
		expect(await createLoginSubcommand().run(['--profile', 'corp'], byName)).toBe(0);
		await Promise.all(byName.handled);
		expect(new TokenStore({ env: t.env }).get('corp')?.issuer).toBe(t.server.issuer);
	});

	it('access_denied: exit 1 with a clear one-liner, nothing stored, no profile saved', async () => {
		const io = captureIo((code) => t.server.deny(code));
		expect(await createLoginSubcommand().run(['--profile', 'work', ...issuerArgs(), '--base-url', 'http://127.0.0.1:8/v1'], io)).toBe(1);
		await Promise.all(io.handled);
		expect(io.err()).toMatch(/^orbit login: .*denied.*\n$/);
		expect(new TokenStore({ env: t.env }).list()).toEqual({});
		expect(existsSync(join(t.dir, 'config.json'))).toBe(false);
	});

	it('an unreachable issuer: exit 1 naming it', async () => {
		const io = captureIo();
		expect(await createLoginSubcommand().run(['--profile', 'work', '--issuer', 'http://127.0.0.1:9', '--client-id', 'x'], io)).toBe(1);
		expect(io.err()).toMatch(/^orbit login: .*127\.0\.0\.1:9/);
	});

	it('Ctrl+C while waiting for approval: exit 130, nothing stored', async () => {
		let cancel: (() => void) | undefined;
		let listening = false;
		const onInterrupt: OnInterrupt = (fn) => {
			cancel = fn;
			listening = true;
			return () => {
				listening = false;
			};
		};
		const io = captureIo(() => cancel!());
		expect(await createLoginSubcommand({ onInterrupt }).run(['--profile', 'work', ...issuerArgs(), '--base-url', 'http://127.0.0.1:8/v1'], io)).toBe(130);
		expect(io.err()).toBe('orbit login: cancelled; nothing was stored.\n');
		expect(listening).toBe(false);
		expect(existsSync(join(t.dir, 'config.json'))).toBe(false);
		expect(new TokenStore({ env: t.env }).list()).toEqual({});
	});
});
