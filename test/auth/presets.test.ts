import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS, LoginUsageError, resolveLoginTarget } from '../../source/auth/presets.ts';
import { CLIENT_ID, type OidcServer, startOidcServer } from '../fixtures/oidc-server.ts';

let server: OidcServer;
beforeAll(async () => {
	server = await startOidcServer();
});
afterAll(() => server.close());

describe('resolveLoginTarget', () => {
	it('uses the GitHub preset with a client id, without discovery', async () => {
		expect(await resolveLoginTarget({ preset: 'github', clientId: 'Iv1.abc' })).toEqual({
			clientId: 'Iv1.abc',
			scope: 'read:user',
			preset: 'github',
			endpoints: { deviceAuthorizationEndpoint: 'https://github.com/login/device/code', tokenEndpoint: 'https://github.com/login/oauth/access_token', revocationEndpoint: undefined, issuer: undefined },
		});
	});

	it('says how to get a client id when the GitHub preset has none', async () => {
		const error = await resolveLoginTarget({ preset: 'github' }).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(LoginUsageError);
		expect((error as Error).message).toMatch(/^--client-id is required: GitHub has no client id for Orbit: create an OAuth app with "Enable Device Flow"/);
	});

	it('discovers the endpoints of a user preset naming an issuer; flags win', async () => {
		const presets = { corp: { issuer: server.issuer, clientId: CLIENT_ID, scope: 'openid' } };
		const target = await resolveLoginTarget({ preset: 'corp', scope: 'openid offline_access' }, presets);
		expect(target).toEqual({
			clientId: CLIENT_ID,
			scope: 'openid offline_access',
			preset: 'corp',
			endpoints: {
				issuer: server.issuer,
				deviceAuthorizationEndpoint: `${server.issuer}/device/auth`,
				tokenEndpoint: `${server.issuer}/token`,
				revocationEndpoint: `${server.issuer}/token/revocation`,
				userinfoEndpoint: `${server.issuer}/me`,
			},
		});
	});

	it('prefers explicit endpoints to discovery (the issuer is kept for display)', async () => {
		const target = await resolveLoginTarget({ issuer: 'http://127.0.0.1:1', deviceEndpoint: 'https://a.example/device', tokenEndpoint: 'https://a.example/token', clientId: 'c' });
		expect(target.endpoints).toEqual({ deviceAuthorizationEndpoint: 'https://a.example/device', tokenEndpoint: 'https://a.example/token', revocationEndpoint: undefined, issuer: 'http://127.0.0.1:1' });
	});

	it('lets a user preset replace a built-in one', async () => {
		const target = await resolveLoginTarget({ preset: 'github' }, { github: { ...BUILT_IN_PRESETS.github, clientId: 'mine' } });
		expect(target.clientId).toBe('mine');
	});

	it.each([
		[{ preset: 'nope', clientId: 'c' }, /^no login preset named "nope"; known presets: github$/],
		[{ clientId: 'c' }, /^say where to sign in: --issuer URL, or --device-endpoint URL and --token-endpoint URL, or --preset NAME$/],
		[{ clientId: 'c', deviceEndpoint: 'https://a.example/device' }, /^give both --device-endpoint and --token-endpoint/],
		[{ clientId: 'c', issuer: 'login.example.com' }, /^--issuer must be an http\(s\) URL, not "login\.example\.com"$/],
		[{ issuer: 'https://login.example.com' }, /^--client-id is required: the OAuth client id your provider registered for Orbit$/],
	])('refuses incomplete flags %j with a usage error', async (flags, message) => {
		const error = await resolveLoginTarget(flags).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(LoginUsageError);
		expect((error as Error).message).toMatch(message);
	});
});
