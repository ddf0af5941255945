import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs, waitAbortably } from '../../source/model/retry.ts';

const policy = { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
	it('doubles per retry with jitter between half and all of the step', () => {
		expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(50);
		expect(retryDelayMs(1, policy, undefined, () => 1)).toBe(100);
		expect(retryDelayMs(3, policy, undefined, () => 0)).toBe(200);
		expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(400);
		const draws = Array.from({ length: 50 }, () => retryDelayMs(2, policy));
		expect(Math.min(...draws)).toBeGreaterThanOrEqual(100);
		expect(Math.max(...draws)).toBeLessThanOrEqual(200);
		expect(new Set(draws).size).toBeGreaterThan(1);
	});

	it('caps backoff at maxDelayMs', () => {
		expect(retryDelayMs(10, policy, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(10, policy, undefined, () => 0)).toBe(500);
	});

	it("prefers the server's wait, capped at maxDelayMs", () => {
		expect(retryDelayMs(1, policy, 700, () => 0)).toBe(700);
		expect(retryDelayMs(1, policy, 60_000, () => 0)).toBe(1000);
		expect(retryDelayMs(1, policy, 0, () => 1)).toBe(0);
	});
});

describe('parseRetryAfter', () => {
	it('reads Retry-After in seconds', () => {
		expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
		expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
	});

	it('reads Retry-After as an HTTP date relative to now', () => {
		const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
		expect(parseRetryAfter(new Headers({ 'retry-after': date }), Date.parse(date) - 3000)).toBe(3000);
		expect(parseRetryAfter(new Headers({ 'retry-after': date }), Date.parse(date) + 3000)).toBe(0);
	});

	it('prefers retry-after-ms', () => {
		expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
	});

	it('gives undefined when absent or unparsable', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter(new Headers())).toBeUndefined();
		expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
		expect(parseRetryAfter(new Headers({ 'retry-after': '-5' }))).toBeUndefined();
	});
});

describe('waitAbortably', () => {
	it('resolves after the wait', async () => {
		await expect(waitAbortably(5, new AbortController().signal)).resolves.toBeUndefined();
	});

	it("rejects with the signal's reason as soon as it aborts", async () => {
		const controller = new AbortController();
		const started = Date.now();
		const wait = waitAbortably(60_000, controller.signal);
		controller.abort(new Error('stop'));
		await expect(wait).rejects.toThrow('stop');
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('rejects at once when already aborted', async () => {
		await expect(waitAbortably(60_000, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
	});
});
