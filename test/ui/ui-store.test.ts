import { describe, expect, it } from 'vitest';
import { createItem } from '../../source/runtime/context-item.ts';
import { EventBus, type RuntimeEvent } from '../../source/runtime/events.ts';
import { UiStore } from '../../source/ui/store/ui-store.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';

function setup(intervalMs = 1_000) {
	const bus = new EventBus('s');
	const view = { bucket: () => [], plan: () => ({ steps: [] }), usage: () => ({ promptTokens: 0, completionTokens: 0, totalTokens: 0 }), state: () => 'idle' as const };
	const store = new UiStore(view, intervalMs);
	bus.subscribe(store.apply);
	let notified = 0;
	store.subscribe(() => (notified += 1));
	return { bus, store, notified: () => notified };
}

describe('the UI store', () => {
	it('folds a stream of tokens into one block and publishes them in batches, not per token', async () => {
		const { bus, store, notified } = setup(50);
		bus.emit({ type: 'turn-start', turn: 1, model: 'm' });
		for (let index = 0; index < 500; index += 1) bus.emit({ type: 'text-delta', turn: 1, delta: `${index} ` });
		expect(notified()).toBeLessThanOrEqual(1);
		await waitUntil(() => store.getSnapshot().blocks.length === 1 && notified() >= 1, 'a published frame');
		const [block] = store.getSnapshot().blocks;
		expect(block).toMatchObject({ kind: 'thinking' });
		expect(block!.kind === 'thinking' && block!.text.startsWith('0 1 2 ')).toBe(true);
		expect(notified()).toBeLessThan(5);
	});

	it('shows injected items, tool calls with their outcome, messages to the user, and interruptions', () => {
		const { bus, store } = setup();
		const item = createItem({ source: 'user', content: 'rename it', priority: 'for-next-turn' });
		const events: RuntimeEvent[] = [
			bus.emit({ type: 'item-injected', item, rule: 'idle-start' }),
			bus.emit({ type: 'turn-start', turn: 1, model: 'm' }),
			bus.emit({ type: 'text-delta', turn: 1, delta: 'looking' }),
			bus.emit({ type: 'tool-start', turn: 1, callId: 'c1', name: 'shell', args: { command: 'npm test' } }),
			bus.emit({ type: 'tool-end', turn: 1, callId: 'c1', name: 'shell', content: 'boom', isError: true, interrupted: false }),
			bus.emit({ type: 'agent-message', text: 'Tests fail.' }),
			bus.emit({ type: 'turn-start', turn: 2, model: 'm' }),
			bus.emit({ type: 'text-delta', turn: 2, delta: 'half a thou' }),
			bus.emit({ type: 'assistant-message', turn: 2, text: 'half a thou', toolCalls: [], interrupted: true }),
		];
		expect(events).toHaveLength(9);
		store.flush();
		const blocks = store.getSnapshot().blocks;
		expect(blocks.map((block) => block.kind)).toEqual(['input', 'thinking', 'tool', 'message', 'thinking']);
		expect(blocks[2]).toMatchObject({ name: 'shell', status: 'error', output: 'boom' });
		expect(blocks[4]).toMatchObject({ text: 'half a thou', interrupted: true });
	});

	it('a fallback voids the failed model\'s partial text and says which model answers instead', () => {
		const { bus, store } = setup();
		bus.emit({ type: 'turn-start', turn: 1, model: 'big' });
		bus.emit({ type: 'text-delta', turn: 1, delta: 'cut off' });
		bus.emit({ type: 'model-fallback', turn: 1, from: 'big', to: 'small', reason: 'HTTP 503' });
		bus.emit({ type: 'text-delta', turn: 1, delta: 'from small' });
		store.flush();
		const blocks = store.getSnapshot().blocks;
		expect(blocks.find((block) => block.kind === 'thinking')).toMatchObject({ text: 'from small' });
		expect(blocks.find((block) => block.kind === 'notice')).toMatchObject({ text: 'big failed (HTTP 503); small answers instead', tone: 'warning' });
	});

	it('with a thread painter listening, streamed text reaches only the painter; anything else also makes a snapshot', async () => {
		const { bus, store, notified } = setup(5);
		let painted = 0;
		store.subscribeThread(() => (painted += 1));
		bus.emit({ type: 'turn-start', turn: 1, model: 'm' });
		await waitUntil(() => notified() === 1, 'the turn start published to React');
		for (let index = 0; index < 50; index += 1) bus.emit({ type: 'text-delta', turn: 1, delta: `${index} ` });
		await waitUntil(() => painted === 1, 'the text published to the painter');
		expect(notified()).toBe(1);
		bus.emit({ type: 'tool-start', turn: 1, callId: 'c1', name: 'shell', args: { command: 'ls' } });
		await waitUntil(() => notified() === 2 && painted === 2, 'the tool call published to both');
		expect(painted).toBe(2);
		expect(store.getSnapshot().blocks[0]).toMatchObject({ kind: 'thinking', text: expect.stringMatching(/^0 1 2 .* 49 $/) });
	});

	it('a retry voids the partial text of the failed attempt', () => {
		const { bus, store } = setup();
		bus.emit({ type: 'turn-start', turn: 1, model: 'm' });
		bus.emit({ type: 'text-delta', turn: 1, delta: 'cut off' });
		bus.emit({ type: 'model-retry', turn: 1, attempt: 1, delayMs: 500, reason: 'HTTP 500' });
		bus.emit({ type: 'text-delta', turn: 1, delta: 'whole answer' });
		store.flush();
		expect(store.getSnapshot().blocks.find((block) => block.kind === 'thinking')).toMatchObject({ text: 'whole answer' });
	});

	it('an approval waits for an answer and is withdrawn when the turn aborts', async () => {
		const { store } = setup();
		const controller = new AbortController();
		const answer = store.requestApproval({ tool: 'shell', access: 'execute', args: { command: 'rm -rf build' } }, controller.signal);
		expect(store.getSnapshot().approval?.request.tool).toBe('shell');
		controller.abort();
		await expect(answer).resolves.toMatchObject({ allow: false });
		expect(store.getSnapshot().approval).toBeUndefined();
	});
});
