import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../commands/command.ts';
import { memoryCommand } from '../../commands/memory.ts';
import { openProjectMemory, type ProjectMemory } from '../../source/context/memory.ts';
import { fakeContext } from '../commands/fake-context.ts';
import { makeRepo, removeTempDirs } from '../tools/tool-test-context.ts';

const opened: ProjectMemory[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map((memory) => memory.close()));
	await removeTempDirs();
});

async function run(args: string, memory?: ProjectMemory): Promise<CommandResult> {
	return await memoryCommand.run(args, { ...fakeContext(), ...(memory ? { memory } : {}) });
}

async function withMemory(files: Record<string, string> = {}): Promise<ProjectMemory> {
	const memory = openProjectMemory({ root: await makeRepo(files), watch: false });
	opened.push(memory);
	return memory;
}

describe('/memory', () => {
	it('says so when the session has no project memory', async () => {
		expect(await run('')).toEqual({ kind: 'notice', text: 'Project memory is not available in this session.', tone: 'warning' });
	});

	it('names both files and says they are not created yet', async () => {
		expect(await run('', await withMemory())).toEqual({
			kind: 'notice',
			tone: 'info',
			text: [
				'Project memory — search: lexical (BM25).',
				'.orbit/MEMORY.md (facts, searched by the agent): not created yet; memory_add creates it, or write it yourself.',
				'.orbit/AGREEMENTS.md (rules, always in the system prompt): not created yet; memory_add creates it, or write it yourself.',
				'Edit the files by hand whenever you like; Orbit sees the changes at once.',
			].join('\n\n'),
		});
	});

	it('shows each file with its path, entry count and content; an empty one says so', async () => {
		const memory = await withMemory({ '.orbit/AGREEMENTS.md': '# Agreements\n' });
		await memory.add('MEMORY', 'Use pnpm.');
		await memory.add('MEMORY', 'Node 20.');
		const result = await run('', memory);
		expect(result).toMatchObject({ kind: 'notice', tone: 'info' });
		expect(result.kind === 'notice' && result.text.split('\n\n')).toEqual([
			'Project memory — search: lexical (BM25).',
			'.orbit/MEMORY.md (facts, searched by the agent), 2 entries:\n# Memory',
			'- Use pnpm.\n- Node 20.',
			'.orbit/AGREEMENTS.md (rules, always in the system prompt): empty.',
			'Edit the files by hand whenever you like; Orbit sees the changes at once.',
		]);
	});

	it('cuts a long file and says how much is left', async () => {
		const lines = Array.from({ length: 100 }, (_, at) => `- fact ${at}`);
		const memory = await withMemory({ '.orbit/MEMORY.md': `${lines.join('\n')}\n` });
		const result = await run('', memory);
		const text = result.kind === 'notice' ? result.text : '';
		expect(text).toContain('.orbit/MEMORY.md (facts, searched by the agent), 100 entries:\n- fact 0\n');
		expect(text).toContain('- fact 59\n… 40 more lines in .orbit/MEMORY.md');
		expect(text).not.toContain('- fact 60');
	});

	it('with words, searches', async () => {
		const memory = await withMemory({ '.orbit/MEMORY.md': '## Servers\n- staging is atlas\n- production is orion\n' });
		expect(await run('staging', memory)).toEqual({ kind: 'notice', tone: 'info', text: 'Memory entries for "staging":\n[MEMORY › Servers] staging is atlas' });
		expect(await run('kubernetes', memory)).toEqual({ kind: 'notice', tone: 'info', text: 'No memory entry matches "kubernetes".' });
	});

	it('warns about a file it cannot use', async () => {
		const memory = await withMemory();
		await mkdir(join(memory.root, '.orbit/MEMORY.md'), { recursive: true });
		await writeFile(join(memory.root, '.orbit/AGREEMENTS.md'), '- Tabs.\n');
		const result = await run('', memory);
		expect(result).toMatchObject({ kind: 'notice', tone: 'warning', text: expect.stringContaining('.orbit/MEMORY.md (facts, searched by the agent): not used — .orbit/MEMORY.md is not a regular file.') });
	});
});
