import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatMessage } from '../../source/runtime/model.ts';
import { defineTool } from '../../source/runtime/tool.ts';
import { ScriptedModel, waitUntil } from '../fixtures/scripted-model.ts';
import { createHarness, type Harness } from './agent-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
});

const toolResults = (messages: ChatMessage[] | undefined) =>
	(messages ?? []).filter((message) => message.role === 'tool').map((message) => (message as { content: string }).content);

const echo = defineTool({
	name: 'echo',
	description: 'echoes',
	parameters: z.object({ text: z.string(), times: z.number().int().optional() }),
	access: 'read',
	async execute(args) {
		return { content: args.text.repeat(args.times ?? 1) };
	},
});

const explode = defineTool({
	name: 'explode',
	description: 'throws',
	parameters: z.object({}),
	access: 'read',
	async execute() {
		throw new Error('kaboom');
	},
});

describe('hostile model output and failures', () => {
	it('reports an unknown tool, malformed JSON, wrong types and a throwing tool back to the model, and goes on', async () => {
		const model = new ScriptedModel([
			{
				toolCalls: [
					{ name: 'rm_rf', args: {} },
					{ name: 'echo', args: '{"text": "unterminated' },
					{ name: 'echo', args: { text: 42 } },
					{ name: 'explode', args: {} },
					{ name: 'echo', args: { text: 'ab', times: 2 } },
				],
			},
			{ text: 'recovered' },
		]);
		harness = createHarness(model, { tools: [echo, explode] });
		harness.agent.post('go');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		const results = toolResults(model.calls[1]);
		expect(results[0]).toMatch(/Unknown tool "rm_rf".*echo, explode/);
		expect(results[1]).toMatch(/Invalid JSON in the arguments of echo/);
		expect(results[2]).toMatch(/Invalid arguments for echo: text: /);
		expect(results[3]).toBe('explode failed: kaboom');
		expect(results[4]).toBe('abab');
		const ends = harness.events.filter((event) => event.type === 'tool-end');
		expect(ends.map((event) => event.type === 'tool-end' && event.isError)).toEqual([true, true, true, true, false]);
		expect(harness.events.filter((event) => event.type === 'loop-end').at(-1)).toMatchObject({ reason: 'idle' });
	});

	it('a model failure ends the loop with an error event, and the agent takes the next item', async () => {
		const model = new ScriptedModel([{ error: 'endpoint down' }, { text: 'back' }]);
		harness = createHarness(model);
		harness.agent.post('first');
		await waitUntil(() => harness!.types().includes('loop-end'), 'loop end');
		expect(harness.events.find((event) => event.type === 'error')).toMatchObject({ message: 'model request failed: endpoint down', fatal: false });
		expect(harness.events.find((event) => event.type === 'loop-end')).toMatchObject({ reason: 'error' });
		harness.agent.post('again');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second loop');
		expect(harness.agent.lastLoopEnd).toBe('idle');
	});

	it('a turn limit ends the loop with a limit event, never silently', async () => {
		const loopForever = () => ({ toolCalls: [{ name: 'echo', args: { text: 'x' } }] });
		const model = new ScriptedModel([loopForever, loopForever, loopForever, loopForever]);
		harness = createHarness(model, { tools: [echo], limits: { maxTurns: 3 } });
		harness.agent.post('go');
		await waitUntil(() => harness!.types().includes('loop-end'), 'loop end');
		expect(model.calls).toHaveLength(3);
		expect(harness.events.find((event) => event.type === 'limit-reached')).toMatchObject({ limit: 'turns', value: 3, max: 3 });
		expect(harness.agent.lastLoopEnd).toBe('limit');
	});

	it('a token limit counts usage across turns', async () => {
		const usage = { promptTokens: 60, completionTokens: 10, totalTokens: 70 };
		const model = new ScriptedModel([{ toolCalls: [{ name: 'echo', args: { text: 'x' } }], usage }, { toolCalls: [{ name: 'echo', args: { text: 'x' } }], usage }]);
		harness = createHarness(model, { tools: [echo], limits: { maxTokens: 100 } });
		harness.agent.post('go');
		await waitUntil(() => harness!.types().includes('loop-end'), 'loop end');
		expect(harness.agent.getUsage()).toEqual({ promptTokens: 120, completionTokens: 20, totalTokens: 140 });
		expect(harness.events.find((event) => event.type === 'limit-reached')).toMatchObject({ limit: 'tokens', value: 140 });
	});

	it('a listener that throws is reported and does not break the runtime', async () => {
		const model = new ScriptedModel([{ text: 'fine' }]);
		harness = createHarness(model);
		harness.agent.subscribe((event) => {
			if (event.type === 'text-delta') throw new Error('bad listener');
		});
		harness.agent.post('go');
		await waitUntil(() => harness!.types().includes('loop-end'), 'loop end');
		expect(harness.events.some((event) => event.type === 'error' && event.message.includes('bad listener'))).toBe(true);
		expect(harness.agent.lastLoopEnd).toBe('idle');
	});

	it('stop() aborts a running turn, ends the session, and ignores later triggers', async () => {
		const model = new ScriptedModel([{ text: 'busy', hold: true }]);
		harness = createHarness(model);
		harness.agent.post('go');
		await waitUntil(() => harness!.types().includes('text-delta'), 'streaming');
		await harness.agent.stop();
		expect(harness.types().at(-1)).toBe('session-end');
		expect(harness.events.filter((event) => event.type === 'loop-end').at(-1)).toMatchObject({ reason: 'stopped' });
		harness.agent.post('ignored');
		expect(harness.agent.busy).toBe(false);
		expect(model.calls).toHaveLength(1);
	});
});
