/**
 * The few HTTP exchanges OAuth needs: form-encoded POSTs and JSON GETs, with errors a user can act on.
 * Never puts a request body (which may hold a token or device code) into an error message.
 */

export type FetchLike = typeof fetch;

/** Longest wait for one OAuth request before it counts as unreachable. */
export const OAUTH_REQUEST_TIMEOUT_MS = 30_000;

export interface HttpOptions {
	fetch?: FetchLike;
	signal?: AbortSignal;
}

/** A failed OAuth exchange. `code` is the server's `error` value when it sent one. */
export class OAuthError extends Error {
	override name = 'OAuthError';
	constructor(
		message: string,
		readonly code?: string,
		readonly status?: number,
	) {
		super(message);
	}
}

export interface OAuthReply {
	status: number;
	/** The parsed body: JSON, or form-encoded fields (GitHub answers that way without `Accept`). */
	body: Record<string, unknown>;
}

/** POSTs `fields` form-encoded (undefined ones left out) and parses the reply. Throws `OAuthError` when unreachable or unreadable; an HTTP error status is returned, not thrown. */
export async function postForm(url: string, fields: Record<string, string | undefined>, options: HttpOptions = {}): Promise<OAuthReply> {
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.set(key, value);
	return request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() }, options);
}

/** GETs JSON from `url`, with an optional bearer. Same contract as `postForm`. */
export async function getJson(url: string, options: HttpOptions & { bearer?: string } = {}): Promise<OAuthReply> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
	return request(url, { method: 'GET', headers }, options);
}

async function request(url: string, init: RequestInit, options: HttpOptions): Promise<OAuthReply> {
	const doFetch = options.fetch ?? fetch;
	const timeout = AbortSignal.timeout(OAUTH_REQUEST_TIMEOUT_MS);
	const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
	let response: Response;
	let text: string;
	try {
		response = await doFetch(url, { ...init, signal, redirect: 'follow' });
		text = await response.text();
	} catch (error) {
		if (options.signal?.aborted) throw options.signal.reason;
		if (timeout.aborted) throw new OAuthError(`could not reach ${url}: no answer within ${OAUTH_REQUEST_TIMEOUT_MS / 1000} s`);
		throw new OAuthError(`could not reach ${url}: ${describeCause(error)}`);
	}
	return { status: response.status, body: parseBody(url, response, text) };
}

function parseBody(url: string, response: Response, text: string): Record<string, unknown> {
	const type = response.headers.get('content-type') ?? '';
	if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
	if (text.trim() === '') return {};
	try {
		const value: unknown = JSON.parse(text);
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// fall through: not JSON
	}
	throw new OAuthError(`${url} answered HTTP ${response.status} with something other than a JSON object (${type || 'no content type'}); is this the right address?`, undefined, response.status);
}

function describeCause(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A string field of a reply, or undefined. */
export function stringField(body: Record<string, unknown>, key: string): string | undefined {
	const value = body[key];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A numeric field (JSON number or numeric string, as form-encoded replies give), or undefined. */
export function numberField(body: Record<string, unknown>, key: string): number | undefined {
	const value = body[key];
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
	return Number.isFinite(number) ? number : undefined;
}

/** The server's `error` and `error_description` as one sentence, e.g. `invalid_grant (grant request is invalid)`. */
export function describeOAuthError(body: Record<string, unknown>, status: number): string {
	const code = stringField(body, 'error');
	const description = stringField(body, 'error_description');
	if (code) return description ? `${code} (${description})` : code;
	return `HTTP ${status}`;
}

/** An abortable wait; rejects with `signal.reason` when aborted. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
