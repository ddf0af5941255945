// Fallback models over real HTTP: the fake server answers per model name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfiguredModel } from '../../source/model/configured-model.ts';
import { createFallbackModel } from '../../source/model/fallback-model.ts';
import { ModelError, type ModelClient, type ModelStreamEvent } from '../../source/runtime/model.ts';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';

let fake: FakeOpenAI;
beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await fake.close();
});

const FAST = { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 2 };

/** Scripts `count` replies, each chosen by the requested model name. */
function byModel(count: number, replies: Record<string, ReplyData>): void {
	for (let i = 0; i < count; i++) fake.script((request: RecordedRequest) => replies[request.body.model] ?? { status: 418 });
}

async function run(model: ModelClient, signal = new AbortController().signal, onEvent?: (event: ModelStreamEvent) => void) {
	const events: ModelStreamEvent[] = [];
	const names: string[] = [];
	try {
		for await (const event of model.stream({ messages: [{ role: 'user', content: 'hi' }], tools: [], signal })) {
			events.push(event);
			names.push(model.name);
			onEvent?.(event);
		}
		return { events, names };
	} catch (error) {
		return { events, names, error };
	}
}

const models = () => fake.requests.map((request) => request.body.model as string);

describe('fallback models', () => {
	it('when the primary fails after its retries (5xx), the next model serves the request, visibly', async () => {
		byModel(4, { primary: { status: 503 }, backup: { text: 'from backup', usage: { prompt_tokens: 10, completion_tokens: 5 } } });
		const model = createConfiguredModel({ baseURL: fake.url, model: 'primary', fallbackModels: ['backup'], prices: { primary: { input: 1, output: 1 }, backup: { input: 2, output: 4 } } }, FAST);
		expect(model.name).toBe('primary');
		const { events, names, error } = await run(model);
		expect(error).toBeUndefined();
		expect(models()).toEqual(['primary', 'primary', 'primary', 'backup']);
		const fallback = events.find((event) => event.type === 'fallback');
		expect(fallback).toMatchObject({ type: 'fallback', from: 'primary', to: 'backup' });
		expect((fallback as { reason: string }).reason).toMatch(/failed after 2 retries: HTTP 503/);
		expect(events.filter((event) => event.type === 'retry')).toHaveLength(2);
		const afterFallback = events.slice(events.indexOf(fallback!) + 1);
		expect(afterFallback.filter((event) => event.type === 'text').map((event) => (event as { delta: string }).delta).join('')).toBe('from backup');
		// The backup's own price.
		expect(afterFallback.find((event) => event.type === 'usage')).toMatchObject({ costUsd: (10 * 2 + 5 * 4) / 1_000_000 });
		expect(names.at(-1)).toBe('backup');
		expect(model.name).toBe('backup');
	});

	it('tries the primary again on the next request', async () => {
		byModel(2, { primary: { status: 500 }, backup: { text: 'b' } });
		const model = createConfiguredModel({ baseURL: fake.url, model: 'primary', fallbackModels: ['backup'] }, { ...FAST, maxRetries: 0 });
		await run(model);
		expect(model.name).toBe('backup');
		fake.script({ text: 'primary is back' });
		const second = await run(model);
		expect(second.error).toBeUndefined();
		expect(second.events.some((event) => event.type === 'fallback')).toBe(false);
		expect(models()).toEqual(['primary', 'backup', 'primary']);
		expect(model.name).toBe('primary');
	});

	it('goes down the list, and throws the last model\'s error when all fail', async () => {
		byModel(3, { a: { status: 500 }, b: { status: 429 }, c: { status: 502 } });
		const model = createConfiguredModel({ baseURL: fake.url, model: 'a', fallbackModels: ['b', 'c'] }, { ...FAST, maxRetries: 0 });
		const { events, error } = await run(model);
		expect(events.filter((event) => event.type === 'fallback').map((event) => [(event as { from: string }).from, (event as { to: string }).to])).toEqual([
			['a', 'b'],
			['b', 'c'],
		]);
		expect(error).toBeInstanceOf(ModelError);
		expect((error as ModelError).message).toContain('HTTP 502');
	});

	it.each([400, 401, 404])('does not fall back on HTTP %i: another model cannot fix it', async (status) => {
		byModel(1, { primary: { status } });
		const model = createConfiguredModel({ baseURL: fake.url, model: 'primary', fallbackModels: ['backup'] }, FAST);
		const { events, error } = await run(model);
		expect(error).toBeInstanceOf(ModelError);
		expect((error as ModelError).status).toBe(status);
		expect(events.some((event) => event.type === 'fallback')).toBe(false);
		expect(models()).toEqual(['primary']);
	});

	it('an abort during the primary\'s retries throws the abort and never falls back', async () => {
		byModel(1, { primary: { status: 500, headers: { 'retry-after': '30' } } });
		const model = createConfiguredModel({ baseURL: fake.url, model: 'primary', fallbackModels: ['backup'] }, { maxRetries: 3, maxDelayMs: 60_000 });
		const controller = new AbortController();
		const { events, error } = await run(model, controller.signal, (event) => {
			if (event.type === 'retry') controller.abort();
		});
		expect((error as Error).name).toBe('AbortError');
		expect(events.some((event) => event.type === 'fallback')).toBe(false);
		expect(models()).toEqual(['primary']);
	});

	it('one model is returned as is; an empty list is a programming error', () => {
		const only = createConfiguredModel({ baseURL: fake.url, model: 'solo', fallbackModels: ['solo'] });
		expect(only.name).toBe('solo');
		expect(createFallbackModel([only])).toBe(only);
		expect(() => createFallbackModel([])).toThrow('at least one model');
	});
});
