import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { parseRetryAfter } from './retry.ts';

/**
 * Thrown by an attempt whose stream ended without a complete answer: cut before a finish reason,
 * or stalled past the idle timeout. Always retryable: a partial answer is never taken as the answer.
 */
export class IncompleteStreamError extends Error {
	override readonly name = 'IncompleteStreamError';
}

/** What went wrong in one attempt, and whether trying again can help. */
export interface AttemptFailure {
	retryable: boolean;
	/** One line for people: the status or cause and the server's message. No secrets (see `redact`). */
	reason: string;
	status?: number;
	/** The server's own message, when it sent one. */
	serverMessage?: string;
	/** The wait the server asked for (Retry-After), in ms. */
	retryAfterMs?: number;
}

const RETRYABLE_STATUS = new Set([408, 409, 429]);

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection broken',
	ETIMEDOUT: 'connection timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	UND_ERR_SOCKET: 'connection closed by the server',
	UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
	UND_ERR_HEADERS_TIMEOUT: 'response headers timed out',
	UND_ERR_BODY_TIMEOUT: 'response body timed out',
};

const NETWORK_MESSAGE = /fetch failed|terminated|socket hang up|other side closed|ECONN|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND/i;

/**
 * Classifies anything an attempt threw. Retryable: HTTP 408, 409, 429 and 5xx (unless the server
 * says `x-should-retry: false`; `true` forces a retry), network failures, an error event inside the
 * stream, a malformed (non-JSON) chunk and `IncompleteStreamError`. Not retryable: other HTTP
 * statuses (400, 401, 403, 404, 422, …) and errors of unknown kind. Never throws.
 */
export function classifyFailure(error: unknown): AttemptFailure {
	if (error instanceof IncompleteStreamError) return { retryable: true, reason: error.message };
	if (error instanceof APIConnectionTimeoutError) return { retryable: true, reason: 'the request timed out' };
	if (error instanceof APIConnectionError) return { retryable: true, reason: describeNetworkError(error) };
	if (error instanceof APIError) return classifyApiError(error);
	if (error instanceof SyntaxError) {
		return { retryable: true, reason: `the server sent a malformed stream chunk (${error.message})` };
	}
	if (isNetworkError(error)) return { retryable: true, reason: describeNetworkError(error) };
	return { retryable: false, reason: error instanceof Error ? error.message : String(error) };
}

/** Replaces every occurrence of `secret` in `text`; secrets shorter than 8 characters are left alone (they would mangle the text). */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 8) return text;
	return text.split(secret).join('[redacted]');
}

function classifyApiError(error: APIError): AttemptFailure {
	const serverMessage = messageOf(error);
	const status = error.status;
	if (status === undefined) {
		return { retryable: true, reason: `the server reported an error mid-stream: ${serverMessage}`, serverMessage };
	}
	const forced = error.headers?.get('x-should-retry');
	const retryable =
		forced === 'true' ? true
		: forced === 'false' ? false
		: RETRYABLE_STATUS.has(status) || status >= 500;
	const retryAfterMs = parseRetryAfter(error.headers);
	return {
		retryable,
		reason: `HTTP ${status}: ${serverMessage}`,
		status,
		serverMessage,
		...(retryAfterMs !== undefined && { retryAfterMs }),
	};
}

const MAX_MESSAGE = 300;

/** The server's message without the status the SDK puts in front of it, cut to one readable line. */
function messageOf(error: APIError): string {
	const body = error.error as { message?: unknown } | undefined;
	const text = typeof body?.message === 'string' && body.message !== '' ? body.message : error.message.replace(/^\d{3}\s+/, '');
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	for (let e = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
	return chain;
}

function isNetworkError(error: unknown): boolean {
	return causes(error).some(
		(e) => isNetworkCode(codeOf(e)) || (e instanceof Error && NETWORK_MESSAGE.test(e.message)),
	);
}

/** "connection refused (ECONNREFUSED)", "connection closed by the server (UND_ERR_SOCKET: other side closed)", … */
function describeNetworkError(error: unknown): string {
	const chain = causes(error);
	const coded = chain.find((e) => isNetworkCode(codeOf(e)));
	if (coded) {
		const code = codeOf(coded);
		const detail = coded instanceof Error && !coded.message.includes(code) ? `: ${coded.message}` : '';
		return `${NETWORK_CODES[code]} (${code}${detail})`;
	}
	const deepest = chain.at(-1);
	const message = deepest instanceof Error ? deepest.message : String(deepest);
	return `network error (${message})`;
}

function codeOf(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : '';
}

function isNetworkCode(code: string): boolean {
	return Object.hasOwn(NETWORK_CODES, code);
}
