import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIModel, type OpenAIModelOptions } from '../../source/model/openai-model.ts';
import { ModelError, type ModelStreamEvent, type ToolSchema } from '../../source/runtime/model.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai-server.ts';

const API_KEY = 'sk-orbit-test-5f3c1a9e7d2b';
const messages = [{ role: 'user' as const, content: 'hello' }];

let fake: FakeOpenAI;
beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await fake.close();
});

function model(options: Partial<OpenAIModelOptions> = {}) {
	return createOpenAIModel({ baseURL: fake.url, model: 'fake-model', baseDelayMs: 1, ...options });
}

interface Outcome {
	events: ModelStreamEvent[];
	error?: unknown;
}

/** Runs a stream to its end; `onEvent` may act mid-stream (abort, break). */
async function run(
	options: Partial<OpenAIModelOptions> = {},
	request: { tools?: ToolSchema[]; signal?: AbortSignal } = {},
	onEvent?: (event: ModelStreamEvent) => 'break' | void,
): Promise<Outcome> {
	const events: ModelStreamEvent[] = [];
	try {
		const stream = model(options).stream({
			messages,
			tools: request.tools ?? [],
			signal: request.signal ?? new AbortController().signal,
		});
		for await (const event of stream) {
			events.push(event);
			if (onEvent?.(event) === 'break') break;
		}
		return { events };
	} catch (error) {
		return { events, error };
	}
}

const textOf = (events: ModelStreamEvent[]) =>
	events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
/** The events after the last retry: what the runtime keeps. */
const finalAttempt = (events: ModelStreamEvent[]) => events.slice(events.findLastIndex((e) => e.type === 'retry') + 1);
const retries = (events: ModelStreamEvent[]) => events.filter((e) => e.type === 'retry');

describe('createOpenAIModel: answers', () => {
	it('streams text deltas as they arrive and ends with done', async () => {
		fake.script({ text: ['Hel', 'lo, ', 'world'] });
		const { events, error } = await run();
		expect(error).toBeUndefined();
		// Chunks that arrive together are handed over as one delta; the text is the same.
		const texts = events.filter((e) => e.type === 'text');
		expect(texts.length).toBeGreaterThan(0);
		expect(texts.map((e) => e.delta).join('')).toBe('Hello, world');
		expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
	});

	it('sends the request the protocol expects', async () => {
		fake.script({ text: 'a' }, { text: 'b' });
		const tool: ToolSchema = { type: 'function', function: { name: 'ls', description: 'list', parameters: { type: 'object' } } };
		await run({ headers: { 'x-orbit-test': 'yes' } });
		await run({ apiKey: API_KEY }, { tools: [tool] });
		const [first, second] = fake.requests;
		expect(first).toMatchObject({
			method: 'POST',
			path: '/v1/chat/completions',
			body: { model: 'fake-model', messages, stream: true, stream_options: { include_usage: true } },
		});
		expect(first!.body).not.toHaveProperty('tools');
		expect(first!.headers['x-orbit-test']).toBe('yes');
		expect(first!.headers.authorization).toBe('Bearer none');
		expect(second!.body.tools).toEqual([tool]);
		expect(second!.headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('assembles two parallel tool calls from fragments, after the text, in index order', async () => {
		fake.script({
			text: 'Let me look.',
			toolCalls: [
				{ id: 'call_read', name: 'read_file', arguments: { path: 'source/index.ts', limit: 20 } },
				{ id: 'call_grep', name: 'grep', arguments: { pattern: 'export \\w+', path: 'source' } },
			],
		});
		const { events, error } = await run();
		expect(error).toBeUndefined();
		const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.call] : []));
		expect(calls.map((c) => [c.id, c.type, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
			['call_read', 'function', 'read_file', { path: 'source/index.ts', limit: 20 }],
			['call_grep', 'function', 'grep', { pattern: 'export \\w+', path: 'source' }],
		]);
		expect(events.map((e) => e.type).filter((type, index, all) => type !== 'text' || all[index - 1] !== 'text')).toEqual(['text', 'tool-call', 'tool-call', 'usage', 'done']);
		expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'tool_calls' });
	});

	it('assembles whole calls from a provider that omits index and id, with unique generated ids', async () => {
		const chunk = (delta: object, finish: string | null = null) =>
			JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
		const whole = (name: string, args: string) => chunk({ tool_calls: [{ type: 'function', function: { name, arguments: args } }] });
		fake.script(
			{ chunks: [whole('ls', '{"dir":"a"}'), whole('ls', '{"dir":"b"}'), chunk({}, 'tool_calls'), '[DONE]'] },
			{ chunks: [whole('ls', '{"dir":"c"}'), chunk({}, 'tool_calls'), '[DONE]'] },
		);
		const client = model();
		const ids: string[] = [];
		const args: unknown[] = [];
		for (let turn = 0; turn < 2; turn++) {
			for await (const event of client.stream({ messages, tools: [], signal: new AbortController().signal })) {
				if (event.type === 'tool-call') {
					ids.push(event.call.id);
					args.push(JSON.parse(event.call.function.arguments));
				}
			}
		}
		expect(args).toEqual([{ dir: 'a' }, { dir: 'b' }, { dir: 'c' }]);
		expect(ids).toEqual(['call_1', 'call_2', 'call_3']);
	});

	it('reports usage from the final chunk', async () => {
		fake.script({ text: 'hi', usage: { prompt_tokens: 123, completion_tokens: 45 } });
		const { events } = await run();
		expect(events.slice(-2)).toEqual([
			{ type: 'usage', usage: { promptTokens: 123, completionTokens: 45, totalTokens: 168 } },
			{ type: 'done', finishReason: 'stop' },
		]);
	});

	it('passes the finish reason through', async () => {
		fake.script({ text: 'truncat', finishReason: 'length' });
		const { events } = await run();
		expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' });
	});
});

describe('createOpenAIModel: retries', () => {
	it('retries a 500 once, then answers', async () => {
		fake.script({ status: 500, body: { error: { message: 'upstream exploded' } } }, { text: 'recovered' });
		const { events, error } = await run();
		expect(error).toBeUndefined();
		expect(retries(events)).toEqual([
			{ type: 'retry', attempt: 1, delayMs: expect.any(Number), reason: 'HTTP 500: upstream exploded' },
		]);
		expect(events[0]!.type).toBe('retry');
		expect(textOf(finalAttempt(events))).toBe('recovered');
		expect(fake.requests).toHaveLength(2);
	});

	it('honours Retry-After: 1 on a 429 (delayMs 1000)', async () => {
		fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached' } } }, { text: 'ok' });
		const { events, error } = await run({ maxDelayMs: 5000 });
		expect(error).toBeUndefined();
		expect(retries(events)).toEqual([
			{ type: 'retry', attempt: 1, delayMs: 1000, reason: 'HTTP 429: Rate limit reached' },
		]);
		expect(textOf(finalAttempt(events))).toBe('ok');
	});

	it('honours retry-after-ms and caps a long Retry-After at maxDelayMs', async () => {
		fake.script(
			{ status: 503, headers: { 'retry-after-ms': '30' } },
			{ status: 429, headers: { 'retry-after': '3600' } },
			{ text: 'ok' },
		);
		const { events } = await run({ maxDelayMs: 50 });
		expect(retries(events).map((e) => e.type === 'retry' && e.delayMs)).toEqual([30, 50]);
		expect(textOf(finalAttempt(events))).toBe('ok');
	});

	it('retries a cut stream and never takes the partial text as the answer', async () => {
		fake.script({ text: 'partial answer that never ends', chunkDelayMs: 80, cutAfter: 3 }, { text: 'the real answer' });
		const { events, error } = await run();
		expect(error).toBeUndefined();
		const retryAt = events.findIndex((e) => e.type === 'retry');
		expect(retryAt).toBeGreaterThan(0);
		// Shown as it came; what was still unread when the connection was cut is lost with it.
		const shown = textOf(events.slice(0, retryAt));
		expect(shown).toMatch(/^partial /);
		expect('partial answer '.startsWith(shown)).toBe(true);
		expect(textOf(finalAttempt(events))).toBe('the real answer');
		expect(finalAttempt(events).at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
		expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
	});

	it('retries a stream that ends without a finish reason', async () => {
		fake.script({ text: 'looks complete', finishReason: null }, { text: 'second attempt' });
		const { events, error } = await run();
		expect(error).toBeUndefined();
		expect(retries(events)).toEqual([
			{ type: 'retry', attempt: 1, delayMs: expect.any(Number), reason: 'the stream ended without a finish reason' },
		]);
		expect(textOf(finalAttempt(events))).toBe('second attempt');
	});

	it('retries a stream that stalls past the idle timeout, closing its connection', async () => {
		fake.script({ text: 'and then silence', stallAfter: 2 }, { text: 'awake' });
		const { events, error } = await run({ idleTimeoutMs: 200 });
		expect(error).toBeUndefined();
		expect(retries(events)).toEqual([
			{ type: 'retry', attempt: 1, delayMs: expect.any(Number), reason: 'the server sent nothing for 200 ms' },
		]);
		expect(textOf(finalAttempt(events))).toBe('awake');
		await fake.waitForClose(0);
	});

	it('retries a malformed JSON chunk (decision: a retry, not an immediate error)', async () => {
		const good = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'half' }, finish_reason: null }] });
		fake.script({ chunks: [good, '{"choices": [{"delta": {"content": "br'] }, { text: 'whole' });
		const { events, error } = await run();
		expect(error).toBeUndefined();
		const [retry] = retries(events);
		expect(retry).toMatchObject({ reason: expect.stringMatching(/^the server sent a malformed stream chunk/) });
		expect(textOf(finalAttempt(events))).toBe('whole');
	});

	it('gives a clear ModelError when malformed chunks persist past the retries', async () => {
		fake.script({ chunks: ['not json'] }, { chunks: ['not json'] });
		const { events, error } = await run({ maxRetries: 1 });
		expect(retries(events)).toHaveLength(1);
		expect(error).toBeInstanceOf(ModelError);
		expect((error as ModelError).message).toMatch(/failed after 1 retry: the server sent a malformed stream chunk/);
	});

	it('retries an error event sent inside the stream', async () => {
		fake.script({ chunks: [JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })] }, { text: 'fine' });
		const { events } = await run();
		expect(retries(events)).toEqual([
			{ type: 'retry', attempt: 1, delayMs: expect.any(Number), reason: 'the server reported an error mid-stream: overloaded' },
		]);
		expect(textOf(finalAttempt(events))).toBe('fine');
	});

	it('gives up on a dead endpoint after maxRetries with a ModelError naming the cause', async () => {
		const port = await freePort();
		const baseURL = `http://127.0.0.1:${port}/v1`;
		const { events, error } = await run({ baseURL, maxRetries: 2 });
		expect(retries(events).map((e) => e.type === 'retry' && [e.attempt, e.reason])).toEqual([
			[1, 'connection refused (ECONNREFUSED)'],
			[2, 'connection refused (ECONNREFUSED)'],
		]);
		expect(error).toBeInstanceOf(ModelError);
		expect((error as ModelError).message).toBe(
			`Model request to ${baseURL} failed after 2 retries: connection refused (ECONNREFUSED)`,
		);
		expect((error as ModelError).retryable).toBe(true);
	});

	it('uses up exactly maxRetries retries on repeated 5xx and reports the last status', async () => {
		fake.script({ status: 502 }, { status: 503 }, { status: 504, body: { error: { message: 'gateway timeout' } } });
		const { events, error } = await run({ maxRetries: 2 });
		expect(retries(events).map((e) => e.type === 'retry' && e.attempt)).toEqual([1, 2]);
		expect(fake.requests).toHaveLength(3);
		expect(error).toMatchObject({ name: 'ModelError', status: 504 });
		expect((error as Error).message).toMatch(/failed after 2 retries: HTTP 504: gateway timeout$/);
	});
});

describe('createOpenAIModel: errors retrying cannot fix', () => {
	it('does not retry a 401 and points at the key without leaking it', async () => {
		fake.script({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}.`, code: 'invalid_api_key' } } });
		const { events, error } = await run({ apiKey: API_KEY });
		expect(events).toEqual([]);
		expect(fake.requests).toHaveLength(1);
		expect(error).toBeInstanceOf(ModelError);
		const { message, status } = error as ModelError;
		expect(status).toBe(401);
		expect(message).toContain('OPENAI_API_KEY');
		expect(message).toContain('orbit login');
		expect(message).toContain('Incorrect API key provided: [redacted].');
		expect(message).not.toContain(API_KEY);
	});

	it.each([400, 403, 404, 422])('does not retry a %i and includes the server message', async (status) => {
		fake.script({ status, body: { error: { message: `server says ${status}` } } });
		const { error } = await run();
		expect(fake.requests).toHaveLength(1);
		expect(error).toMatchObject({ name: 'ModelError', status, retryable: false });
		expect((error as Error).message).toContain(`HTTP ${status}: server says ${status}`);
	});

	it("reports a proxy's plain-text error page by its text", async () => {
		const proxy = createHttpServer((_request, response) => {
			response.writeHead(403, { 'Content-Type': 'text/html' }).end('<h1>Blocked by the corporate proxy</h1>');
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		try {
			const { error } = await run({ baseURL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1` });
			expect(error).toMatchObject({ name: 'ModelError', status: 403, retryable: false });
			expect((error as Error).message).toContain('HTTP 403: <h1>Blocked by the corporate proxy</h1>');
		} finally {
			proxy.close();
		}
	});

	it('names an invalid base URL instead of retrying it', async () => {
		const { events, error } = await run({ baseURL: 'not a url' });
		expect(retries(events)).toEqual([]);
		expect(error).toMatchObject({ name: 'ModelError', retryable: false });
		expect((error as Error).message).toMatch(/^Model request failed: Invalid URL/);
	});

	it('fails at once and visibly when the fake server has no scripted reply', async () => {
		const { error } = await run();
		expect(fake.requests).toHaveLength(1);
		expect((error as Error).message).toContain('fake server: no scripted reply');
	});
});

describe('createOpenAIModel: abort', () => {
	it('throws promptly and closes the connection when aborted mid-stream', async () => {
		fake.script({ text: 'thinking very hard', stallAfter: 2 });
		const controller = new AbortController();
		let abortedAt = 0;
		const { events, error } = await run({}, { signal: controller.signal }, (event) => {
			if (event.type === 'text') {
				abortedAt = Date.now();
				controller.abort();
			}
		});
		expect(Date.now() - abortedAt).toBeLessThan(10_000);
		expect(events).toEqual([{ type: 'text', delta: 'thinking ' }]);
		expect(error).toBe(controller.signal.reason);
		expect(error).toMatchObject({ name: 'AbortError' });
		await fake.waitForClose(0);
	});

	it('throws the caller-given reason when aborted during a slow stream', async () => {
		fake.script({ text: 'one two three four five six seven eight', chunkDelayMs: 100 });
		const controller = new AbortController();
		const reason = new Error('user pressed Esc');
		const { events, error } = await run({}, { signal: controller.signal }, (event) => {
			if (event.type === 'text') controller.abort(reason);
		});
		expect(error).toBe(reason);
		expect(events.map((e) => e.type)).toEqual(['text']);
		await fake.waitForClose(0);
	});

	it('stops waiting to retry when aborted during the backoff', async () => {
		fake.script({ status: 429, headers: { 'retry-after': '20' } }, { text: 'never reached' });
		const controller = new AbortController();
		let abortedAt = 0;
		const { events, error } = await run({ maxDelayMs: 60_000 }, { signal: controller.signal }, (event) => {
			if (event.type === 'retry') {
				abortedAt = Date.now();
				controller.abort();
			}
		});
		expect(events).toEqual([{ type: 'retry', attempt: 1, delayMs: 20_000, reason: expect.stringContaining('HTTP 429') }]);
		expect(Date.now() - abortedAt).toBeLessThan(10_000);
		expect(error).toMatchObject({ name: 'AbortError' });
		expect(fake.requests).toHaveLength(1);
	});

	it('makes no request when the signal is already aborted', async () => {
		fake.script({ text: 'unused' });
		const { events, error } = await run({}, { signal: AbortSignal.abort() });
		expect(events).toEqual([]);
		expect(error).toMatchObject({ name: 'AbortError' });
		expect(fake.requests).toHaveLength(0);
	});

	it('closes the connection when the consumer stops iterating early', async () => {
		fake.script({ text: 'a long answer nobody reads to the end', chunkDelayMs: 50 });
		const { events, error } = await run({}, {}, (event) => (event.type === 'text' ? 'break' : undefined));
		expect(error).toBeUndefined();
		expect(events).toHaveLength(1);
		await fake.waitForClose(0);
	});
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
