import { describe, expect, it } from 'vitest';
import { createLoginBearer, LoginRequiredError } from '../../source/auth/bearer.ts';
import { login } from '../../source/auth/login.ts';
import { resolveLoginTarget } from '../../source/auth/presets.ts';
import { refreshTokens } from '../../source/auth/refresh.ts';
import { revokeTokens } from '../../source/auth/revoke.ts';
import { TokenStore } from '../../source/auth/token-store.ts';
import type { BearerSource } from '../../source/model/bearer.ts';
import { approvingPrinter, CLIENT_ID, SCOPE, SHORT_TOKEN_CLIENT_ID, SHORT_TOKEN_TTL_SEC, useOidcSignIn } from '../fixtures/oidc-server.ts';

const t = useOidcSignIn('orbit-bearer-');

async function signIn(profile: string, clientId: string): Promise<TokenStore> {
	const target = await resolveLoginTarget({ issuer: t.server.issuer, clientId, scope: SCOPE });
	await login({ profile, target, env: t.env, print: approvingPrinter(t.server).print });
	return new TokenStore({ env: t.env });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a failure');
}

describe('login bearer', () => {
	it('gives the stored token while it is fresh, without refreshing', async () => {
		const store = await signIn('work', CLIENT_ID);
		const before = store.get('work')!;
		// The model client's interface, met structurally.
		const bearer: BearerSource = createLoginBearer({ profile: 'work', env: t.env });
		expect(await bearer.token()).toBe(before.accessToken);
		expect(store.get('work')).toEqual(before);
	});

	it('refreshes a token that expires within 60 s and keeps the rotated refresh token', async () => {
		const store = await signIn('work', SHORT_TOKEN_CLIENT_ID);
		const before = store.get('work')!;
		expect(before.expiresAt! - before.obtainedAt).toBe(SHORT_TOKEN_TTL_SEC * 1000);
		const token = await createLoginBearer({ profile: 'work', env: t.env }).token();
		const after = store.get('work')!;
		expect(token).not.toBe(before.accessToken);
		expect(after.accessToken).toBe(token);
		expect(after.refreshToken).toBeTruthy();
		expect(after.refreshToken).not.toBe(before.refreshToken);
		expect(after.who).toEqual(before.who);
		expect(await t.server.userinfoStatus(token)).toBe(200);
		// The stored (rotated) refresh token works for the next refresh, too.
		const again = await createLoginBearer({ profile: 'work', env: t.env }).token();
		expect(again).not.toBe(token);
		expect(store.get('work')!.refreshToken).not.toBe(after.refreshToken);
		// The rotated-out one is spent at the server.
		await expect(refreshTokens(before)).rejects.toThrow(/invalid_grant/);
	});

	it('refreshes once after a 401, then asks to run orbit login when the server refuses', async () => {
		const store = await signIn('work', CLIENT_ID);
		const bearer = createLoginBearer({ profile: 'work', env: t.env });
		const first = await bearer.token();
		const refreshed = await bearer.refresh();
		expect(refreshed).not.toBe(first);
		expect(store.get('work')!.accessToken).toBe(refreshed);
		expect(await bearer.token()).toBe(refreshed);
		// The grant ends at the server (as when an administrator revokes it).
		const record = store.get('work')!;
		expect(await revokeTokens(record)).toEqual({ status: 'revoked' });
		const error = await failure(bearer.refresh());
		expect(error).toBeInstanceOf(LoginRequiredError);
		expect(error.message).toMatch(/^the login for profile work cannot be refreshed \(the server refused to refresh the login: invalid_grant.*\): run orbit login --profile work$/);
		for (const secret of [first, refreshed, record.refreshToken!]) expect(error.message).not.toContain(secret);
		// Nothing was stored by the failed refresh.
		expect(store.get('work')).toEqual(record);
	});

	it('takes the token another process refreshed instead of refreshing again', async () => {
		const store = await signIn('work', CLIENT_ID);
		const mine = createLoginBearer({ profile: 'work', env: t.env });
		const theirs = createLoginBearer({ profile: 'work', env: t.env });
		await mine.token();
		const newer = await theirs.refresh();
		const stored = store.get('work')!;
		expect(await mine.refresh()).toBe(newer);
		expect(store.get('work')).toEqual(stored);
	});

	it('asks to run orbit login when the profile has no login', async () => {
		await signIn('work', CLIENT_ID);
		const error = await failure(createLoginBearer({ profile: 'home', env: t.env }).token());
		expect(error).toBeInstanceOf(LoginRequiredError);
		expect(error.message).toBe('profile home is not signed in: run orbit login --profile home');
	});

	it('asks to run orbit login when the token expired and there is no refresh token', async () => {
		const store = await signIn('work', CLIENT_ID);
		const record = store.get('work')!;
		await store.set('work', { ...record, refreshToken: undefined, expiresAt: Date.now() - 1_000 });
		const error = await failure(createLoginBearer({ profile: 'work', env: t.env }).token());
		expect(error.message).toBe('the login for profile work has expired: run orbit login --profile work');
		const forced = await failure(createLoginBearer({ profile: 'work', env: t.env }).refresh());
		expect(forced.message).toBe('the login for profile work has expired and cannot be refreshed: run orbit login --profile work');
	});
});
