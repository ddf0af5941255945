import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Checkpointer, createCheckpointer } from '../../source/session/checkpoint.ts';
import { checkpointEnv } from '../../source/session/checkpoint-git.ts';
import { listCheckpoints } from '../../source/session/checkpoint-refs.ts';
import { undoTurn } from '../../source/session/undo.ts';
import { git, makeRepo, makeTempDir, removeTempDirs, writeFiles } from '../tools/tool-test-context.ts';

const made: Checkpointer[] = [];
const track = (checkpointer: Checkpointer) => (made.push(checkpointer), checkpointer);
afterEach(async () => {
	await Promise.all(made.splice(0).map((checkpointer) => checkpointer.dispose()));
	await removeTempDirs();
});

const BINARY_BEFORE = Buffer.from([0, 1, 2, 3, 255, 254, 0, 10, 13, 0]);
const BINARY_AFTER = Buffer.from([0, 9, 9, 9, 0, 128, 7]);

/** The user's git state that checkpoints must never touch: index bytes, HEAD, refs outside refs/orbit, the stash list. */
function userState(root: string) {
	return {
		index: createHash('sha256').update(readFileSync(join(root, '.git/index'))).digest('hex'),
		head: git(root, 'symbolic-ref', 'HEAD').trim() + ' ' + git(root, 'rev-parse', 'HEAD').trim(),
		refs: git(root, 'for-each-ref', '--format=%(refname) %(objectname)').split('\n').filter((line) => line !== '' && !line.startsWith('refs/orbit/')),
		stash: git(root, 'stash', 'list'),
		staged: git(root, 'diff', '--cached', '--name-status'),
	};
}

/** A repository with a staged change, a second branch and a stash entry, as a user might have. */
async function busyRepo(): Promise<string> {
	const root = await makeRepo({ 'a.txt': 'alpha\n', 'del.txt': 'to be deleted\n', 'bin.dat': BINARY_BEFORE, 'src/keep.ts': 'export const keep = 1;\n', 'staged.txt': 'old\n' });
	git(root, 'branch', 'feature');
	await writeFile(join(root, 'stashed.txt'), 'stash me\n');
	git(root, 'add', 'stashed.txt');
	git(root, 'stash', 'push', '-q', '-m', 'user stash');
	await writeFile(join(root, 'staged.txt'), 'staged by the user\n');
	git(root, 'add', 'staged.txt');
	return root;
}

function orbitRefs(root: string): string[] {
	return git(root, 'for-each-ref', '--format=%(refname)', 'refs/orbit/').split('\n').filter(Boolean);
}

describe('checkpoints and undo', () => {
	it('records a turn (edit, creation, deletion, binary) and undo restores exactly those files, leaving the user\'s git state alone', async () => {
		const root = await busyRepo();
		const before = userState(root);
		const checkpointer = track(createCheckpointer({ root, sessionId: 's1' }));
		await checkpointer.beforeChange(1);
		await writeFile(join(root, 'a.txt'), 'alpha changed by the agent\n');
		await writeFiles(root, { 'new/deep/made.txt': 'created\n' });
		await rm(join(root, 'del.txt'));
		await writeFile(join(root, 'bin.dat'), BINARY_AFTER);
		await checkpointer.beforeChange(1); // a second tool in the same turn takes no new snapshot
		await writeFile(join(root, 'src/keep.ts'), 'export const keep = 2;\n');
		await checkpointer.afterTurn(1);
		await checkpointer.dispose();

		const [session] = await listCheckpoints(root, checkpointEnv());
		expect(session!.session).toBe('s1');
		expect(session!.turns.map((turn) => turn.turn)).toEqual([1]);
		expect(session!.turns[0]!.changes).toEqual([
			{ status: 'M', path: 'a.txt' },
			{ status: 'M', path: 'bin.dat' },
			{ status: 'D', path: 'del.txt' },
			{ status: 'A', path: 'new/deep/made.txt' },
			{ status: 'M', path: 'src/keep.ts' },
		]);
		expect(userState(root)).toEqual(before);

		// A file the user changes that the agent did not touch stays as the user left it.
		await writeFile(join(root, 'staged.txt'), 'edited again by the user\n');
		const outcome = await undoTurn({ root });
		expect(outcome).toMatchObject({ ok: true, session: 's1', turn: 1 });
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('alpha\n');
		expect(readFileSync(join(root, 'del.txt'), 'utf8')).toBe('to be deleted\n');
		expect(readFileSync(join(root, 'bin.dat')).equals(BINARY_BEFORE)).toBe(true);
		expect(readFileSync(join(root, 'src/keep.ts'), 'utf8')).toBe('export const keep = 1;\n');
		expect(existsSync(join(root, 'new'))).toBe(false);
		expect(readFileSync(join(root, 'staged.txt'), 'utf8')).toBe('edited again by the user\n');
		expect(userState(root)).toEqual(before);
		expect(orbitRefs(root)).toEqual(['refs/orbit/s1/undone/1']);

		const again = await undoTurn({ root });
		expect(again).toMatchObject({ ok: false, reason: 'nothing' });
	});

	it('refuses, naming the file, when the user changed a file after the agent did, and restores nothing', async () => {
		const root = await makeRepo({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n', 'gone.txt': 'gone\n' });
		const checkpointer = track(createCheckpointer({ root, sessionId: 's1' }));
		await checkpointer.beforeChange(1);
		await writeFile(join(root, 'a.txt'), 'agent\n');
		await writeFile(join(root, 'b.txt'), 'agent\n');
		await writeFile(join(root, 'created.txt'), 'agent\n');
		await rm(join(root, 'gone.txt'));
		await checkpointer.afterTurn(1);

		await writeFile(join(root, 'b.txt'), 'the user edited this\n');
		const refused = await undoTurn({ root });
		expect(refused).toMatchObject({ ok: false, reason: 'changed', files: ['b.txt'] });
		expect(refused.ok ? '' : refused.message).toContain('b.txt');
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('agent\n');
		expect(existsSync(join(root, 'created.txt'))).toBe(true);
		expect(orbitRefs(root)).toEqual(['refs/orbit/s1/turn/1']);

		// The user deleting a file the agent created, or re-creating one it deleted, also counts.
		await writeFile(join(root, 'b.txt'), 'agent\n');
		await rm(join(root, 'created.txt'));
		await writeFile(join(root, 'gone.txt'), 'the user wrote this\n');
		const refusedAgain = await undoTurn({ root });
		expect(refusedAgain).toMatchObject({ ok: false, reason: 'changed', files: ['created.txt', 'gone.txt'] });

		await rm(join(root, 'gone.txt'));
		await writeFile(join(root, 'created.txt'), 'agent\n');
		expect(await undoTurn({ root })).toMatchObject({ ok: true });
		expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('beta\n');
		expect(readFileSync(join(root, 'gone.txt'), 'utf8')).toBe('gone\n');
		expect(existsSync(join(root, 'created.txt'))).toBe(false);
	});

	it('undoes turns latest first, or the one asked for, and a later turn on the same file blocks an earlier one', async () => {
		const root = await makeRepo({ 'a.txt': 'v0\n', 'b.txt': 'b0\n' });
		const checkpointer = track(createCheckpointer({ root, sessionId: 's1' }));
		for (const [turn, file, text] of [[1, 'a.txt', 'v1\n'], [2, 'b.txt', 'b1\n'], [3, 'a.txt', 'v2\n']] as const) {
			await checkpointer.beforeChange(turn);
			await writeFile(join(root, file), text);
			await checkpointer.afterTurn(turn);
		}
		await checkpointer.beforeChange(4); // a turn that changed nothing leaves no checkpoint
		await checkpointer.afterTurn(4);
		expect(orbitRefs(root)).toEqual(['refs/orbit/s1/turn/1', 'refs/orbit/s1/turn/2', 'refs/orbit/s1/turn/3']);

		const blocked = await undoTurn({ root, turn: 1 });
		expect(blocked).toMatchObject({ ok: false, reason: 'changed', files: ['a.txt'] });
		expect(await undoTurn({ root, turn: 2 })).toMatchObject({ ok: true, turn: 2 });
		expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('b0\n');
		expect(await undoTurn({ root, turn: 2 })).toMatchObject({ ok: false, reason: 'nothing', message: expect.stringContaining('already undone') });
		expect(await undoTurn({ root })).toMatchObject({ ok: true, turn: 3 });
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('v1\n');
		expect(await undoTurn({ root })).toMatchObject({ ok: true, turn: 1 });
		expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('v0\n');
		expect(await undoTurn({ root, turn: 7 })).toMatchObject({ ok: false, reason: 'nothing' });
	});

	it('covers untracked files, modes and a repository without commits, and leaves out .orbit/sessions and ignored files', async () => {
		const root = await makeRepo({});
		await writeFiles(root, { '.gitignore': 'build/\n', 'notes.txt': 'untracked by the user\n', 'run.sh': '#!/bin/sh\necho hi\n' });
		const checkpointer = track(createCheckpointer({ root, sessionId: 's1' }));
		await checkpointer.beforeChange(1);
		await writeFile(join(root, 'notes.txt'), 'changed by the agent\n');
		await chmod(join(root, 'run.sh'), 0o755);
		await writeFiles(root, { 'build/out.js': 'ignored\n', '.orbit/sessions/s1.jsonl': '{}\n' });
		await checkpointer.afterTurn(1);
		const [session] = await listCheckpoints(root, checkpointEnv());
		expect(session!.turns[0]!.changes).toEqual([
			{ status: 'M', path: 'notes.txt' },
			{ status: 'M', path: 'run.sh' },
		]);
		expect(await undoTurn({ root })).toMatchObject({ ok: true });
		expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('untracked by the user\n');
		expect(statSync(join(root, 'run.sh')).mode & 0o111).toBe(0);
		expect(existsSync(join(root, 'build/out.js'))).toBe(true);
	});

	it('sees a same-size edit whose stat data matches the user\'s index (racy git: the copied index keeps its times)', async () => {
		const root = await makeRepo({ 'a.txt': 'a0\n' });
		git(root, 'config', 'core.trustctime', 'false');
		// The user's index holds a.txt's stat data, clean, and was written in the second of a.txt's last edit…
		const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000);
		await utimes(join(root, 'a.txt'), past, past);
		git(root, 'update-index', '--refresh');
		await utimes(join(root, '.git/index'), past, past);
		// …and a.txt changes again in that second, keeping its size.
		await writeFile(join(root, 'a.txt'), 'a1\n');
		await utimes(join(root, 'a.txt'), past, past);
		const checkpointer = track(createCheckpointer({ root, sessionId: 's1' }));
		await checkpointer.beforeChange(1);
		await writeFile(join(root, 'b.txt'), 'b\n');
		await checkpointer.afterTurn(1);
		await checkpointer.dispose();
		expect(git(root, 'show', 'refs/orbit/s1/turn/1^1:a.txt')).toBe('a1\n');
		const [session] = await listCheckpoints(root, checkpointEnv());
		expect(session!.turns[0]!.changes).toEqual([{ status: 'A', path: 'b.txt' }]);
	});

	it('is a no-op outside a git repository', async () => {
		const folder = await makeTempDir();
		const checkpointer = track(createCheckpointer({ root: folder, sessionId: 's1' }));
		await checkpointer.beforeChange(1);
		await writeFile(join(folder, 'x.txt'), 'x');
		await checkpointer.afterTurn(1);
		await checkpointer.dispose();
		expect(existsSync(join(folder, '.git'))).toBe(false);
	});

	it('prunes to the last N sessions, so the number of refs stays bounded', async () => {
		const root = await makeRepo({ 'a.txt': '0\n' });
		for (let session = 1; session <= 6; session += 1) {
			const checkpointer = track(createCheckpointer({ root, sessionId: `2026-s${session}`, keepSessions: 3 }));
			for (let turn = 1; turn <= 2; turn += 1) {
				await checkpointer.beforeChange(turn);
				await writeFile(join(root, 'a.txt'), `${session}.${turn}\n`);
				await checkpointer.afterTurn(turn);
			}
			await checkpointer.dispose();
			expect(orbitRefs(root).length).toBeLessThanOrEqual(6);
		}
		const sessions = (await listCheckpoints(root, checkpointEnv())).map((group) => group.session);
		expect(sessions).toEqual(['2026-s6', '2026-s5', '2026-s4']);
	});
});
