import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { undoCommand, createUndoSubcommand } from '../../commands/undo.ts';
import { createCheckpointer } from '../../source/session/checkpoint.ts';
import { fakeContext } from '../commands/fake-context.ts';
import { makeRepo, makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

/** A repository where session `s1` changed a.txt in turn 1 and created b.txt in turn 2, and `s2` changed a.txt in turn 1. */
async function repoWithTurns(): Promise<string> {
	const root = await makeRepo({ 'a.txt': 'a0\n' });
	const turns: [string, number, string, string][] = [['s1', 1, 'a.txt', 'a1\n'], ['s1', 2, 'b.txt', 'b1\n'], ['s2', 1, 'a.txt', 'a2\n']];
	for (const [session, turn, file, text] of turns) {
		const checkpointer = createCheckpointer({ root, sessionId: session });
		await checkpointer.beforeChange(turn);
		await writeFile(join(root, file), text);
		await checkpointer.afterTurn(turn);
		await checkpointer.dispose();
	}
	return root;
}

function io() {
	let out = '';
	let err = '';
	return { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text) }, env: process.env, out: () => out, err: () => err };
}

describe('/undo', () => {
	it('undoes the latest turn of this session, then the one before, and lists the turns', async () => {
		const root = await repoWithTurns();
		let busy = false;
		const ctx = { ...fakeContext(), sessionId: 's1', checkpoints: { root, busy: () => busy } };
		const list = await undoCommand.run('list', ctx);
		expect(list).toMatchObject({ kind: 'notice', tone: 'info' });
		expect(list.kind === 'notice' && list.text).toMatch(/session s1[\s\S]*turn 1 .*1 file: M a\.txt[\s\S]*turn 2 .*A b\.txt/);
		expect(list.kind === 'notice' && list.text).not.toContain('s2');

		busy = true;
		expect(await undoCommand.run('', ctx)).toMatchObject({ tone: 'warning', text: expect.stringContaining('The agent is working') });
		expect(existsSync(join(root, 'b.txt'))).toBe(true);
		busy = false;
		expect(await undoCommand.run('', ctx)).toEqual({ kind: 'notice', tone: 'info', text: 'Undid turn 2 of session s1: removed b.txt.' });
		expect(existsSync(join(root, 'b.txt'))).toBe(false);
		// Turn 1 of s1 changed a.txt, which session s2 changed afterwards: refused, naming the file.
		const refused = await undoCommand.run('', ctx);
		expect(refused).toMatchObject({ kind: 'notice', tone: 'error', text: expect.stringMatching(/^Cannot undo turn 1 of session s1: a\.txt was changed after/) });
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a2\n');
		expect(await undoCommand.run('abc', ctx)).toMatchObject({ tone: 'error', text: expect.stringContaining('turn number') });
		expect(await undoCommand.run('', { ...fakeContext() })).toMatchObject({ tone: 'warning' });
	});
});

describe('orbit undo', () => {
	it('undoes the latest session\'s latest turn by default, --turn and --session pick another, --list shows them', async () => {
		const root = await repoWithTurns();
		const command = createUndoSubcommand(() => root);
		const listed = io();
		expect(await command.run(['--list'], listed)).toBe(0);
		expect(listed.out()).toMatch(/^session s2 \(latest\)\n {2}turn 1 .*M a\.txt\nsession s1\n {2}turn 1 .*\n {2}turn 2 .*A b\.txt\n$/);

		const first = io();
		expect(await command.run([], first)).toBe(0);
		expect(first.out()).toBe('Undid turn 1 of session s2: restored a.txt.\n');
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a1\n');

		const second = io();
		expect(await command.run(['--session', 's1', '--turn', '1'], second)).toBe(0);
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a0\n');
		expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('b1\n');

		const nothing = io();
		expect(await command.run([], nothing)).toBe(1);
		expect(nothing.err()).toMatch(/already undone/);
		const after = io();
		await command.run(['--list'], after);
		expect(after.out()).toMatch(/turn 1 .*\(undone\)/);
	});

	it('rejects bad arguments with exit 2 and says how to use it', async () => {
		const root = await repoWithTurns();
		const command = createUndoSubcommand(() => root);
		for (const argv of [['--turn', 'x'], ['--bogus'], ['--list', '--turn', '1'], ['extra']]) {
			const run = io();
			expect(await command.run(argv, run)).toBe(2);
			expect(run.err()).toMatch(/usage: orbit undo/);
		}
	});

	it('says there is nothing to undo in a repository without checkpoints, and fails clearly outside one', async () => {
		const root = await makeRepo();
		const run = io();
		expect(await createUndoSubcommand(() => root).run([], run)).toBe(1);
		expect(run.err()).toMatch(/Nothing to undo: no checkpoints/);
		const folder = await makeTempDir();
		const outside = io();
		expect(await createUndoSubcommand(() => folder).run([], outside)).toBe(1);
		expect(outside.err()).toMatch(/not in a git repository/);
	});
});
