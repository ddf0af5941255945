import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ChatMessage } from '../../../source/runtime/model.ts';
import { createCopilotSubmind, type KnowledgeHit } from '../../../source/runtime/subminds/copilot.ts';
import { defineTool } from '../../../source/runtime/tool.ts';
import { planUpdateTool } from '../../../tools/plan-update.ts';
import { ScriptedModel, waitUntil } from '../../fixtures/scripted-model.ts';
import { createGateTool, createHarness, type Harness } from '../agent-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
});

const gateCall = { toolCalls: [{ name: 'gate', args: {} }] };

function copilotItems(h: Harness): string[] {
	return h.events.flatMap((event) => (event.type === 'item-added' && event.item.source === 'submind:copilot' ? [event.item.content] : []));
}

const copilotMessages = (messages: ChatMessage[] | undefined) =>
	(messages ?? []).filter((message) => message.role === 'user' && message.content.startsWith('[submind:copilot]')).map((message) => message.content);

/** A memory that answers every query with `hits` and records the queries. */
function fakeMemory(hits: KnowledgeHit[]) {
	const queries: string[] = [];
	return { queries, search: async (query: string, limit?: number) => (queries.push(query), hits.slice(0, limit)) };
}

async function loopsEnded(h: Harness, count: number): Promise<void> {
	await waitUntil(() => h.events.filter((event) => event.type === 'loop-end').length >= count && !h.agent.busy, `${count} loop(s) ended`);
}

describe('the proactive copilot', () => {
	it('adds knowledge about the topic once, while searches for the same topic keep finding it', async () => {
		const memory = fakeMemory([{ file: 'MEMORY', text: 'The lexer lives in src/lex.ts', score: 2 }]);
		const gate = createGateTool();
		const model = new ScriptedModel([gateCall, { toolCalls: [{ name: 'plan_update', args: { steps: [{ content: 'change the lexer', status: 'Active' }] } }] }, gateCall, { text: 'done' }]);
		harness = createHarness(model, { tools: [gate.tool, planUpdateTool], subminds: [createCopilotSubmind({ search: memory.search })] });
		harness.agent.post('fix the lexer');
		await waitUntil(() => gate.running() && copilotItems(harness!).length === 1, 'knowledge added during the first tool batch');
		expect(copilotItems(harness)).toEqual(['additional knowledge: The lexer lives in src/lex.ts (from MEMORY)']);
		expect(harness.events.find((event) => event.type === 'item-added' && event.item.source === 'submind:copilot')).toMatchObject({ item: { priority: 'for-next-turn' } });
		gate.release();
		// The plan's new Active step is a new topic: a second search, which finds the same knowledge.
		await waitUntil(() => gate.running() && memory.queries.length === 2, 'second search');
		gate.release();
		await loopsEnded(harness, 1);
		expect(copilotMessages(model.calls[1])).toEqual(['[submind:copilot] additional knowledge: The lexer lives in src/lex.ts (from MEMORY)']);

		// A new loop on the same topic: searched again, not offered again.
		model.push(gateCall, { text: 'done again' });
		harness.agent.post('and the lexer tests');
		await waitUntil(() => gate.running() && memory.queries.length === 3, 'third search');
		gate.release();
		await loopsEnded(harness, 2);
		expect(memory.queries).toEqual(['fix the lexer', 'change the lexer', 'and the lexer tests']);
		expect(copilotItems(harness)).toHaveLength(1);
		// Each request carries the whole thread: the knowledge is in it once.
		expect(copilotMessages(model.calls.at(-1))).toHaveLength(1);
	});

	it.each([
		{ windowTurns: 100, offers: 1 },
		{ windowTurns: 20, offers: 2 },
	])('offers the same knowledge again only after $windowTurns turns (and once the thread has moved on)', async ({ windowTurns, offers }) => {
		const memory = fakeMemory([{ file: 'MEMORY', text: 'Benchmarks live in bench/', score: 1 }]);
		const gate = createGateTool();
		const work = defineTool({ name: 'work', description: 'works', parameters: z.object({}), access: 'read', execute: async () => ({ content: 'ok' }) });
		const model = new ScriptedModel([gateCall, ...Array.from({ length: 25 }, () => ({ toolCalls: [{ name: 'work', args: {} }] })), { text: 'done' }]);
		harness = createHarness(model, { tools: [gate.tool, work], subminds: [createCopilotSubmind({ search: memory.search, windowTurns, everyTurns: 1000 })] });
		harness.agent.post('measure the start-up');
		await waitUntil(() => gate.running() && copilotItems(harness!).length === 1, 'first offer');
		gate.release();
		await loopsEnded(harness, 1);
		model.push(gateCall, { text: 'done' });
		harness.agent.post('measure it again');
		await waitUntil(() => gate.running() && memory.queries.length === 2, 'second search');
		await waitUntil(() => copilotItems(harness!).length === offers, `${offers} offer(s)`);
		gate.release();
		await loopsEnded(harness, 2);
		expect(copilotItems(harness)).toHaveLength(offers);
	});

	it('never causes a model call of its own: with no tool batch to ride along, its knowledge is dropped', async () => {
		const memory = fakeMemory([{ file: 'MEMORY', text: 'Use pnpm, not npm', score: 1 }]);
		const model = new ScriptedModel([{ text: 'hello' }]);
		harness = createHarness(model, { subminds: [createCopilotSubmind({ search: memory.search })] });
		harness.agent.post('how do I install?');
		await loopsEnded(harness, 1);
		await waitUntil(() => memory.queries.length === 1, 'the search');
		expect(model.calls).toHaveLength(1);
		expect(copilotItems(harness)).toEqual([]);
	});

	it('is bounded: skips AGREEMENTS, low scores and what the thread already holds, cuts long text, adds at most maxItems', async () => {
		const long = `Release steps: ${'x'.repeat(200)}`;
		const memory = fakeMemory([
			{ file: 'AGREEMENTS', text: 'Always run the tests', score: 9 },
			{ file: 'MEMORY', text: 'tests run with vitest', score: 5 },
			{ file: 'MEMORY', text: long, score: 4 },
			{ file: 'MEMORY', text: 'CI is GitHub Actions', score: 3 },
			{ file: 'MEMORY', text: 'The changelog is hand-written', score: 2 },
			{ file: 'MEMORY', text: 'irrelevant', score: 0 },
		]);
		const gate = createGateTool();
		const model = new ScriptedModel([gateCall, { text: 'done' }]);
		const copilot = createCopilotSubmind({ search: memory.search, limit: 10, maxItems: 2, maxChars: 40 });
		harness = createHarness(model, { tools: [gate.tool], subminds: [copilot] });
		harness.agent.post('how are releases made? (tests run with vitest)');
		await waitUntil(() => gate.running() && copilotItems(harness!).length === 2, 'two items');
		gate.release();
		await loopsEnded(harness, 1);
		expect(copilotItems(harness)).toEqual([`additional knowledge: ${long.slice(0, 39)}… (from MEMORY)`, 'additional knowledge: CI is GitHub Actions (from MEMORY)']);
	});

	it('a failing search is a non-fatal note and the agent goes on', async () => {
		const model = new ScriptedModel([{ text: 'fine' }]);
		const search = async () => {
			throw new Error('index is broken');
		};
		harness = createHarness(model, { subminds: [createCopilotSubmind({ search })] });
		harness.agent.post('anything');
		await waitUntil(() => harness!.events.some((event) => event.type === 'error'), 'the note');
		expect(harness.events.find((event) => event.type === 'error')).toMatchObject({ message: 'copilot: memory search failed: index is broken', fatal: false });
		await loopsEnded(harness, 1);
		expect(harness.events.filter((event) => event.type === 'loop-end')).toEqual([expect.objectContaining({ reason: 'idle' })]);
	});

	it('searches the latest answer every few turns, one search at a time', async () => {
		let release: (() => void) | undefined;
		const queries: string[] = [];
		const search = (query: string) => {
			queries.push(query);
			return new Promise<KnowledgeHit[]>((resolve) => {
				release = () => resolve([]);
			});
		};
		const gate = createGateTool();
		const model = new ScriptedModel([
			{ text: 'looking at the parser', ...gateCall },
			{ text: 'now the printer', ...gateCall },
			{ text: 'and the formatter', ...gateCall },
			{ text: 'done' },
		]);
		harness = createHarness(model, { tools: [gate.tool], subminds: [createCopilotSubmind({ search, everyTurns: 1 })] });
		harness.agent.post('tidy up');
		await waitUntil(() => gate.running(), 'first batch');
		gate.release();
		await waitUntil(() => gate.running() && model.calls.length === 2, 'second batch');
		gate.release();
		await waitUntil(() => gate.running() && model.calls.length === 3, 'third batch');
		// The first search still runs: the answers of turns 1 and 2 waited, and only the newest will be searched.
		expect(queries).toEqual(['tidy up']);
		release!();
		await waitUntil(() => queries.length === 2, 'the waiting search');
		expect(queries).toEqual(['tidy up', 'now the printer']);
		release!();
		gate.release();
		await loopsEnded(harness, 1);
	});
});
