// `orbit auth status` and `orbit logout` in-process against a real oidc-provider on 127.0.0.1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthSubcommand } from '../../commands/auth.ts';
import type { SubcommandIo } from '../../commands/doctor.ts';
import { createLogoutSubcommand } from '../../commands/logout.ts';
import { login } from '../../source/auth/login.ts';
import { resolveLoginTarget } from '../../source/auth/presets.ts';
import { TokenStore } from '../../source/auth/token-store.ts';
import { approvingPrinter, CLIENT_ID, SCOPE, useOidcSignIn } from '../fixtures/oidc-server.ts';

const t = useOidcSignIn('orbit-auth-cmd-');

function captureIo(): SubcommandIo & { out(): string; err(): string } {
	let out = '';
	let err = '';
	return { env: t.env, out: () => out, err: () => err, stdout: { write: (text: string) => ((out += text), true) }, stderr: { write: (text: string) => ((err += text), true) } };
}

/** Signs `who` in for `profile` with the device flow (approved over HTTP); returns the stored tokens. */
async function signIn(profile: string, who = 'ada'): Promise<string[]> {
	const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
	const printer = approvingPrinter(t.server, who);
	await login({ profile, target, env: t.env, print: printer.print });
	await printer.approved;
	const record = new TokenStore({ env: t.env }).get(profile)!;
	return [record.accessToken, record.refreshToken!];
}

describe('orbit auth status', () => {
	it('exits 1 with a hint when no one is signed in', async () => {
		const io = captureIo();
		expect(await createAuthSubcommand().run(['status'], io)).toBe(1);
		expect(io.out()).toBe('');
		expect(io.err()).toBe('orbit auth: No one is signed in. Sign in with: orbit login --profile NAME --issuer URL --client-id ID (or --preset NAME)\n');
		const one = captureIo();
		expect(await createAuthSubcommand().run(['status', '--profile', 'work'], one)).toBe(1);
		expect(one.err()).toMatch(/^orbit auth: Profile work is not signed in\. Sign in with: orbit login --profile work /);
	});

	it('prints one line per login — who, where, expiry, refreshable — with notes about the config, and no token', async () => {
		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ profiles: { work: { baseUrl: 'http://127.0.0.1:8/v1', auth: { type: 'login' } }, env: { auth: { type: 'env', variable: 'K' } } } }));
		const secrets = [...(await signIn('work', 'ada')), ...(await signIn('env', 'grace')), ...(await signIn('stray', 'linus'))];
		const obtainedAt = new TokenStore({ env: t.env }).get('work')!.obtainedAt;
		const io = captureIo();
		expect(await createAuthSubcommand({ now: () => obtainedAt }).run(['status'], io)).toBe(0);
		expect(io.err()).toBe('');
		expect(io.out().trim().split('\n')).toEqual([
			`env: Grace <grace@example.com> at ${t.server.issuer} — expires in 60 min, refreshable (its profile does not use this login)`,
			`stray: Linus <linus@example.com> at ${t.server.issuer} — expires in 60 min, refreshable (no such profile in your config)`,
			`work: Ada <ada@example.com> at ${t.server.issuer} — expires in 60 min, refreshable`,
		]);
		const one = captureIo();
		expect(await createAuthSubcommand({ now: () => obtainedAt + 2 * 3_600_000 }).run(['status', '--profile', 'work'], one)).toBe(0);
		expect(one.out()).toBe(`work: Ada <ada@example.com> at ${t.server.issuer} — expired 60 min ago, refreshable\n`);
		for (const secret of secrets) expect(io.out() + one.out()).not.toContain(secret);
	});

	it('exits 2 for a missing or unknown action and unknown options', async () => {
		for (const argv of [[], ['list'], ['status', '--all'], ['status', 'work']]) {
			const io = captureIo();
			expect(await createAuthSubcommand().run(argv, io)).toBe(2);
			expect(io.err()).toMatch(/^orbit auth: .*\nUsage: orbit auth status \[--profile NAME\]\n$/);
		}
	});

	it('exits 1 naming the file when the token file is corrupt', async () => {
		writeFileSync(join(t.dir, 'auth.json'), '{ nope');
		const io = captureIo();
		expect(await createAuthSubcommand().run(['status'], io)).toBe(1);
		expect(io.err()).toContain(join(t.dir, 'auth.json'));
	});
});

describe('orbit logout', () => {
	it('revokes the tokens at the server (which then rejects them), deletes them, and says so; a second time exits 1', async () => {
		const [accessToken] = await signIn('work');
		expect(await t.server.userinfoStatus(accessToken!)).toBe(200);
		const io = captureIo();
		expect(await createLogoutSubcommand().run(['--profile', 'work'], io)).toBe(0);
		expect(io.out()).toBe('Revoked the tokens of profile work at the server.\nSigned out of profile work: its tokens are deleted.\n');
		expect(await t.server.userinfoStatus(accessToken!)).toBe(401);
		expect(new TokenStore({ env: t.env }).list()).toEqual({});

		const again = captureIo();
		expect(await createLogoutSubcommand().run(['--profile', 'work'], again)).toBe(1);
		expect(again.out()).toBe('Profile work is not signed in; nothing to do.\n');
	});

	it('without --profile: the config\'s profile, else the only login; several logins and none named is a usage error', async () => {
		const io = captureIo();
		expect(await createLogoutSubcommand().run([], io)).toBe(1);
		expect(io.err()).toBe('orbit logout: no one is signed in; nothing to do.\n');

		await signIn('a');
		await signIn('b');
		const which = captureIo();
		expect(await createLogoutSubcommand().run([], which)).toBe(2);
		expect(which.err()).toBe('orbit logout: say which login to remove: --profile a | --profile b\n');

		writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ profile: 'b' }));
		const active = captureIo();
		expect(await createLogoutSubcommand().run([], active)).toBe(0);
		expect(active.out()).toContain('Signed out of profile b');
		expect(Object.keys(new TokenStore({ env: t.env }).list())).toEqual(['a']);

		writeFileSync(join(t.dir, 'config.json'), '{}');
		const only = captureIo();
		expect(await createLogoutSubcommand().run([], only)).toBe(0);
		expect(only.out()).toContain('Signed out of profile a');
		expect(new TokenStore({ env: t.env }).list()).toEqual({});
	});

	it('exits 2 for unknown options or arguments', async () => {
		for (const argv of [['work'], ['--all'], ['--profile', '']]) {
			const io = captureIo();
			expect(await createLogoutSubcommand().run(argv, io)).toBe(2);
			expect(io.err()).toMatch(/^orbit logout: .*\nUsage: orbit logout \[--profile NAME\]\n$/);
		}
	});
});
