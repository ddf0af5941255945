import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectMemory, type ProjectMemory } from '../../source/context/memory.ts';
import { executeToolCall, type PermissionPolicy, type ToolCallOutcome, type ToolContext } from '../../source/runtime/tool.ts';
import { type ApprovalRequest, createPermissionPolicy } from '../../source/sandbox/permission.ts';
import { createMemoryTools } from '../../tools/memory-tools.ts';
import { allowEverything, makeContext, makeRepo, removeTempDirs } from './tool-test-context.ts';

const opened: ProjectMemory[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((memory) => memory.close()));
	await removeTempDirs();
});

async function setUp() {
	const root = await makeRepo();
	const memory = openProjectMemory({ root });
	opened.push(memory);
	const tools = new Map(createMemoryTools(memory).map((tool) => [tool.name, tool]));
	const ctx = makeContext(root);
	const call = (name: string, args: unknown, permission: PermissionPolicy = allowEverything): Promise<ToolCallOutcome> =>
		executeToolCall(tools, { id: 'call-1', type: 'function', function: { name, arguments: JSON.stringify(args) } }, ctx, permission);
	return { root, memory, ctx, call };
}

describe('memory tools', () => {
	it('add, search and remove through the tool wrapper, reporting the file as written', async () => {
		const { root, ctx, call } = await setUp();
		expect(await call('memory_add', { file: 'MEMORY', text: 'The staging server is called atlas.' })).toMatchObject({
			isError: false,
			content: 'Added to .orbit/MEMORY.md.',
			details: { file: 'MEMORY', text: 'The staging server is called atlas.' },
		});
		await call('memory_add', { file: 'AGREEMENTS', text: 'Answer in British English.' });
		await call('memory_add', { file: 'MEMORY', text: 'Deploy notes:\nrun make release\nthen tag' });
		expect((ctx as ToolContext & { touchedPaths: string[] }).touchedPaths).toEqual(['.orbit/MEMORY.md', '.orbit/AGREEMENTS.md', '.orbit/MEMORY.md']);

		expect((await call('memory_search', { query: 'staging server' })).content).toBe('[MEMORY] The staging server is called atlas.');
		expect((await call('memory_search', { query: 'english' })).content).toBe('[AGREEMENTS] Answer in British English.');
		expect((await call('memory_search', { query: 'release' })).content).toBe('[MEMORY] Deploy notes:\n  run make release\n  then tag');
		expect((await call('memory_search', { query: 'kubernetes' })).content).toBe('No memory entry matches "kubernetes".');

		expect(await call('memory_remove', { file: 'MEMORY', text: 'atlas' })).toMatchObject({ isError: false, content: 'Removed the entry from .orbit/MEMORY.md.' });
		expect(readFileSync(join(root, '.orbit/MEMORY.md'), 'utf8')).toBe('# Memory\n\n- Deploy notes:\n  run make release\n  then tag\n');
	});

	it('honours the limit, 5 by default', async () => {
		const { memory, call } = await setUp();
		for (let at = 1; at <= 8; at++) await memory.add('MEMORY', `build fact ${at}`);
		const hits = (await call('memory_search', { query: 'build fact', limit: 3 })).content.split('\n');
		expect(hits).toHaveLength(3);
		expect((await call('memory_search', { query: 'build fact' })).content.split('\n')).toHaveLength(5);
	});

	it('answers bad arguments and refusals with messages the model can act on', async () => {
		const { root, call } = await setUp();
		expect(await call('memory_add', { file: 'NOTES', text: 'x' })).toMatchObject({ isError: true, content: expect.stringMatching(/^Invalid arguments for memory_add: file: .*"MEMORY".*"AGREEMENTS"/) });
		expect(await call('memory_search', { query: 'x', limit: 99 })).toMatchObject({ isError: true, content: expect.stringMatching(/^Invalid arguments for memory_search: limit/) });
		expect(await call('memory_search', { query: '  ' })).toMatchObject({ isError: true, content: 'The query is empty; give words to search for.' });
		const secret = await call('memory_add', { file: 'MEMORY', text: 'the key is sk-live4f9aK2mZx81QwErTyUiOp' });
		expect(secret).toMatchObject({ isError: true, content: expect.stringMatching(/^Not added: the text looks like it contains an API key, token or password\./) });
		expect(await call('memory_remove', { file: 'MEMORY', text: 'anything' })).toMatchObject({ isError: true, content: expect.stringMatching(/does not exist yet/) });
		expect(existsSync(join(root, '.orbit'))).toBe(false);
	});

	it('read-only mode searches but never edits; ask mode asks before an edit', async () => {
		const { root, memory, call } = await setUp();
		await memory.add('MEMORY', 'Use pnpm.');
		const readOnly = createPermissionPolicy({ mode: 'read-only', root });
		expect(await call('memory_search', { query: 'pnpm' }, readOnly)).toMatchObject({ isError: false, content: '[MEMORY] Use pnpm.' });
		expect(await call('memory_add', { file: 'MEMORY', text: 'more' }, readOnly)).toMatchObject({ isError: true, content: expect.stringMatching(/Permission denied for memory_add: the session is read-only/) });
		expect(await call('memory_remove', { file: 'MEMORY', text: 'pnpm' }, readOnly)).toMatchObject({ isError: true });

		const asked: ApprovalRequest[] = [];
		const ask = createPermissionPolicy({
			mode: 'ask',
			root,
			approver: async (request) => (asked.push(request), request.tool === 'memory_add' ? { allow: true } : { allow: false, reason: 'keep it' }),
		});
		expect(await call('memory_search', { query: 'pnpm' }, ask)).toMatchObject({ isError: false });
		expect(await call('memory_add', { file: 'AGREEMENTS', text: 'Tabs, not spaces.' }, ask)).toMatchObject({ isError: false });
		expect(await call('memory_remove', { file: 'MEMORY', text: 'pnpm' }, ask)).toMatchObject({ isError: true, content: 'Permission denied for memory_remove: keep it' });
		expect(asked.map((request) => [request.tool, request.args])).toEqual([
			['memory_add', { file: 'AGREEMENTS', text: 'Tabs, not spaces.' }],
			['memory_remove', { file: 'MEMORY', text: 'pnpm' }],
		]);
		expect(memory.read('MEMORY')).toBe('# Memory\n\n- Use pnpm.\n');
		expect(memory.agreements()).toBe('# Agreements\n\n- Tabs, not spaces.\n');
	});
});
