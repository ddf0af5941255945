import type { AuthEndpoints } from './discovery.ts';
import { delay, describeOAuthError, type HttpOptions, numberField, OAuthError, postForm, stringField } from './oauth-http.ts';
import { parseTokenSet, type TokenSet } from './token-set.ts';

/** RFC 8628 §3.2: what the device authorization endpoint hands out. `deviceCode` is a secret. */
export interface DeviceCode {
	deviceCode: string;
	userCode: string;
	verificationUri: string;
	verificationUriComplete?: string;
	/** Seconds the codes live. */
	expiresIn: number;
	/** Seconds between polls: the server's `interval`, 5 when absent. */
	intervalSec: number;
}

export const DEFAULT_POLL_INTERVAL_SEC = 5;
/** RFC 8628 §3.5: what `slow_down` adds to the interval. */
export const SLOW_DOWN_STEP_SEC = 5;
const DEFAULT_CODE_LIFETIME_SEC = 900;

/**
 * The device flow ended without tokens. `code` is the server's error (`expired_token`,
 * `access_denied`, …) or `expired_token` when the code's lifetime ran out while polling.
 */
export class DeviceFlowError extends Error {
	override name = 'DeviceFlowError';
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
	}
}

export interface DeviceCodeRequest extends HttpOptions {
	clientId: string;
	scope?: string;
}

/** Asks for a device code and user code. Throws `DeviceFlowError` when the server refuses, `OAuthError` when it cannot be reached or read. */
export async function requestDeviceCode(endpoints: Pick<AuthEndpoints, 'deviceAuthorizationEndpoint'>, request: DeviceCodeRequest): Promise<DeviceCode> {
	const url = endpoints.deviceAuthorizationEndpoint;
	const { status, body } = await postForm(url, { client_id: request.clientId, scope: request.scope }, request);
	const error = stringField(body, 'error');
	if (error || status >= 400) throw new DeviceFlowError(`the server refused the sign-in request: ${describeOAuthError(body, status)}`, error ?? `http_${status}`);
	const deviceCode = stringField(body, 'device_code');
	const userCode = stringField(body, 'user_code');
	const verificationUri = stringField(body, 'verification_uri') ?? stringField(body, 'verification_url');
	if (!deviceCode || !userCode || !verificationUri) throw new OAuthError(`${url} did not answer with a device_code, user_code and verification_uri`, undefined, status);
	const interval = numberField(body, 'interval');
	return {
		deviceCode,
		userCode,
		verificationUri,
		verificationUriComplete: stringField(body, 'verification_uri_complete'),
		expiresIn: numberField(body, 'expires_in') ?? DEFAULT_CODE_LIFETIME_SEC,
		intervalSec: interval !== undefined && interval > 0 ? interval : DEFAULT_POLL_INTERVAL_SEC,
	};
}

export interface PollOptions extends HttpOptions {
	clientId: string;
	/** Told after each answer that means "keep polling", e.g. to show that Orbit still waits. */
	onPoll?: (outcome: 'authorization_pending' | 'slow_down', nextIntervalSec: number) => void;
}

/**
 * Polls the token endpoint (RFC 8628 §3.4–3.5) until the user approves: waits `intervalSec`
 * before each poll, keeps polling on `authorization_pending`, adds 5 s on `slow_down`, and returns
 * the first token set (never polls again after a success). Throws `DeviceFlowError` on any other
 * error (`expired_token`, `access_denied`, …) and with code `expired_token` once the code's
 * `expiresIn` has passed; `OAuthError` when the server cannot be reached; `signal.reason` on abort.
 */
export async function pollForToken(endpoints: Pick<AuthEndpoints, 'tokenEndpoint'>, code: DeviceCode, options: PollOptions): Promise<TokenSet> {
	const deadline = Date.now() + code.expiresIn * 1000;
	let intervalSec = code.intervalSec;
	for (;;) {
		await delay(intervalSec * 1000, options.signal);
		const { status, body } = await postForm(
			endpoints.tokenEndpoint,
			{ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: code.deviceCode, client_id: options.clientId },
			options,
		);
		const error = stringField(body, 'error');
		if (!error) {
			const tokens = parseTokenSet(body);
			if (tokens && status < 400) return tokens;
			throw new DeviceFlowError(`the server answered HTTP ${status} without an access token`, `http_${status}`);
		}
		if (error === 'slow_down') {
			const step = numberField(body, 'interval');
			intervalSec = step !== undefined && step > intervalSec ? step : intervalSec + SLOW_DOWN_STEP_SEC;
		} else if (error !== 'authorization_pending') {
			throw new DeviceFlowError(explain(error, describeOAuthError(body, status)), error);
		}
		if (Date.now() >= deadline) throw new DeviceFlowError(explain('expired_token', 'the code expired'), 'expired_token');
		options.onPoll?.(error, intervalSec);
	}
}

function explain(code: string, detail: string): string {
	if (code === 'expired_token') return 'the code expired before the sign-in was approved; run the login again';
	if (code === 'access_denied') return 'the sign-in was denied';
	return `the sign-in failed: ${detail}`;
}
