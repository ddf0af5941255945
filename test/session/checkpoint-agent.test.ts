import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createOrbit } from '../../source/builder.ts';
import { Agent } from '../../source/runtime/agent.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { defineTool, type Tool } from '../../source/runtime/tool.ts';
import { checkpointEnv } from '../../source/session/checkpoint-git.ts';
import { listCheckpoints } from '../../source/session/checkpoint-refs.ts';
import { undoTurn } from '../../source/session/undo.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { ScriptedModel } from '../fixtures/scripted-model.ts';
import { allowEverything, git, makeRepo, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

describe('checkpoints in the agent loop', () => {
	it('snapshots before the first write or execute tool of a turn, records file tools and shell changes alike, and undo restores them', async () => {
		const root = await makeRepo({ 'a.txt': 'alpha\n', 'old.txt': 'old\n' });
		const headBefore = git(root, 'rev-parse', 'HEAD');
		const model = new ScriptedModel([
			{ toolCalls: [{ name: 'read_file', args: { path: 'a.txt' } }] },
			{
				toolCalls: [
					{ name: 'edit_file', args: { path: 'a.txt', old_string: 'alpha', new_string: 'ALPHA' } },
					{ name: 'write_file', args: { path: 'dir/new.txt', content: 'new\n' } },
					{ name: 'shell', args: { command: 'rm old.txt' } },
				],
			},
			{ text: 'done' },
		]);
		const events: RuntimeEvent[] = [];
		const handle = createOrbit(root).model(model).tools(createBuiltinTools()).permission(allowEverything).sessionId('agent-s1').checkpoints().subscribe((event) => events.push(event)).start();
		handle.post('edit things');
		await handle.whenIdle();
		await handle.stop();
		await handle.done;
		expect(events.filter((event) => event.type === 'error')).toEqual([]);
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('ALPHA\n');

		const [session] = await listCheckpoints(root, checkpointEnv());
		expect(session!.session).toBe('agent-s1');
		// Turn 1 only read: no checkpoint. Turn 2 changed three files, one of them through the shell.
		expect(session!.turns.map((turn) => [turn.turn, turn.changes])).toEqual([
			[
				2,
				[
					{ status: 'M', path: 'a.txt' },
					{ status: 'A', path: 'dir/new.txt' },
					{ status: 'D', path: 'old.txt' },
				],
			],
		]);
		expect(await undoTurn({ root })).toMatchObject({ ok: true, session: 'agent-s1', turn: 2 });
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('alpha\n');
		expect(readFileSync(join(root, 'old.txt'), 'utf8')).toBe('old\n');
		expect(existsSync(join(root, 'dir'))).toBe(false);
		expect(git(root, 'rev-parse', 'HEAD')).toBe(headBefore);
		expect(git(root, 'status', '--porcelain')).toBe('');
	});

	it('awaits beforeChange only for write and execute tools, after permission, and afterTurn before turn-end', async () => {
		const root = await makeRepo({ 'a.txt': 'alpha\n' });
		const calls: string[] = [];
		const hooks = {
			beforeChange: async (turn: number) => void calls.push(`before ${turn}`),
			afterTurn: async (turn: number) => void calls.push(`after ${turn}`),
		};
		const model = new ScriptedModel([
			{ toolCalls: [{ name: 'read_file', args: { path: 'a.txt' } }] },
			{ toolCalls: [{ name: 'write_file', args: { path: 'b.txt', content: 'b' } }, { name: 'shell', args: { command: 'true' } }] },
			{ text: 'done' },
		]);
		const agent = new Agent({ sessionId: 'x', root, model, tools: createBuiltinTools(), permission: allowEverything, systemPrompt: () => 'system', changes: hooks });
		agent.subscribe((event) => {
			if (event.type === 'tool-start') calls.push(`${event.name} ${event.turn}`);
			if (event.type === 'turn-end') calls.push(`turn-end ${event.turn}`);
		});
		agent.start();
		agent.post('go');
		await agent.whenIdle();
		await agent.stop();
		expect(calls).toEqual(['read_file 1', 'after 1', 'turn-end 1', 'write_file 2', 'before 2', 'shell 2', 'before 2', 'after 2', 'turn-end 2', 'turn-end 3']);
	});

	it('does not run a write tool whose checkpoint failed, and tells the model why', async () => {
		const root = await makeRepo({ 'a.txt': 'alpha\n' });
		let ran = false;
		const writer: Tool = defineTool({ name: 'touch', description: 'writes', parameters: z.object({}), access: 'write', execute: async () => ((ran = true), { content: 'wrote' }) });
		const model = new ScriptedModel([{ toolCalls: [{ name: 'touch', args: {} }] }, { text: 'ok' }]);
		const events: RuntimeEvent[] = [];
		const failing = { beforeChange: () => Promise.reject(new Error('disk full')), afterTurn: () => Promise.resolve() };
		const agent = new Agent({ sessionId: 'x', root, model, tools: [writer], permission: allowEverything, systemPrompt: () => 'system', changes: failing });
		agent.subscribe((event) => events.push(event));
		agent.start();
		agent.post('go');
		await agent.whenIdle();
		await agent.stop();
		expect(ran).toBe(false);
		const end = events.find((event) => event.type === 'tool-end');
		expect(end).toMatchObject({ isError: true, content: 'touch did not run: the checkpoint before it failed (disk full).' });
	});
});
