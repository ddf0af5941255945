/** How long to wait between attempts. All values in milliseconds. */
export interface RetryPolicy {
	/** Retries after the first attempt; `maxRetries + 1` attempts in all. */
	maxRetries: number;
	/** The first backoff step; it doubles with each retry. */
	baseDelayMs: number;
	/** No wait is longer, whatever the server asks for. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The wait before retry number `retry` (1-based). A server's own wait (`retryAfterMs`, from
 * Retry-After) wins; otherwise exponential backoff `baseDelayMs · 2^(retry-1)` with equal jitter
 * (between half and all of it). Either way capped at `maxDelayMs`, never negative, whole ms.
 */
export function retryDelayMs(
	retry: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return clamp(retryAfterMs, policy.maxDelayMs);
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	return clamp(step / 2 + (random() * step) / 2, policy.maxDelayMs);
}

/**
 * The server's requested wait in ms from `retry-after-ms` (milliseconds, a non-standard header
 * OpenAI sends) or `Retry-After` (seconds, or an HTTP date relative to `now`). Undefined when
 * neither is present or parsable; a date in the past gives 0.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
	const ms = parseNumber(headers?.get('retry-after-ms'));
	if (ms !== undefined) return Math.max(0, ms);
	const value = headers?.get('retry-after')?.trim();
	if (!value) return undefined;
	const seconds = parseNumber(value);
	if (seconds !== undefined) return Math.max(0, seconds * 1000);
	const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`; rejects with `signal.reason` as soon as the signal aborts (at once if it already has). */
export function waitAbortably(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) {
			reject(signal.reason);
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

function parseNumber(value: string | null | undefined): number | undefined {
	if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
	return Number(value);
}

function clamp(ms: number, max: number): number {
	return Math.round(Math.min(Math.max(0, ms), max));
}
