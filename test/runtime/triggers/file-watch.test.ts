import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Agent } from '../../../source/runtime/agent.ts';
import type { RuntimeEvent } from '../../../source/runtime/events.ts';
import { defineTool, type Tool } from '../../../source/runtime/tool.ts';
import { createFileWatchTrigger, type FileWatchOptions } from '../../../source/runtime/triggers/file-watch.ts';
import { createPermissionPolicy } from '../../../source/sandbox/permission.ts';
import { writeFileTool } from '../../../tools/write-file.ts';
import { ScriptedModel, waitUntil } from '../../fixtures/scripted-model.ts';

const run = promisify(execFile);

let root: string;
let agent: Agent | undefined;
let events: RuntimeEvent[] = [];

beforeEach(async () => {
	root = realpathSync(await mkdtemp(join(tmpdir(), 'orbit-watch-')));
	await run('git', ['init', '-q'], { cwd: root });
	await writeFile(join(root, '.gitignore'), 'dist/\n*.log\n');
	await mkdir(join(root, 'src'));
	await mkdir(join(root, 'dist'));
	await mkdir(join(root, '.orbit'));
	await writeFile(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
	events = [];
});

afterEach(async () => {
	await agent?.stop();
	agent = undefined;
	await rm(root, { recursive: true, force: true });
});

/** A real agent on a scripted model with the file-watch trigger, started once the trigger watches the tree. */
async function start(model: ScriptedModel, options: FileWatchOptions = {}, tools: Tool[] = []): Promise<void> {
	const trigger = createFileWatchTrigger(options);
	agent = new Agent({ sessionId: 'watch', root, model, tools, permission: createPermissionPolicy('full'), systemPrompt: () => 'system', triggers: [trigger] });
	agent.subscribe((event) => events.push(event));
	agent.start();
	await trigger.ready();
}

const fileItems = () =>
	events.flatMap((event) => (event.type === 'item-added' && event.item.source === 'file-watch' ? [event.item] : []));
const fileItemText = () => fileItems().map((item) => item.content).join('\n');

/** A tool that changes a file through a child process, as a shell command would, without announcing it. */
const shTool = defineTool({
	name: 'sh',
	description: 'runs a shell command',
	parameters: z.object({ command: z.string() }),
	access: 'execute',
	async execute({ command }, ctx) {
		await run('sh', ['-c', command], { cwd: ctx.root });
		return { content: 'ran' };
	},
});

describe('the file-watch trigger', () => {
	it('a file changed outside the agent becomes one InTheEnd item listing the changed paths; ignored paths never appear', async () => {
		const model = new ScriptedModel([{ text: 'noted' }, { text: 'noted' }]);
		await start(model);
		await writeFile(join(root, 'dist', 'out.js'), 'ignored by dist/');
		await writeFile(join(root, 'debug.log'), 'ignored by *.log');
		await writeFile(join(root, '.git', 'scratch'), 'never watched');
		await writeFile(join(root, '.orbit', 'MEMORY.md'), '- never watched');
		await writeFile(join(root, 'src', 'a.ts'), 'export const a = 2;\n');
		await mkdir(join(root, 'src', 'lexer'));
		await writeFile(join(root, 'src', 'lexer', 'tokens.ts'), 'export {};\n');
		await waitUntil(() => /src\/a\.ts/.test(fileItemText()) && /src\/lexer\/tokens\.ts/.test(fileItemText()), 'an item naming both changes');
		const [item] = fileItems();
		expect(item).toMatchObject({ priority: 'in-the-end' });
		expect(item!.content).toMatch(/^Files changed outside the agent:\n- src\/a\.ts\n/);
		expect(fileItemText()).not.toMatch(/dist|debug\.log|\.git\/|\.orbit/);
		// The agent was idle, so the item started a loop and reached the model.
		await waitUntil(() => model.calls.length >= 1, 'the model call');
		expect(model.calls[0]!.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/^\[file-watch\] Files changed outside the agent:/) });
	});

	it('marks deleted files', async () => {
		await start(new ScriptedModel([{ text: 'noted' }]));
		await rm(join(root, 'src', 'a.ts'));
		await waitUntil(() => fileItems().length === 1, 'the item');
		expect(fileItems()[0]!.content).toBe('Files changed outside the agent:\n- src/a.ts (deleted)');
	});

	it('lists a new empty folder with a slash, and a deleted folder once', async () => {
		await start(new ScriptedModel([{ text: 'noted' }, { text: 'noted' }]));
		await mkdir(join(root, 'docs'));
		await waitUntil(() => fileItems().length === 1, 'the first item');
		expect(fileItems()[0]!.content).toBe('Files changed outside the agent:\n- docs/');
		await rm(join(root, 'src'), { recursive: true });
		await waitUntil(() => fileItems().length === 2, 'the second item');
		// The folder's watch may see its file go first; either way the deletion is named once.
		expect(fileItems()[1]!.content).toMatch(/^Files changed outside the agent:\n- src\/(a\.ts)? \(deleted\)$/);
	});

	it('coalesces a burst into one item and bounds the list', async () => {
		// Generous timings, so a busy machine cannot split the burst.
		await start(new ScriptedModel([{ text: 'noted' }]), { debounceMs: 1_500, maxDelayMs: 10_000, maxListed: 3 });
		for (const name of ['e', 'd', 'c', 'b', 'a']) await writeFile(join(root, `${name}.md`), name);
		await waitUntil(() => fileItems().length === 1, 'the item');
		expect(fileItems()[0]!.content).toBe('Files changed outside the agent:\n- a.md\n- b.md\n- c.md\n… and 2 more');
	});

	it("leaves out the agent's own changes: files its tools wrote, and whatever changed while a tool ran", async () => {
		const model = new ScriptedModel([
			{
				toolCalls: [
					{ name: 'write_file', args: { path: 'src/written.ts', content: 'export {};\n' } },
					{ name: 'sh', args: { command: 'mkdir -p src/gen && echo "x" > src/gen/by-shell.ts && echo y >> src/a.ts' } },
				],
			},
			{ text: 'done' },
		]);
		for (let index = 0; index < 5; index++) model.push({ text: 'noted' });
		await start(model, { graceMs: 200, maxDelayMs: 600 }, [writeFileTool, shTool]);
		agent!.post('write the files');
		await waitUntil(() => events.some((event) => event.type === 'loop-end'), 'the loop');
		expect(events.filter((event) => event.type === 'tool-end').map((event) => (event as { isError: boolean }).isError)).toEqual([false, false]);
		// Someone else writes a file: keep writing it until the change is reported (the grace period must pass first).
		let count = 0;
		await waitUntil(
			() => {
				if (count++ % 20 === 0) void writeFile(join(root, 'sentinel.txt'), String(count));
				return /sentinel\.txt/.test(fileItemText());
			},
			'the outside change',
			10_000,
		);
		expect(fileItemText()).not.toMatch(/written\.ts|by-shell|src\/gen|src\/a\.ts/);
		// New folders the agent made are watched too.
		await writeFile(join(root, 'src', 'gen', 'later.ts'), 'export {};\n');
		await waitUntil(() => /src\/gen\/later\.ts/.test(fileItemText()), 'a change in the folder the agent created');
	});

	it('says so, without failing, when it reaches its limit of folders', async () => {
		await mkdir(join(root, 'docs'));
		await start(new ScriptedModel([]), { maxFolders: 2 });
		expect(events.filter((event) => event.type === 'error')).toEqual([
			expect.objectContaining({ fatal: false, message: 'file-watch: watching 2 folders and no more (more than 2 folders); changes in the others are not reported' }),
		]);
	});

	it('follows .gitignore edits: a folder newly ignored is no longer reported', async () => {
		await mkdir(join(root, 'tmp'));
		await start(new ScriptedModel(Array.from({ length: 5 }, () => ({ text: 'noted' }))));
		await writeFile(join(root, '.gitignore'), 'dist/\n*.log\ntmp/\n');
		await waitUntil(() => /\.gitignore/.test(fileItemText()), 'the .gitignore change');
		await writeFile(join(root, 'tmp', 'scratch.txt'), 'now ignored');
		await writeFile(join(root, 'notes.md'), 'reported');
		await waitUntil(() => /notes\.md/.test(fileItemText()), 'the next change');
		expect(fileItemText()).not.toMatch(/tmp\//);
		// Without a .gitignore nothing but the fixed folders is left out: tmp/ is watched again.
		await rm(join(root, '.gitignore'));
		await waitUntil(() => /\.gitignore \(deleted\)/.test(fileItemText()), 'the deletion');
		await writeFile(join(root, 'tmp', 'again.txt'), 'reported');
		await waitUntil(() => /tmp\/again\.txt/.test(fileItemText()), 'the change in tmp/');
	});
});
