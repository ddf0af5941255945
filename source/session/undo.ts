import { lstat, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CheckpointGitError, checkpointEnv, diffTrees, gitBytes, gitText, type TreeChange } from './checkpoint-git.ts';
import { listCheckpoints, type SessionCheckpoints, type TurnCheckpoint, turnRef } from './checkpoint-refs.ts';

export interface UndoRequest {
	/** The repository root. */
	root: string;
	/** The session whose turn to undo; default the session with the newest checkpoint. */
	sessionId?: string;
	/** The turn to undo; default the session's latest turn with changes not undone yet. */
	turn?: number;
	env?: NodeJS.ProcessEnv;
}

export type UndoOutcome =
	| { ok: true; session: string; turn: number; restored: { status: TreeChange['status']; path: string }[] }
	| {
			ok: false;
			/** `nothing`: no turn to undo; `changed`: files changed since the agent's turn (listed in `files`); `failed`: git or the file system failed. */
			reason: 'nothing' | 'changed' | 'failed';
			message: string;
			files?: string[];
	  };

const GITLINK = '160000';
const ABSENT = '000000';

/**
 * Restores the files the agent changed in one turn to their state before that turn: files it
 * created are removed, files it modified or deleted come back (binary files and modes too). Only
 * those files are touched, and only when each still matches what the agent left; otherwise nothing is
 * restored and the outcome names the files changed since. The user's index, HEAD, branches and stash
 * are never touched. The turn is then marked undone (`refs/orbit/<session>/undone/<n>`). Never throws.
 */
export async function undoTurn(request: UndoRequest): Promise<UndoOutcome> {
	const { root } = request;
	const env = checkpointEnv(request.env);
	let folder: string | undefined;
	try {
		const found = await findTurn(root, env, request);
		if ('message' in found) return { ok: false, reason: 'nothing', message: found.message };
		const checkpoint = found;
		const changes = await diffTrees(root, `${checkpoint.commit}^1`, checkpoint.commit, env);
		folder = await mkdtemp(join(tmpdir(), 'orbit-undo-'));
		const changed = await changedSince(root, env, checkpoint.commit, changes, join(folder, 'after-index'));
		const label = `turn ${checkpoint.turn} of session ${checkpoint.session}`;
		if (changed.length > 0) {
			const names = changed.join(', ');
			return {
				ok: false,
				reason: 'changed',
				files: changed,
				message: `Cannot undo ${label}: ${names} ${changed.length === 1 ? 'was' : 'were'} changed after the agent's turn; nothing was restored. Undo later turns first, or restore by hand (git show ${checkpoint.commit}^1:<path>).`,
			};
		}
		const restorable = changes.filter((change) => change.beforeMode !== GITLINK && change.afterMode !== GITLINK);
		for (const change of restorable) {
			if (change.afterMode !== ABSENT && change.beforeMode === ABSENT) await removeCreated(root, change.path);
		}
		for (const change of restorable) {
			// A file the agent replaced with a folder (or a link): clear the way before checking out.
			if (change.afterMode !== ABSENT && change.beforeMode !== ABSENT && change.status === 'T') await rm(join(root, change.path), { force: true });
		}
		const back = restorable.filter((change) => change.beforeMode !== ABSENT).map((change) => change.path);
		if (back.length > 0) {
			const index = join(folder, 'before-index');
			await gitText(root, ['read-tree', `${checkpoint.commit}^1`], env, { index });
			await gitText(root, ['checkout-index', '-f', '-z', '--stdin'], env, { index, input: back.map((path) => `${path}\0`).join(''), literalPaths: true });
		}
		await gitText(root, ['update-ref', '--stdin'], env, {
			input: `create ${turnRef(checkpoint.session, checkpoint.turn, true)} ${checkpoint.commit}\ndelete ${checkpoint.ref} ${checkpoint.commit}\n`,
		});
		return { ok: true, session: checkpoint.session, turn: checkpoint.turn, restored: restorable.map(({ status, path }) => ({ status, path })) };
	} catch (error) {
		const message = error instanceof CheckpointGitError || error instanceof Error ? error.message : String(error);
		return { ok: false, reason: 'failed', message: `Undo failed: ${message}` };
	} finally {
		if (folder !== undefined) await rm(folder, { recursive: true, force: true });
	}
}

async function findTurn(root: string, env: Record<string, string>, request: UndoRequest): Promise<TurnCheckpoint | { message: string }> {
	const sessions = await listCheckpoints(root, env);
	if (sessions.length === 0) return { message: 'Nothing to undo: no checkpoints in this repository (the agent has not changed files here, or they were pruned).' };
	const session = request.sessionId === undefined ? sessions[0]! : sessions.find((group) => group.session === request.sessionId);
	if (!session) return { message: `Nothing to undo: session ${request.sessionId} has no checkpoints (orbit undo --list shows those that do).` };
	if (request.turn !== undefined) {
		const turn = session.turns.find((candidate) => candidate.turn === request.turn);
		if (!turn) return { message: `Nothing to undo: the agent changed no files in turn ${request.turn} of session ${session.session} (turns with changes: ${session.turns.map((candidate) => candidate.turn).join(', ')}).` };
		if (turn.undone) return { message: `Turn ${turn.turn} of session ${session.session} was already undone.` };
		return turn;
	}
	const latest = session.turns.filter((candidate) => !candidate.undone).at(-1);
	return latest ?? { message: `Nothing to undo: every turn with changes in session ${session.session} was already undone.` };
}

/**
 * The changed paths whose current content (through `git add`'s eyes: filters, modes, links) differs
 * from the agent's after-state, found with a private index seeded from the turn's commit.
 */
async function changedSince(root: string, env: Record<string, string>, commit: string, changes: TreeChange[], index: string): Promise<string[]> {
	const changed = new Set<string>();
	const present: string[] = [];
	for (const change of changes) {
		if (change.afterMode === ABSENT) {
			if (await exists(join(root, change.path))) changed.add(change.path);
		} else if (change.afterMode !== GITLINK) present.push(change.path);
	}
	if (present.length > 0) {
		await gitText(root, ['read-tree', commit], env, { index });
		await gitText(root, ['add', '-A', '--ignore-errors', '--pathspec-from-file=-', '--pathspec-file-nul'], env, { index, input: present.map((path) => `${path}\0`).join(''), literalPaths: true, okCodes: [1] });
		const differ = (await gitBytes(root, ['diff-index', '--cached', '--name-only', '-z', '--no-renames', commit], env, { index })).toString('utf8').split('\0');
		for (const path of differ) if (path !== '') changed.add(path);
	}
	// Paths under a changed path that became a folder count as that path.
	const named = [...changed].map((path) => changes.find((change) => path === change.path || path.startsWith(`${change.path}/`))?.path ?? path);
	return [...new Set(named)].sort();
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

/** Removes a file the agent created, then the folders it leaves empty (never the root). */
async function removeCreated(root: string, path: string): Promise<void> {
	await rm(join(root, path), { force: true });
	for (let folder = dirname(path); folder !== '.' && folder !== ''; folder = dirname(folder)) {
		const full = join(root, folder);
		try {
			if ((await readdir(full)).length > 0) return;
			await rmdir(full);
		} catch {
			return;
		}
	}
}

/** `orbit undo --list`: sessions newest first, each turn with its changed files. */
export function formatTurnList(sessions: readonly SessionCheckpoints[], limitFiles = 6): string {
	if (sessions.length === 0) return 'No checkpoints in this repository.';
	const lines: string[] = [];
	sessions.forEach((group, at) => {
		lines.push(`session ${group.session}${at === 0 ? ' (latest)' : ''}`);
		for (const turn of group.turns) {
			const files = turn.changes.slice(0, limitFiles).map((change) => `${change.status} ${change.path}`);
			if (turn.changes.length > limitFiles) files.push(`… ${turn.changes.length - limitFiles} more`);
			const when = turn.time.replace('T', ' ').slice(0, 19);
			lines.push(`  turn ${turn.turn}  ${when}  ${turn.changes.length} file${turn.changes.length === 1 ? '' : 's'}${turn.undone ? '  (undone)' : ''}: ${files.join(', ')}`);
		}
	});
	return lines.join('\n');
}

/** A restored turn in one line, e.g. `Undid turn 3 of session …: restored src/a.ts, removed new.ts.` */
export function describeUndo(outcome: Extract<UndoOutcome, { ok: true }>): string {
	const verb = (status: TreeChange['status']) => (status === 'A' ? 'removed' : 'restored');
	const parts = outcome.restored.map((change) => `${verb(change.status)} ${change.path}`);
	return `Undid turn ${outcome.turn} of session ${outcome.session}: ${parts.join(', ')}.`;
}
