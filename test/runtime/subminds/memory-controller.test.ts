import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createOpenAIModel } from '../../../source/model/openai-model.ts';
import { createMemoryControllerSubmind, type MemoryEditResult, type MemoryFile } from '../../../source/runtime/subminds/memory-controller.ts';
import { defineTool } from '../../../source/runtime/tool.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../../fixtures/fake-openai-server.ts';
import { ScriptedModel, waitUntil } from '../../fixtures/scripted-model.ts';
import { createHarness, type Harness } from '../agent-harness.ts';

let harness: Harness | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
	await fake?.close();
	fake = undefined;
});

/** Memory files in memory; `refuse` makes add answer with an error for text containing it. */
function fakeMemory(files: Record<MemoryFile, string> = { MEMORY: '', AGREEMENTS: '' }, refuse?: string) {
	const edits: string[] = [];
	return {
		edits,
		files,
		async add(file: MemoryFile, text: string): Promise<MemoryEditResult> {
			if (refuse && text.includes(refuse)) return { error: 'that looks like a secret' };
			edits.push(`add ${file}: ${text}`);
			files[file] += `- ${text}\n`;
			return { ok: true };
		},
		async remove(file: MemoryFile, text: string): Promise<MemoryEditResult> {
			if (!files[file].includes(text)) return { error: `no entry "${text}" in ${file}` };
			edits.push(`remove ${file}: ${text}`);
			files[file] = files[file].replace(`- ${text}\n`, '');
			return { ok: true };
		},
		read: (file: MemoryFile) => files[file],
	};
}

const testTool = defineTool({
	name: 'run_tests',
	description: 'runs the tests',
	parameters: z.object({ filter: z.string().optional() }),
	access: 'read',
	execute: async () => ({ content: 'vitest: 12 passed (the e2e tests need tmux)' }),
});

const notes = (h: Harness) => h.events.flatMap((event) => (event.type === 'error' ? [event.message] : []));
const loopsEnded = (h: Harness, count: number) =>
	waitUntil(() => h.events.filter((event) => event.type === 'loop-end').length >= count && !h.agent.busy, `${count} loop(s) ended`);

describe('the memory controller', () => {
	it('at the end of a loop asks its own model about what the user said and tools returned, and applies its edits', async () => {
		const memory = fakeMemory({ MEMORY: '- The build uses esbuild\n- Tests use jest\n', AGREEMENTS: '' });
		const main = new ScriptedModel([{ toolCalls: [{ name: 'run_tests', args: { filter: 'lexer' } }] }, { text: 'all green' }]);
		const cheap = new ScriptedModel([
			{
				text: 'noting two things',
				toolCalls: [
					{ name: 'memory_add', args: { file: 'AGREEMENTS', text: 'Use pnpm, never npm' } },
					{ name: 'memory_remove', args: { file: 'MEMORY', text: 'Tests use jest' } },
					{ name: 'memory_add', args: { file: 'MEMORY', text: 'Tests use vitest; e2e tests need tmux' } },
				],
			},
		]);
		harness = createHarness(main, { tools: [testTool], subminds: [createMemoryControllerSubmind({ model: cheap, memory })] });
		harness.agent.post('fix the lexer; we use pnpm here, never npm');
		await loopsEnded(harness, 1);
		await waitUntil(() => memory.edits.length === 3, 'three edits');
		expect(memory.edits).toEqual(['add AGREEMENTS: Use pnpm, never npm', 'remove MEMORY: Tests use jest', 'add MEMORY: Tests use vitest; e2e tests need tmux']);
		expect(memory.files.MEMORY).toBe('- The build uses esbuild\n- Tests use vitest; e2e tests need tmux\n');
		expect(cheap.calls).toHaveLength(1);
		const [system, user] = cheap.calls[0]!;
		expect(system).toMatchObject({ role: 'system', content: expect.stringContaining('long-term memory') });
		expect(user!.role).toBe('user');
		expect(user!.content).toBe(
			[
				'MEMORY now:\n- The build uses esbuild\n- Tests use jest',
				'AGREEMENTS now:\n(empty)',
				'What happened:\n- The user said: fix the lexer; we use pnpm here, never npm\n- run_tests({"filter":"lexer"}) returned: vitest: 12 passed (the e2e tests need tmux)',
			].join('\n\n'),
		);
		// Its work never reaches the agent's thread.
		expect(main.calls).toHaveLength(2);
		expect(harness.events.filter((event) => event.type === 'item-added')).toHaveLength(1);
		expect(notes(harness)).toEqual([]);
	});

	it('edits that fail, and calls it cannot make sense of, become non-fatal notes', async () => {
		const memory = fakeMemory(undefined, 'sk-');
		const cheap = new ScriptedModel([
			{
				toolCalls: [
					{ name: 'memory_add', args: { file: 'MEMORY', text: 'The key is sk-abc123' } },
					{ name: 'memory_remove', args: { file: 'MEMORY', text: 'not there' } },
					{ name: 'memory_add', args: { file: 'NOTES', text: 'x' } },
					{ name: 'shell', args: { command: 'rm -rf /' } },
					{ name: 'memory_add', args: '{not json' },
					{ name: 'memory_add', args: { file: 'MEMORY', text: 'The API lives in api/' } },
				],
			},
		]);
		harness = createHarness(new ScriptedModel([{ text: 'ok' }]), { subminds: [createMemoryControllerSubmind({ model: cheap, memory, maxEdits: 10 })] });
		harness.agent.post('the API lives in api/');
		await waitUntil(() => memory.edits.length === 1 && notes(harness!).length === 5, 'one edit and five notes');
		expect(memory.edits).toEqual(['add MEMORY: The API lives in api/']);
		expect(notes(harness)).toEqual([
			'memory-controller: could not add to MEMORY: that looks like a secret',
			'memory-controller: could not remove from MEMORY: no entry "not there" in MEMORY',
			'memory-controller: memory_add named the file "NOTES", not MEMORY or AGREEMENTS; ignored',
			'memory-controller: the model called an unknown tool "shell"; ignored',
			'memory-controller: memory_add had arguments that are not JSON; ignored',
		]);
		expect(harness.events.filter((event) => event.type === 'error').every((event) => event.type === 'error' && !event.fatal)).toBe(true);
	});

	it('a failed request is a note, and what it saw is offered again at the next loop end', async () => {
		const memory = fakeMemory();
		const cheap = new ScriptedModel([{ error: 'gateway timeout' }, { toolCalls: [{ name: 'memory_add', args: { file: 'AGREEMENTS', text: 'Answer in French' } }] }]);
		const main = new ScriptedModel([{ text: 'ok' }, { text: 'd’accord' }]);
		harness = createHarness(main, { subminds: [createMemoryControllerSubmind({ model: cheap, memory })] });
		harness.agent.post('always answer in French');
		await waitUntil(() => notes(harness!).length === 1, 'the note');
		expect(notes(harness)).toEqual(['memory-controller: model request failed: gateway timeout']);
		harness.agent.post('merci');
		await waitUntil(() => memory.edits.length === 1, 'the edit');
		expect(cheap.calls[1]![1]!.content).toContain('What happened:\n- The user said: always answer in French\n- The user said: merci');
		expect(harness.events.filter((event) => event.type === 'loop-end').map((event) => (event as { reason: string }).reason)).toEqual(['idle', 'idle']);
	});

	it('never blocks the agent: one request at a time, beside the loop, cancelled when the agent stops', async () => {
		const memory = fakeMemory();
		const cheap = new ScriptedModel([{ hold: true }]);
		const main = new ScriptedModel([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
		harness = createHarness(main, { subminds: [createMemoryControllerSubmind({ model: cheap, memory })] });
		harness.agent.post('first');
		await waitUntil(() => cheap.calls.length === 1, 'the controller asks');
		harness.agent.post('second');
		await loopsEnded(harness, 2);
		harness.agent.post('third');
		await loopsEnded(harness, 3);
		// Its request still hangs; the agent went on with two more loops, and no second request started.
		expect(main.calls).toHaveLength(3);
		expect(cheap.calls).toHaveLength(1);
		await harness.agent.stop();
		expect(notes(harness)).toEqual([]);
		expect(harness.events.at(-1)).toMatchObject({ type: 'session-end' });
	});

	it('does nothing when a loop saw nothing (an idle start with no user item or tool result)', async () => {
		const memory = fakeMemory();
		const cheap = new ScriptedModel([]);
		harness = createHarness(new ScriptedModel([{ text: 'ok' }]), { subminds: [createMemoryControllerSubmind({ model: cheap, memory })] });
		harness.agent.trigger({ source: 'timer', content: 'stand-up in 5 minutes' });
		await loopsEnded(harness, 1);
		expect(cheap.calls).toHaveLength(0);
	});

	it('speaks the OpenAI protocol through a real client: memory tools offered, tool calls applied', async () => {
		fake = await startFakeOpenAI();
		fake.script({ toolCalls: [{ name: 'memory_add', arguments: { file: 'MEMORY', text: 'Docs are built with typedoc' } }] });
		const cheap = createOpenAIModel({ baseURL: fake.url, model: 'cheap-model', maxRetries: 0 });
		const memory = fakeMemory();
		harness = createHarness(new ScriptedModel([{ text: 'ok' }]), { subminds: [createMemoryControllerSubmind({ model: cheap, memory })] });
		harness.agent.post('docs: run typedoc');
		await waitUntil(() => memory.edits.length === 1, 'the edit');
		expect(memory.edits).toEqual(['add MEMORY: Docs are built with typedoc']);
		const body = fake.requests[0]!.body;
		expect(body.model).toBe('cheap-model');
		expect(body.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(['memory_add', 'memory_remove']);
		expect(body.tools[0].function.parameters).toMatchObject({ properties: { file: { enum: ['MEMORY', 'AGREEMENTS'] } }, required: ['file', 'text'] });
		expect(body.messages.at(-1).content).toContain('- The user said: docs: run typedoc');
	});
});
