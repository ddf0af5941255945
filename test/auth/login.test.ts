import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DeviceFlowError } from '../../source/auth/device-flow.ts';
import { authStatus, formatAuthStatus, login, logout } from '../../source/auth/login.ts';
import { resolveLoginTarget } from '../../source/auth/presets.ts';
import { TokenStore } from '../../source/auth/token-store.ts';
import { approvingPrinter, CLIENT_ID, SCOPE, useOidcSignIn } from '../fixtures/oidc-server.ts';

const t = useOidcSignIn('orbit-login-');

function secretsOf(store: TokenStore, profile: string): string[] {
	const record = store.get(profile);
	return [record?.accessToken, record?.refreshToken].filter((value): value is string => Boolean(value));
}

describe('login, status and logout against oidc-provider', () => {
	it('signs in with the device flow, stores the tokens 0600, reports who, and revokes on logout', async () => {
		const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		const printer = approvingPrinter(t.server, 'ada');
		const result = await login({ profile: 'work', target, env: t.env, print: printer.print });
		await printer.approved;
		expect(result).toMatchObject({ profile: 'work', who: { subject: 'ada', email: 'ada@example.com', name: 'Ada' }, refreshable: true });

		const [first, second, third, fourth, last] = printer.lines;
		expect(first).toBe(`To sign in, open ${t.server.issuer}/device`);
		expect(second).toMatch(/^and enter the code: [A-Z]{4}-[A-Z]{4}$/);
		expect(third).toMatch(new RegExp(`^\\(or open ${t.server.issuer}/device\\?user_code=`));
		expect(fourth).toMatch(/^Waiting for approval \(the code is valid for 10 min; Ctrl\+C cancels\)/);
		expect(last).toBe('Signed in as Ada <ada@example.com> for profile work.');

		const store = new TokenStore({ env: t.env });
		expect((await stat(store.path)).mode & 0o777).toBe(0o600);
		const record = store.get('work')!;
		expect(record).toMatchObject({ clientId: CLIENT_ID, issuer: t.server.issuer, tokenEndpoint: `${t.server.issuer}/token`, revocationEndpoint: `${t.server.issuer}/token/revocation` });
		expect(record.expiresAt! - record.obtainedAt).toBe(3_600_000);
		expect(await t.server.userinfoStatus(record.accessToken)).toBe(200);

		const status = authStatus({ env: t.env });
		expect(status).toEqual([
			{
				profile: 'work',
				who: { subject: 'ada', email: 'ada@example.com', name: 'Ada' },
				where: t.server.issuer,
				issuer: t.server.issuer,
				expiresAt: record.expiresAt,
				expired: false,
				refreshable: true,
				obtainedAt: record.obtainedAt,
			},
		]);
		expect(formatAuthStatus(status[0]!, record.obtainedAt)).toBe(`work: Ada <ada@example.com> at ${t.server.issuer} — expires in 60 min, refreshable`);
		expect(authStatus({ env: t.env, profile: 'other' })).toEqual([]);

		const secrets = secretsOf(store, 'work');
		const lines: string[] = [];
		const out = await logout({ profile: 'work', env: t.env, print: (line) => lines.push(line) });
		expect(out).toEqual({ removed: true, revocation: { status: 'revoked' } });
		expect(lines).toEqual(['Revoked the tokens of profile work at the server.', 'Signed out of profile work: its tokens are deleted.']);
		expect(store.get('work')).toBeUndefined();
		expect(authStatus({ env: t.env })).toEqual([]);
		// The server no longer accepts the access token.
		expect(await t.server.userinfoStatus(record.accessToken)).toBe(401);
		for (const line of [...printer.lines, ...lines, JSON.stringify(status)]) for (const secret of secrets) expect(line).not.toContain(secret);
	});

	it('deletes the tokens even when revocation fails, and says so', async () => {
		const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		const printer = approvingPrinter(t.server);
		await login({ profile: 'work', target: { ...target, endpoints: { ...target.endpoints, revocationEndpoint: `${t.server.issuer}/no-such-endpoint` } }, env: t.env, print: printer.print });
		const store = new TokenStore({ env: t.env });
		const secrets = secretsOf(store, 'work');
		const lines: string[] = [];
		const out = await logout({ profile: 'work', env: t.env, print: (line) => lines.push(line) });
		expect(out.removed).toBe(true);
		expect(out.revocation?.status).toBe('failed');
		expect(lines[0]).toMatch(/^Could not revoke the tokens of profile work at the server \(refresh_token: .*HTTP 404.*\); they stay valid there until they expire\.$/);
		expect(lines[1]).toBe('Signed out of profile work: its tokens are deleted.');
		expect(store.get('work')).toBeUndefined();
		for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
	});

	it('says when a profile to log out is not signed in', async () => {
		const lines: string[] = [];
		expect(await logout({ profile: 'nobody', env: t.env, print: (line) => lines.push(line) })).toEqual({ removed: false });
		expect(lines).toEqual(['Profile nobody is not signed in; nothing to do.']);
	});

	it('stores nothing when the user denies', async () => {
		const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		let denied: Promise<void> | undefined;
		const lines: string[] = [];
		const error = await login({
			profile: 'work',
			target,
			env: t.env,
			print: (line) => {
				lines.push(line);
				const code = /enter the code: (\S+)/.exec(line)?.[1];
				if (code) denied = t.server.deny(code);
			},
		}).catch((caught: Error) => caught);
		await denied;
		expect(error).toBeInstanceOf(DeviceFlowError);
		expect((error as DeviceFlowError).code).toBe('access_denied');
		expect(authStatus({ env: t.env })).toEqual([]);
	});

	it('stops waiting when aborted and stores nothing', async () => {
		const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId: CLIENT_ID, scope: SCOPE });
		const controller = new AbortController();
		const error = await login({ profile: 'work', target, env: t.env, signal: controller.signal, onCode: () => controller.abort(), print: () => {} }).catch((caught: Error) => caught);
		expect((error as Error).name).toBe('AbortError');
		expect(authStatus({ env: t.env })).toEqual([]);
	});
});
