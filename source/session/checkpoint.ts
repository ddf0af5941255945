import { rmSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ChangeHooks } from '../runtime/tool.ts';
import { checkpointEnv, diffTrees, gitText, type TreeChange } from './checkpoint-git.ts';
import { formatMeta, pruneCheckpoints, turnRef } from './checkpoint-refs.ts';

export interface CheckpointerOptions {
	/** The repository root (the work tree's top folder). */
	root: string;
	sessionId: string;
	/** Sessions whose checkpoints are kept (this one included); older ones are pruned after this session's first checkpoint. Default 20. */
	keepSessions?: number;
	/** Folders (relative to the root) left out of snapshots; default Orbit's own `.orbit/sessions` and `.orbit/cache`. */
	exclude?: string[];
	/** Environment git runs with (GIT_* overrides are dropped); default `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Told when a turn's checkpoint was recorded (for a notice or a test). */
	onCheckpoint?: (checkpoint: { turn: number; ref: string; changes: TreeChange[] }) => void;
}

/** Checkpoint hooks for the agent, plus clean-up of the private index. */
export interface Checkpointer extends ChangeHooks {
	/** Resolves when no snapshot is running. */
	settled(): Promise<void>;
	/** Removes the private index folder (also removed when the process exits). The refs stay. */
	dispose(): Promise<void>;
}

export const DEFAULT_KEEP_SESSIONS = 20;
const DEFAULT_EXCLUDE = ['.orbit/sessions', '.orbit/cache'];

/**
 * Snapshots the working tree (tracked and untracked-not-ignored files) into git objects through a
 * private index, around each turn in which the agent may change files: `beforeChange(turn)` at the
 * first write or execute tool of a turn, `afterTurn(turn)` when its tools have run. A turn whose
 * snapshots differ is recorded as `refs/orbit/<session>/turn/<n>` (see checkpoint-refs.ts) with the
 * list of changed files. The user's index, HEAD, branches and stash are never touched; no hook runs.
 * Operations run one at a time in call order. Outside a git repository every hook is a no-op.
 * Either hook rejects when git fails: before a change the tool then does not run; after a turn the
 * agent reports it as a non-fatal error (that turn cannot be undone).
 */
export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
	const { root, sessionId } = options;
	const env = checkpointEnv(options.env);
	const excludes = (options.exclude ?? DEFAULT_EXCLUDE).map((path) => `:(exclude)${path}`);
	let chain: Promise<unknown> = Promise.resolve();
	let folder: string | undefined;
	let index: string | undefined;
	let isRepository: boolean | undefined;
	let before: { turn: number; tree: string } | undefined;
	let pruned = false;
	let removeAtExit: (() => void) | undefined;

	const serial = <T>(work: () => Promise<T>): Promise<T> => {
		const next = chain.then(work, work);
		chain = next.catch(() => undefined);
		return next;
	};

	/** Seeds the private index with a copy of the user's (stat information makes `git add -A` cheap). */
	const prepare = async (): Promise<boolean> => {
		if (isRepository !== undefined) return isRepository;
		try {
			isRepository = (await gitText(root, ['rev-parse', '--is-inside-work-tree'], env)) === 'true';
		} catch {
			isRepository = false;
		}
		if (!isRepository) return false;
		const created = await mkdtemp(join(tmpdir(), 'orbit-checkpoint-'));
		removeAtExit = () => rmSync(created, { recursive: true, force: true });
		process.once('exit', removeAtExit);
		folder = created;
		index = join(folder, 'index');
		const relative = await gitText(root, ['rev-parse', '--git-path', 'index'], env);
		const userIndex = isAbsolute(relative) ? relative : join(root, relative);
		try {
			// The copy keeps the original's times: git trusts an entry's stat data only when the file is
			// older than the index file, so a fresh mtime would hide a same-size edit made in the same second.
			const { atime, mtime } = await stat(userIndex);
			await copyFile(userIndex, index);
			await utimes(index, atime, mtime);
		} catch {
			await rm(index, { force: true });
		}
		return true;
	};

	const snapshot = async (): Promise<string> => {
		const add = ['add', '-A', '--ignore-errors', '--', '.', ...excludes];
		try {
			await gitText(root, add, env, { index, okCodes: [1] });
		} catch {
			// A copied index git cannot use here (split index, another version): start from an empty one.
			await rm(index!, { force: true });
			await gitText(root, add, env, { index, okCodes: [1] });
		}
		return gitText(root, ['write-tree'], env, { index });
	};

	const commit = (tree: string, message: string, parent?: string): Promise<string> =>
		gitText(root, ['commit-tree', '--no-gpg-sign', ...(parent ? ['-p', parent] : []), '-F', '-', tree], env, { input: message });

	return {
		beforeChange: (turn) =>
			serial(async () => {
				if (before?.turn === turn) return;
				if (!(await prepare())) return;
				before = { turn, tree: await snapshot() };
			}),
		afterTurn: (turn) =>
			serial(async () => {
				if (before?.turn !== turn) return;
				const start = before;
				before = undefined;
				const after = await snapshot();
				if (after === start.tree) return;
				const changes = await diffTrees(root, start.tree, after, env);
				if (changes.length === 0) return;
				const meta = { session: sessionId, turn, time: new Date().toISOString(), changes: changes.map(({ status, path }) => ({ status, path })) };
				const parent = await commit(start.tree, `orbit checkpoint: before turn ${turn} of session ${sessionId}\n`);
				const head = await commit(after, formatMeta(meta), parent);
				const ref = turnRef(sessionId, turn);
				await gitText(root, ['update-ref', ref, head], env);
				options.onCheckpoint?.({ turn, ref, changes });
				if (!pruned) {
					pruned = true;
					await pruneCheckpoints(root, env, options.keepSessions ?? DEFAULT_KEEP_SESSIONS, sessionId);
				}
			}),
		settled: () => serial(async () => undefined),
		dispose: () =>
			serial(async () => {
				if (folder !== undefined) await rm(folder, { recursive: true, force: true });
				if (removeAtExit) process.off('exit', removeAtExit);
				removeAtExit = undefined;
				folder = undefined;
				index = undefined;
				isRepository = undefined;
			}),
	};
}
