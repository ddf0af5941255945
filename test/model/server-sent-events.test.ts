import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from '../../source/model/server-sent-events.ts';

async function collect(chunks: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
	const encoder = new TextEncoder();
	async function* body() {
		for (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
	}
	const events: ServerSentEvent[] = [];
	for await (const batch of readServerSentEvents(body())) {
		expect(batch.length).toBeGreaterThan(0);
		events.push(...batch);
	}
	return events;
}

describe('readServerSentEvents', () => {
	it('splits events at blank lines whatever the chunking', async () => {
		const text = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
		const whole = await collect([text]);
		const byteByByte = await collect(text.split(''));
		expect(whole).toEqual([
			{ event: null, data: '{"a":1}' },
			{ event: null, data: '{"b":2}' },
			{ event: null, data: '[DONE]' },
		]);
		expect(byteByByte).toEqual(whole);
	});

	it('accepts CRLF and CR line ends, also a CRLF cut between two chunks', async () => {
		expect(await collect(['data: one\r', '\n\r\ndata: two\r\rdata: three\r\n\r\n'])).toEqual([
			{ event: null, data: 'one' },
			{ event: null, data: 'two' },
			{ event: null, data: 'three' },
		]);
	});

	it('joins data lines, keeps the event name, skips comments and unknown fields', async () => {
		expect(await collect([': keep-alive\n\nevent: error\nid: 7\ndata: first\ndata:second\nretry: 10\n\n'])).toEqual([{ event: 'error', data: 'first\nsecond' }]);
	});

	it('decodes a multi-byte character cut between chunks', async () => {
		const bytes = new TextEncoder().encode('data: héllo → ✓\n\n');
		const cut = bytes.indexOf(0xe2) + 1;
		expect(await collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([{ event: null, data: 'héllo → ✓' }]);
	});

	it('hands over the events completed by one chunk together', async () => {
		const sizes: number[] = [];
		async function* body() {
			yield new TextEncoder().encode('data: 1\n\ndata: 2\n\ndata: 3');
			yield new TextEncoder().encode('\n\n');
		}
		for await (const batch of readServerSentEvents(body())) sizes.push(batch.length);
		expect(sizes).toEqual([2, 1]);
	});

	it('drops an event the stream ended before its blank line', async () => {
		expect(await collect(['data: complete\n\ndata: torn'])).toEqual([{ event: null, data: 'complete' }]);
	});

	it('throws what the body throws (a cut connection)', async () => {
		async function* body() {
			yield new TextEncoder().encode('data: x\n\n');
			throw new TypeError('terminated');
		}
		const seen: string[] = [];
		await expect(
			(async () => {
				for await (const batch of readServerSentEvents(body())) seen.push(...batch.map((event) => event.data));
			})(),
		).rejects.toThrow('terminated');
		expect(seen).toEqual(['x']);
	});
});
