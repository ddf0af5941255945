import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../source/runtime/model.ts';
import { ScriptedModel, waitUntil } from '../fixtures/scripted-model.ts';
import { createGateTool, createHarness, type Harness } from './agent-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
});

const userTexts = (messages: ChatMessage[] | undefined) => (messages ?? []).filter((message) => message.role === 'user').map((message) => message.content);
const roles = (messages: ChatMessage[] | undefined) => (messages ?? []).map((message) => message.role);

describe('the orchestrator and the loop', () => {
	it('a post to an idle agent starts a loop at once, and the loop ends when the model makes no tool call', async () => {
		const model = new ScriptedModel([{ text: 'hello' }]);
		harness = createHarness(model);
		harness.agent.post('hi');
		await waitUntil(() => harness!.types().includes('loop-end'), 'loop end');
		expect(model.calls).toHaveLength(1);
		expect(userTexts(model.calls[0])).toEqual(['hi']);
		const injected = harness.events.find((event) => event.type === 'item-injected');
		expect(injected).toMatchObject({ rule: 'idle-start', item: { content: 'hi', source: 'user' } });
		expect(harness.events.at(-1)).toMatchObject({ type: 'loop-end', reason: 'idle' });
		expect(harness.agent.busy).toBe(false);
	});

	it('an InTheEnd item posted to an idle agent starts a loop too', async () => {
		const model = new ScriptedModel([{ text: 'ok' }]);
		harness = createHarness(model);
		harness.agent.post('later', 'in-the-end');
		await waitUntil(() => model.calls.length === 1 && !harness!.agent.busy, 'one call');
		expect(userTexts(model.calls[0])).toEqual(['later']);
	});

	it('an Interruption mid-stream aborts the model call, keeps the partial text marked, and is injected before the next request', async () => {
		const model = new ScriptedModel([{ text: ['I will rewrite ', 'everything'], hold: true }, { text: 'understood' }]);
		harness = createHarness(model);
		harness.agent.post('refactor the parser');
		await waitUntil(() => harness!.events.some((event) => event.type === 'text-delta' && event.delta === 'everything'), 'streaming');
		harness.agent.post('stop, only touch lexer.ts', 'interruption');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		const second = model.calls[1]!;
		expect(roles(second)).toEqual(['system', 'user', 'assistant', 'user']);
		expect(second[2]).toMatchObject({ role: 'assistant', content: 'I will rewrite everything\n[interrupted]' });
		expect(second[3]).toMatchObject({ role: 'user', content: '[interruption] stop, only touch lexer.ts' });
		const order = harness.types().filter((type) => ['abort-requested', 'assistant-message', 'item-injected', 'turn-start'].includes(type));
		expect(order).toEqual(['item-injected', 'turn-start', 'abort-requested', 'assistant-message', 'item-injected', 'turn-start', 'assistant-message']);
		const interrupted = harness.events.find((event) => event.type === 'assistant-message');
		expect(interrupted).toMatchObject({ interrupted: true });
		expect(harness.events.filter((event) => event.type === 'item-injected').at(-1)).toMatchObject({ rule: 'interruption' });
	});

	it('an Interruption during a tool batch stops the running tool and answers the calls that did not run', async () => {
		const gate = createGateTool();
		const model = new ScriptedModel([
			{ toolCalls: [{ name: 'gate', args: {}, id: 'a' }, { name: 'gate', args: {}, id: 'b' }] },
			{ text: 'ok' },
		]);
		harness = createHarness(model, { tools: [gate.tool] });
		harness.agent.post('go');
		await waitUntil(() => gate.running(), 'tool running');
		harness.agent.post('wait!', 'interruption');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		expect(gate.runs).toBe(1);
		const second = model.calls[1]!;
		expect(roles(second)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user']);
		expect(second.filter((message) => message.role === 'tool').map((message) => (message as { content: string }).content)).toEqual([
			expect.stringMatching(/^Interrupted by the user/),
			expect.stringMatching(/^Not run/),
		]);
		expect(userTexts(second).at(-1)).toBe('[interruption] wait!');
	});

	it('a ForNextTurn item posted during a tool batch reaches the model only after the batch', async () => {
		const gate = createGateTool();
		const model = new ScriptedModel([{ toolCalls: [{ name: 'gate', args: {} }] }, { text: 'done' }]);
		harness = createHarness(model, { tools: [gate.tool] });
		harness.agent.post('start');
		await waitUntil(() => gate.running(), 'tool running');
		harness.agent.post('also update the docs');
		expect(harness.agent.bucket.list().map((item) => item.content)).toEqual(['also update the docs']);
		expect(harness.types()).not.toContain('abort-requested');
		gate.release();
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		expect(roles(model.calls[1])).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
		expect((model.calls[1]![3] as { content: string }).content).toBe('gate passed');
		expect(userTexts(model.calls[1]).at(-1)).toBe('also update the docs');
		expect(harness.events.filter((event) => event.type === 'item-injected').at(-1)).toMatchObject({ rule: 'safe-point' });
	});

	it('a ForNextTurn item posted while the model streams an answer without tool calls keeps the loop going', async () => {
		const model = new ScriptedModel([{ text: 'thinking' }, { text: 'saw it' }]);
		harness = createHarness(model);
		const unsubscribe = harness.agent.subscribe((event) => {
			if (event.type === 'text-delta' && event.delta === 'thinking') harness!.agent.post('one more thing');
		});
		harness.agent.post('first');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		unsubscribe();
		expect(userTexts(model.calls[1])).toEqual(['first', 'one more thing']);
		expect(harness.types()).not.toContain('abort-requested');
	});

	it('an InTheEnd item waits until the loop would end, then starts the next round', async () => {
		const gate = createGateTool();
		const model = new ScriptedModel([{ toolCalls: [{ name: 'gate', args: {} }] }, { text: 'finished' }, { text: 'now the extra task' }]);
		harness = createHarness(model, { tools: [gate.tool] });
		harness.agent.post('task');
		await waitUntil(() => gate.running(), 'tool running');
		harness.agent.post('when you are done, run the linter', 'in-the-end');
		gate.release();
		await waitUntil(() => model.calls.length === 3 && !harness!.agent.busy, 'third call');
		expect(userTexts(model.calls[1])).toEqual(['task']);
		expect(userTexts(model.calls[2])).toEqual(['task', 'when you are done, run the linter']);
		expect(harness.events.filter((event) => event.type === 'item-injected').at(-1)).toMatchObject({ rule: 'loop-end' });
	});

	it('an abort with no item ends the loop; waiting items stay in the bucket for the next loop', async () => {
		const model = new ScriptedModel([{ text: 'long answer', hold: true }, { text: 'ok' }]);
		harness = createHarness(model);
		harness.agent.post('task');
		await waitUntil(() => harness!.types().includes('text-delta'), 'streaming');
		harness.agent.post('afterwards', 'in-the-end');
		harness.agent.abort();
		await waitUntil(() => !harness!.agent.busy, 'idle');
		expect(harness.events.filter((event) => event.type === 'loop-end').at(-1)).toMatchObject({ reason: 'aborted' });
		expect(harness.agent.getState()).toBe('interrupted');
		expect(harness.agent.bucket.list().map((item) => item.content)).toEqual(['afterwards']);
		expect(model.calls).toHaveLength(1);
		harness.agent.post('continue');
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'next loop');
		expect(userTexts(model.calls[1])).toEqual(['task', 'continue', 'afterwards']);
	});

	it('raising a waiting item to Interruption interrupts; removing one keeps it from the model', async () => {
		const model = new ScriptedModel([{ text: 'working', hold: true }, { text: 'ok' }]);
		harness = createHarness(model);
		harness.agent.post('task');
		await waitUntil(() => harness!.types().includes('text-delta'), 'streaming');
		harness.agent.post('drop me');
		harness.agent.post('raise me', 'in-the-end');
		const [dropped, raised] = harness.agent.bucket.list();
		expect(harness.agent.removeItem(dropped!.id)).toBe(true);
		expect(harness.agent.removeItem(dropped!.id)).toBe(false);
		expect(harness.agent.reprioritizeItem(raised!.id, 'interruption')).toBe(true);
		await waitUntil(() => model.calls.length === 2 && !harness!.agent.busy, 'second call');
		expect(userTexts(model.calls[1])).toEqual(['task', '[interruption] raise me']);
	});

	it('items posted in the same tick start one loop together', async () => {
		const model = new ScriptedModel([{ text: 'ok' }]);
		harness = createHarness(model);
		harness.agent.post('one');
		harness.agent.post('two', 'in-the-end');
		harness.agent.post('zero', 'interruption');
		await waitUntil(() => !harness!.agent.busy && model.calls.length === 1, 'one call');
		expect(userTexts(model.calls[0])).toEqual(['[interruption] zero', 'one', 'two']);
	});
});
