import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceFlowError, pollForToken, requestDeviceCode } from '../../source/auth/device-flow.ts';
import { type AuthEndpoints, discoverEndpoints } from '../../source/auth/discovery.ts';
import { OAuthError } from '../../source/auth/oauth-http.ts';
import { CLIENT_ID, type OidcServer, SCOPE, SHORT_CODE_CLIENT_ID, startOidcServer, startSlowDownProxy } from '../fixtures/oidc-server.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';

let server: OidcServer;
let endpoints: AuthEndpoints;
beforeAll(async () => {
	server = await startOidcServer();
	endpoints = await discoverEndpoints(server.issuer);
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a failure');
}

describe('device flow against oidc-provider', () => {
	it('discovers the endpoints from the issuer', () => {
		expect(endpoints).toEqual({
			issuer: server.issuer,
			deviceAuthorizationEndpoint: `${server.issuer}/device/auth`,
			tokenEndpoint: `${server.issuer}/token`,
			revocationEndpoint: `${server.issuer}/token/revocation`,
			userinfoEndpoint: `${server.issuer}/me`,
		});
	});

	it('polls while authorization is pending, then returns the tokens once approved, and stops', async () => {
		const code = await requestDeviceCode(endpoints, { clientId: CLIENT_ID, scope: SCOPE });
		expect(code.intervalSec).toBe(1);
		expect(code.verificationUri).toBe(`${server.issuer}/device`);
		expect(code.verificationUriComplete).toContain('user_code=');
		const outcomes: string[] = [];
		const tokens = pollForToken(endpoints, code, { clientId: CLIENT_ID, onPoll: (outcome) => outcomes.push(outcome) });
		await waitUntil(() => outcomes.length >= 1, 'a poll answered authorization_pending', 10_000);
		expect(outcomes[0]).toBe('authorization_pending');
		const okBefore = server.polls.ok ?? 0;
		await server.approve(code.userCode);
		const result = await tokens;
		expect(result.accessToken).toBeTruthy();
		expect(result.refreshToken).toBeTruthy();
		expect(result.idToken).toBeTruthy();
		expect(server.polls.ok).toBe(okBefore + 1);
		expect(await server.userinfoStatus(result.accessToken)).toBe(200);
	});

	it('adds 5 s to the interval on slow_down', async () => {
		const proxy = await startSlowDownProxy(endpoints.tokenEndpoint);
		try {
			const code = await requestDeviceCode(endpoints, { clientId: CLIENT_ID, scope: SCOPE });
			await server.approve(code.userCode);
			const outcomes: Array<[string, number]> = [];
			const tokens = await pollForToken({ tokenEndpoint: proxy.tokenEndpoint }, code, { clientId: CLIENT_ID, onPoll: (outcome, next) => outcomes.push([outcome, next]) });
			expect(tokens.accessToken).toBeTruthy();
			expect(outcomes).toEqual([['slow_down', 6]]);
			expect(proxy.pollTimes).toHaveLength(2);
			// The second poll waited the new interval (1 s + 5 s), not the old one.
			expect(proxy.pollTimes[1]! - proxy.pollTimes[0]!).toBeGreaterThanOrEqual(5_900);
		} finally {
			await proxy.close();
		}
	});

	it('stops with expired_token when the server says the code expired', async () => {
		const code = await requestDeviceCode(endpoints, { clientId: SHORT_CODE_CLIENT_ID, scope: SCOPE });
		const before = server.polls.expired_token ?? 0;
		// A lifetime longer than the server's, so that only the server's answer can end the polling.
		const error = await failure(pollForToken(endpoints, { ...code, expiresIn: 120 }, { clientId: SHORT_CODE_CLIENT_ID }));
		expect(error).toBeInstanceOf(DeviceFlowError);
		expect((error as DeviceFlowError).code).toBe('expired_token');
		expect(error.message).toMatch(/expired before the sign-in was approved/);
		expect(server.polls.expired_token).toBe(before + 1);
	});

	it("stops with expired_token when the code's lifetime has passed, without asking again", async () => {
		const code = await requestDeviceCode(endpoints, { clientId: SHORT_CODE_CLIENT_ID, scope: SCOPE });
		const pendingBefore = server.polls.authorization_pending ?? 0;
		const expiredBefore = server.polls.expired_token ?? 0;
		const error = await failure(pollForToken(endpoints, { ...code, expiresIn: 1 }, { clientId: SHORT_CODE_CLIENT_ID }));
		expect((error as DeviceFlowError).code).toBe('expired_token');
		expect(server.polls.authorization_pending).toBe(pendingBefore + 1);
		expect(server.polls.expired_token ?? 0).toBe(expiredBefore);
	});

	it('stops with access_denied when the user denies', async () => {
		const code = await requestDeviceCode(endpoints, { clientId: CLIENT_ID, scope: SCOPE });
		let polled = 0;
		const tokens = failure(pollForToken(endpoints, code, { clientId: CLIENT_ID, onPoll: () => polled++ }));
		await waitUntil(() => polled >= 1, 'a first poll', 10_000);
		await server.deny(code.userCode);
		const error = await tokens;
		expect(error).toBeInstanceOf(DeviceFlowError);
		expect((error as DeviceFlowError).code).toBe('access_denied');
		expect(error.message).toBe('the sign-in was denied');
	});

	it('stops at once when aborted (Ctrl+C)', async () => {
		const code = await requestDeviceCode(endpoints, { clientId: CLIENT_ID, scope: SCOPE });
		const controller = new AbortController();
		let polled = 0;
		const tokens = failure(pollForToken(endpoints, code, { clientId: CLIENT_ID, signal: controller.signal, onPoll: () => polled++ }));
		await waitUntil(() => polled >= 1, 'a first poll', 10_000);
		controller.abort();
		expect((await tokens).name).toBe('AbortError');
	});

	it('reports a refused device code request with the server error', async () => {
		const error = await failure(requestDeviceCode(endpoints, { clientId: 'no-such-client' }));
		expect(error).toBeInstanceOf(DeviceFlowError);
		expect((error as DeviceFlowError).code).toBe('invalid_client');
		expect(error.message).toMatch(/refused the sign-in request: invalid_client/);
	});
});

describe('discovery errors', () => {
	let other: Server;
	let base: string;
	beforeAll(async () => {
		other = createServer((request, response) => {
			if (request.url === '/plain/.well-known/openid-configuration') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
			else if (request.url === '/nodevice/.well-known/openid-configuration') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'x', token_endpoint: 'http://x/token' }));
			else if (request.url === '/.well-known/oauth-authorization-server/rfc8414')
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `${base}/rfc8414`, token_endpoint: 't', device_authorization_endpoint: 'd' }));
			else response.writeHead(404).end();
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

	it('says when the server does not offer the device flow', async () => {
		await expect(discoverEndpoints(`${base}/nodevice`)).rejects.toThrow(/this server does not offer the device flow/);
	});

	it('says when the metadata is not JSON', async () => {
		await expect(discoverEndpoints(`${base}/plain`)).rejects.toThrow(/something other than a JSON object/);
	});

	it('falls back to RFC 8414 metadata', async () => {
		expect(await discoverEndpoints(`${base}/rfc8414`)).toMatchObject({ issuer: `${base}/rfc8414`, tokenEndpoint: 't', deviceAuthorizationEndpoint: 'd' });
	});

	it('says when the issuer has no metadata or cannot be reached', async () => {
		await expect(discoverEndpoints(`${base}/nothing`)).rejects.toThrow(/could not read the OAuth metadata of .*HTTP 404/);
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = await failure(discoverEndpoints(`http://127.0.0.1:${port}`));
		expect(error).toBeInstanceOf(OAuthError);
		expect(error.message).toMatch(/could not reach .*ECONNREFUSED/);
	});
});

describe('a GitHub-style server', () => {
	it('asks for JSON, and reads form-encoded answers and errors sent with HTTP 200', async () => {
		const accepts: string[] = [];
		let polls = 0;
		const github = createServer((request, response) => {
			accepts.push(request.headers.accept ?? '');
			polls++;
			const body = polls === 1 ? 'error=authorization_pending&error_description=pending' : 'access_token=gho_form&token_type=bearer&scope=read%3Auser';
			response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }).end(body);
		});
		await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
		try {
			const tokenEndpoint = `http://127.0.0.1:${(github.address() as AddressInfo).port}/login/oauth/access_token`;
			const code = { deviceCode: 'dc', userCode: 'WDJB-MJHT', verificationUri: 'https://github.com/login/device', expiresIn: 60, intervalSec: 0.05 };
			const outcomes: string[] = [];
			const tokens = await pollForToken({ tokenEndpoint }, code, { clientId: 'Iv1.x', onPoll: (outcome) => outcomes.push(outcome) });
			expect(tokens).toEqual({ accessToken: 'gho_form', tokenType: 'bearer', scope: 'read:user', refreshToken: undefined, expiresIn: undefined, idToken: undefined });
			expect(outcomes).toEqual(['authorization_pending']);
			expect(accepts).toEqual(['application/json', 'application/json']);
		} finally {
			await new Promise<void>((resolve) => github.close(() => resolve()));
		}
	});
});
