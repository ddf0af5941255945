import { APIConnectionError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { IncompleteStreamError, classifyFailure, redact } from '../../source/model/failure.ts';

const apiError = (status: number, message: string, headers: Record<string, string> = {}) =>
	APIError.generate(status, { error: { message } }, undefined, new Headers(headers));

describe('classifyFailure', () => {
	it.each([408, 409, 429, 500, 502, 503, 529])('retries HTTP %i', (status) => {
		expect(classifyFailure(apiError(status, 'busy'))).toMatchObject({
			retryable: true,
			status,
			reason: `HTTP ${status}: busy`,
		});
	});

	it.each([400, 401, 403, 404, 422])('does not retry HTTP %i', (status) => {
		expect(classifyFailure(apiError(status, 'no'))).toMatchObject({ retryable: false, status, serverMessage: 'no' });
	});

	it('keeps a long non-JSON error page to one short line', () => {
		const page = APIError.generate(502, undefined, `<html>\n<body>${'Bad Gateway '.repeat(100)}</body>\n</html>`, new Headers());
		const { reason } = classifyFailure(page);
		expect(reason.startsWith('HTTP 502: <html> <body>Bad Gateway')).toBe(true);
		expect(reason).not.toContain('\n');
		expect(reason.length).toBeLessThan(320);
	});

	it('carries the Retry-After wait', () => {
		expect(classifyFailure(apiError(429, 'slow down', { 'retry-after': '3' })).retryAfterMs).toBe(3000);
	});

	it('obeys x-should-retry', () => {
		expect(classifyFailure(apiError(500, 'x', { 'x-should-retry': 'false' })).retryable).toBe(false);
		expect(classifyFailure(apiError(400, 'x', { 'x-should-retry': 'true' })).retryable).toBe(true);
	});

	it('retries network failures and names the cause', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		const failure = classifyFailure(new APIConnectionError({ cause: new TypeError('fetch failed', { cause: refused }) }));
		expect(failure).toMatchObject({ retryable: true });
		expect(failure.reason).toMatch(/^connection refused \(ECONNREFUSED/);
		const reset = new TypeError('terminated', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
		expect(classifyFailure(reset).reason).toMatch(/^connection reset/);
		expect(classifyFailure(new Error('socket hang up')).retryable).toBe(true);
	});

	it('retries incomplete streams, malformed chunks and mid-stream error events', () => {
		expect(classifyFailure(new IncompleteStreamError('cut'))).toEqual({ retryable: true, reason: 'cut' });
		expect(classifyFailure(new SyntaxError('Unexpected token')).reason).toMatch(/malformed stream chunk/);
		const midStream = new APIError(undefined, { message: 'overloaded' }, undefined, undefined);
		expect(classifyFailure(midStream)).toMatchObject({ retryable: true, reason: expect.stringMatching(/overloaded/) });
	});

	it('does not retry errors of unknown kind', () => {
		expect(classifyFailure(new RangeError('bug'))).toEqual({ retryable: false, reason: 'bug' });
	});
});

describe('redact', () => {
	it('removes every occurrence of the secret', () => {
		expect(redact('key sk-abcdef123 and sk-abcdef123', 'sk-abcdef123')).toBe('key [redacted] and [redacted]');
	});

	it('leaves text alone for absent or very short secrets', () => {
		expect(redact('none of it', undefined)).toBe('none of it');
		expect(redact('none of it', 'none')).toBe('none of it');
	});
});
