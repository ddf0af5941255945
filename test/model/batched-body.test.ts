import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { batchedBody } from '../../source/model/batched-body.ts';

/** Collects the batches (as text) of `body` while `feed` writes into it. */
async function batches(body: PassThrough, restMs: number, feed: () => Promise<void>): Promise<string[]> {
	const out: string[] = [];
	const reading = (async () => {
		for await (const batch of batchedBody(body, restMs)) out.push(batch.toString());
	})();
	await feed();
	await reading;
	return out;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batchedBody', () => {
	it('hands over small writes made while it rests as one batch, and loses none', async () => {
		const body = new PassThrough();
		const out = await batches(body, 500, async () => {
			body.write('a');
			await tick();
			// Resting now: these wait in the body until the rest is over.
			body.write('b');
			body.write('c');
			await tick();
			body.end('d');
		});
		expect(out.join('')).toBe('abcd');
		expect(out[0]).toBe('a');
		expect(out.length).toBe(2);
	});

	it('does not rest while a burst arrives (16 KB or more at once)', async () => {
		const body = new PassThrough();
		const big = 'x'.repeat(20 * 1024);
		const out = await batches(body, 60_000, async () => {
			body.write(big);
			await tick();
			body.write(big);
			await tick();
			body.end();
		});
		// One 60 s rest would outlast the test.
		expect(out.join('')).toBe(big + big);
	});

	it('throws the stream error after handing over what arrived before it', async () => {
		const body = new PassThrough();
		const out: string[] = [];
		const failure = (async () => {
			for await (const batch of batchedBody(body, 0)) out.push(batch.toString());
		})();
		body.write('before');
		await tick();
		body.destroy(new Error('connection reset'));
		await expect(failure).rejects.toThrow('connection reset');
		expect(out).toEqual(['before']);
	});

	it('destroys the body when the reader stops early', async () => {
		const body = new PassThrough();
		body.write('first');
		for await (const batch of batchedBody(body, 0)) {
			expect(batch.toString()).toBe('first');
			break;
		}
		expect(body.destroyed).toBe(true);
	});
});
