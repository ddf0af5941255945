// Cost per turn and per session, the cost budget and fallbacks as runtime events: the real model
// client against the fake server on 127.0.0.1, prices from configuration.
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConfiguredModel } from '../../source/model/configured-model.ts';
import { Agent, type AgentLimits } from '../../source/runtime/agent.ts';
import type { EventOf, RuntimeEvent } from '../../source/runtime/events.ts';
import { defineTool } from '../../source/runtime/tool.ts';
import { createPermissionPolicy } from '../../source/sandbox/permission.ts';
import { foldSession } from '../../source/session/session-state.ts';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';
import { createHarness, type Harness } from './agent-harness.ts';

const echo = defineTool({
	name: 'echo',
	description: 'echoes',
	parameters: z.object({ text: z.string() }),
	access: 'read',
	async execute(args) {
		return { content: args.text };
	},
});

const PRICES = { primary: { input: 2, output: 8 }, backup: { input: 0.5, output: 1 } };
const price = (model: keyof typeof PRICES, input: number, output: number) => (input * PRICES[model].input + output * PRICES[model].output) / 1_000_000;
const callEcho: ReplyData = { toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] };

let fake: FakeOpenAI;
let harness: Harness | undefined;
beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
	await fake.close();
});

function model(fallbackModels: string[] = []) {
	return createConfiguredModel({ baseURL: fake.url, model: 'primary', fallbackModels, prices: PRICES }, { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 1 });
}

const usageEvents = (events: RuntimeEvent[]) => events.filter((event): event is EventOf<'usage'> => event.type === 'usage');

async function runLoop(h: Harness, task: string): Promise<void> {
	const loops = h.events.filter((event) => event.type === 'loop-end').length;
	h.agent.post(task);
	await waitUntil(() => h.events.filter((event) => event.type === 'loop-end').length > loops, 'loop end');
}

describe('cost per turn and per session', () => {
	it('each usage event carries the turn\'s cost and the session\'s total at the configured prices', async () => {
		fake.script({ ...callEcho, usage: { prompt_tokens: 1000, completion_tokens: 500 } }, { text: 'done', usage: { prompt_tokens: 2000, completion_tokens: 250 } });
		harness = createHarness(model(), { tools: [echo] });
		await runLoop(harness, 'go');
		const turn1 = price('primary', 1000, 500);
		const turn2 = price('primary', 2000, 250);
		expect(usageEvents(harness.events).map((event) => event.cost)).toEqual([
			{ turn: turn1, total: turn1 },
			{ turn: turn2, total: turn1 + turn2 },
		]);
		expect(turn1).toBe(0.006);
		expect(harness.agent.getCost()).toBe(turn1 + turn2);
	});

	it('an unpriced turn has no cost; the total sums the priced turns', async () => {
		const unpriced = createConfiguredModel({ baseURL: fake.url, model: 'mystery-model' });
		fake.script({ text: 'hi', usage: { prompt_tokens: 10, completion_tokens: 10 } });
		harness = createHarness(unpriced);
		await runLoop(harness, 'go');
		const [usage] = usageEvents(harness.events);
		expect(usage).toBeDefined();
		expect(usage).not.toHaveProperty('cost');
		expect(harness.agent.getCost()).toBe(0);
	});
});

describe('the cost budget', () => {
	it('maxCost ends the loop with limit-reached once the session has spent it', async () => {
		fake.script(
			{ ...callEcho, usage: { prompt_tokens: 1000, completion_tokens: 500 } },
			{ ...callEcho, usage: { prompt_tokens: 1000, completion_tokens: 500 } },
			{ ...callEcho, usage: { prompt_tokens: 1000, completion_tokens: 500 } },
		);
		harness = createHarness(model(), { tools: [echo], limits: { maxCost: 0.01 } });
		await runLoop(harness, 'go');
		expect(fake.requests).toHaveLength(2);
		expect(harness.events.find((event) => event.type === 'limit-reached')).toMatchObject({ limit: 'cost', value: 0.012, max: 0.01 });
		expect(harness.events.find((event) => event.type === 'loop-end')).toMatchObject({ reason: 'limit' });
		expect(harness.agent.lastLoopEnd).toBe('limit');
	});
});

describe('fallback as a runtime event', () => {
	it('model-fallback is on the bus with the turn, and the turn is priced at the serving model\'s price', async () => {
		const byModel = (request: RecordedRequest): ReplyData => (request.body.model === 'primary' ? { status: 500, headers: { 'retry-after-ms': '0' } } : { text: 'served', usage: { prompt_tokens: 100, completion_tokens: 50 } });
		fake.script(byModel, byModel, byModel);
		harness = createHarness(model(['backup']), { tools: [echo] });
		await runLoop(harness, 'go');
		const fallback = harness.events.find((event) => event.type === 'model-fallback');
		expect(fallback).toMatchObject({ type: 'model-fallback', turn: 1, from: 'primary', to: 'backup' });
		expect((fallback as EventOf<'model-fallback'>).reason).toContain('HTTP 500');
		expect(harness.events.filter((event) => event.type === 'model-retry')).toHaveLength(1);
		expect(harness.events.find((event) => event.type === 'assistant-message')).toMatchObject({ text: 'served' });
		expect(usageEvents(harness.events)[0]!.cost).toEqual({ turn: price('backup', 100, 50), total: price('backup', 100, 50) });
		expect(harness.events.find((event) => event.type === 'loop-end')).toMatchObject({ reason: 'idle' });
	});
});

describe('a resumed session', () => {
	function restoredAgent(events: RuntimeEvent[], limits?: AgentLimits) {
		const agent = new Agent({ sessionId: 'test', root: process.cwd(), model: model(), tools: [], permission: createPermissionPolicy('auto'), systemPrompt: () => 'system', limits, restored: foldSession(events) });
		const seen: RuntimeEvent[] = [];
		agent.subscribe((event) => seen.push(event));
		agent.start();
		return { agent, events: seen, types: () => seen.map((event) => event.type) };
	}

	it('folds the cost total from the log and goes on adding to it, and the budget counts it', async () => {
		fake.script({ text: 'one', usage: { prompt_tokens: 1000, completion_tokens: 500 } });
		harness = createHarness(model());
		await runLoop(harness, 'first');
		await harness.agent.stop();
		const logged = [...harness.events];
		harness = undefined;
		expect(foldSession(logged).costUsd).toBe(0.006);

		fake.script({ text: 'two', usage: { prompt_tokens: 2000, completion_tokens: 250 } });
		const resumed = restoredAgent(logged);
		harness = resumed;
		expect(resumed.agent.getCost()).toBe(0.006);
		await runLoop(resumed, 'second');
		expect(usageEvents(resumed.events)[0]!.cost).toEqual({ turn: 0.006, total: 0.012 });
		const again = [...logged, ...resumed.events];
		expect(foldSession(again).costUsd).toBe(0.012);
		await resumed.agent.stop();

		const before = fake.requests.length;
		const limited = restoredAgent(again, { maxCost: 0.01 });
		harness = limited;
		await runLoop(limited, 'third');
		expect(fake.requests.length).toBe(before);
		expect(limited.events.find((event) => event.type === 'limit-reached')).toMatchObject({ limit: 'cost', value: 0.012, max: 0.01 });
	});
});
