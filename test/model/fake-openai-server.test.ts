import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai-server.ts';

let fake: FakeOpenAI;
beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await fake.close();
});

function post(body: unknown, signal?: AbortSignal): Promise<Response> {
	return fetch(`${fake.url}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer test' },
		body: JSON.stringify(body),
		...(signal && { signal }),
	});
}

const streaming = { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true };

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
	return text
		.split('\n\n')
		.filter((event) => event !== '')
		.map((event) => {
			expect(event.startsWith('data: ')).toBe(true);
			return event.slice('data: '.length);
		});
}

describe('fake OpenAI server', () => {
	it('streams text as chat.completion.chunk events ending in [DONE]', async () => {
		fake.script({ text: 'one two three' });
		const response = await post(streaming);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		const data = sseData(await response.text());
		expect(data.at(-1)).toBe('[DONE]');
		const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
		expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm')).toBe(true);
		expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
		expect(chunks.slice(1, -1).map((c) => c.choices[0].delta.content)).toEqual(['one ', 'two ', 'three']);
		expect(chunks.at(-1).choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
	});

	it('streams tool calls as a header fragment, then the arguments in several fragments', async () => {
		fake.script({ toolCalls: [{ id: 'call_x', name: 'read_file', arguments: { path: 'a/long/enough/path.ts' } }] });
		const data = sseData(await (await post(streaming)).text());
		const fragments = data
			.slice(0, -1)
			.map((d) => JSON.parse(d).choices[0])
			.flatMap((choice) => choice.delta.tool_calls ?? []);
		expect(fragments[0]).toEqual({ index: 0, id: 'call_x', type: 'function', function: { name: 'read_file', arguments: '' } });
		const rest = fragments.slice(1);
		expect(rest.length).toBeGreaterThanOrEqual(2);
		expect(rest.every((f) => f.index === 0 && f.id === undefined)).toBe(true);
		expect(JSON.parse(rest.map((f) => f.function.arguments).join(''))).toEqual({ path: 'a/long/enough/path.ts' });
		expect(JSON.parse(data.at(-2)!).choices[0].finish_reason).toBe('tool_calls');
	});

	it('sends usage in a final chunk with empty choices only when asked to', async () => {
		fake.script({ text: 'x', usage: { prompt_tokens: 7, completion_tokens: 3 } }, { text: 'y' });
		const asked = sseData(await (await post({ ...streaming, stream_options: { include_usage: true } })).text());
		const usageChunk = JSON.parse(asked.at(-2)!);
		expect(usageChunk.choices).toEqual([]);
		expect(usageChunk.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
		const notAsked = sseData(await (await post(streaming)).text());
		expect(notAsked.some((d) => d !== '[DONE]' && JSON.parse(d).usage)).toBe(false);
	});

	it('answers a non-streaming request with one chat.completion', async () => {
		fake.script({ text: 'whole answer' });
		const body = await (await post({ ...streaming, stream: false })).json();
		expect(body).toMatchObject({
			object: 'chat.completion',
			choices: [{ message: { role: 'assistant', content: 'whole answer' }, finish_reason: 'stop' }],
		});
	});

	it('answers scripted errors with their status, headers and body', async () => {
		fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } });
		const response = await post(streaming);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('1');
		expect(await response.json()).toEqual({ error: { message: 'slow down' } });
	});

	it('answers 500 "no scripted reply" when the queue is empty', async () => {
		const response = await post(streaming);
		expect(response.status).toBe(500);
		expect(response.headers.get('x-should-retry')).toBe('false');
		expect(((await response.json()) as { error: { message: string } }).error.message).toBe('fake server: no scripted reply');
	});

	it('consumes replies in order and passes the request to function replies', async () => {
		fake.script({ text: 'first' }, (request) => ({ text: `you said ${request.body.messages[0].content}` }));
		expect(fake.pending()).toBe(2);
		await (await post(streaming)).text();
		const data = sseData(await (await post(streaming)).text());
		const text = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta.content ?? '').join('');
		expect(text).toBe('you said hi');
		expect(fake.pending()).toBe(0);
	});

	it('records requests with path, method, headers and parsed body', async () => {
		fake.script({ text: 'x' });
		await (await post(streaming)).text();
		expect(fake.requests).toEqual([
			{
				path: '/v1/chat/completions',
				method: 'POST',
				headers: expect.objectContaining({ authorization: 'Bearer test' }),
				body: streaming,
				closedEarly: false,
			},
		]);
	});

	it('sends exactly cutAfter events, then drops the connection', async () => {
		fake.script({ text: 'a b c d e f', cutAfter: 3 });
		const response = await post(streaming);
		const reader = response.body!.getReader();
		let received = '';
		const error = await (async () => {
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) return undefined;
					received += new TextDecoder().decode(value);
				}
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(Error);
		expect(sseData(received)).toHaveLength(3);
		expect(fake.requests[0]!.closedEarly).toBe(false);
	});

	it('keeps a stalled reply open until the client leaves, and reports the close', async () => {
		fake.script({ text: 'a b c', stallAfter: 2 });
		const controller = new AbortController();
		const response = await post(streaming, controller.signal);
		const reader = response.body!.getReader();
		const first = await reader.read();
		expect(new TextDecoder().decode(first.value)).toContain('chat.completion.chunk');
		expect(fake.requests[0]!.closedEarly).toBe(false);
		controller.abort();
		await fake.waitForClose(0);
		expect(fake.requests[0]!.closedEarly).toBe(true);
	});

	it('lists models and answers 404 on unknown routes', async () => {
		const models = await (await fetch(`${fake.url}/models`)).json();
		expect(models).toEqual({ object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
		const missing = await fetch(`${fake.url}/nope`);
		expect(missing.status).toBe(404);
		expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models', 'GET /v1/nope']);
	});

	it('rejects waits with a clear message at their deadline', async () => {
		await expect(fake.waitForRequest(1, 50)).rejects.toThrow('fake server: expected 1 request(s) within 50 ms, got 0');
		await expect(fake.waitForClose(0, 50)).rejects.toThrow(/did not close request 0's connection within 50 ms/);
	});
});
