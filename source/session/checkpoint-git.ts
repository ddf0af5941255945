import { spawn } from 'node:child_process';

/**
 * Git overrides from the caller's environment that would point git somewhere else (GIT_DIR,
 * GIT_INDEX_FILE, GIT_WORK_TREE, …) or change how it runs. Identity variables are replaced too:
 * checkpoints are always made by "Orbit".
 */
const WITHHELD = /^(GIT_.*|EDITOR|VISUAL|PAGER)$/i;

/** Config for every checkpoint command: no hooks, no fsmonitor, no signing, no pager; paths as raw bytes. */
const CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgSign=false', '-c', 'core.quotePath=false', '-c', 'advice.addEmbeddedRepo=false'];

export interface GitRunOptions {
	/** A private index file (GIT_INDEX_FILE); the user's index is used only when this is absent. */
	index?: string;
	/** Bytes or text written to git's stdin. */
	input?: string | Buffer;
	/** Exit codes besides 0 that count as success (e.g. `git add --ignore-errors` exits 1 for an unreadable file). */
	okCodes?: number[];
	/** Treats every path as literal (no glob or magic pathspecs). */
	literalPaths?: boolean;
}

export class CheckpointGitError extends Error {
	override name = 'CheckpointGitError';
}

/** The environment checkpoint commands run with. */
export function checkpointEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(base)) if (value !== undefined && !WITHHELD.test(name)) env[name] = value;
	return {
		...env,
		GIT_AUTHOR_NAME: 'Orbit',
		GIT_AUTHOR_EMAIL: 'orbit@localhost',
		GIT_COMMITTER_NAME: 'Orbit',
		GIT_COMMITTER_EMAIL: 'orbit@localhost',
		GIT_TERMINAL_PROMPT: '0',
		GIT_OPTIONAL_LOCKS: '0',
		LC_ALL: 'C',
	};
}

/**
 * Runs `git <args>` in `root` and resolves with its stdout as bytes. Rejects with a
 * CheckpointGitError carrying git's message when it exits with a code not allowed.
 */
export function gitBytes(root: string, args: string[], env: Record<string, string>, options: GitRunOptions = {}): Promise<Buffer> {
	const childEnv = { ...env };
	if (options.index !== undefined) childEnv.GIT_INDEX_FILE = options.index;
	if (options.literalPaths) childEnv.GIT_LITERAL_PATHSPECS = '1';
	return new Promise((resolve, reject) => {
		const child = spawn('git', [...CONFIG, ...args], { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', (error) => reject(new CheckpointGitError(`git ${args[0]} could not start: ${error.message}`)));
		child.on('close', (code) => {
			if (code === 0 || (code !== null && options.okCodes?.includes(code))) return resolve(Buffer.concat(out));
			const message = Buffer.concat(err).toString('utf8').trim() || `exit code ${code}`;
			reject(new CheckpointGitError(`git ${args[0]} failed: ${message}`));
		});
		child.stdin.on('error', () => {
			// git may exit before reading all of stdin; the exit code tells what happened.
		});
		child.stdin.end(options.input ?? '');
	});
}

/** `gitBytes` as trimmed UTF-8 text. */
export async function gitText(root: string, args: string[], env: Record<string, string>, options: GitRunOptions = {}): Promise<string> {
	return (await gitBytes(root, args, env, options)).toString('utf8').trim();
}

/** One entry of `git diff-tree -r -z --no-renames`: the path, its status and both sides (mode `000000` = absent). */
export interface TreeChange {
	status: 'A' | 'M' | 'D' | 'T';
	path: string;
	beforeMode: string;
	afterMode: string;
	beforeOid: string;
	afterOid: string;
}

/** Parses `git diff-tree -r -z --no-renames` (or `diff-index -z`) raw output. */
export function parseRawDiff(output: Buffer): TreeChange[] {
	const fields = output.toString('utf8').split('\0');
	const changes: TreeChange[] = [];
	for (let index = 0; index + 1 < fields.length; index += 2) {
		const header = fields[index]!;
		const path = fields[index + 1]!;
		const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([AMDT])/.exec(header);
		if (!match) continue;
		changes.push({ beforeMode: match[1]!, afterMode: match[2]!, beforeOid: match[3]!, afterOid: match[4]!, status: match[5] as TreeChange['status'], path });
	}
	return changes;
}

/** The changes from tree (or commit) `from` to `to`, recursively, without rename detection. */
export async function diffTrees(root: string, from: string, to: string, env: Record<string, string>): Promise<TreeChange[]> {
	return parseRawDiff(await gitBytes(root, ['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', from, to], env));
}
