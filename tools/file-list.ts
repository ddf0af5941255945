import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** A walk outside git stops after this many files, so a mistaken root cannot list a whole disk. */
const MAX_WALKED_FILES = 200_000;
const NEVER_WALKED = new Set(['.git', 'node_modules']);

/**
 * The files of the repository at `root`, relative to it, `/`-separated, sorted, with .gitignore
 * respected. Inside a git work tree this is `git ls-files --cached --others --exclude-standard`
 * minus tracked files deleted from disk; elsewhere a walk that reads every .gitignore on the way and
 * skips `.git` and `node_modules`. Throws the signal's reason when aborted.
 */
export async function listRepositoryFiles(root: string, signal: AbortSignal): Promise<string[]> {
	const fromGit = await listWithGit(root, signal);
	const files = fromGit ?? (await walk(root, signal));
	return files.sort(compareCodeUnits);
}

async function listWithGit(root: string, signal: AbortSignal): Promise<string[] | undefined> {
	// Loaded on first use: execa's module graph costs tens of milliseconds at start-up.
	const { execa } = await import('execa');
	const run = (args: string[]) =>
		execa('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', ...args], { cwd: root, cancelSignal: signal, reject: false, stripFinalNewline: false });
	const [listed, deleted] = await Promise.all([run(['--cached', '--others', '--exclude-standard']), run(['--deleted'])]);
	signal.throwIfAborted();
	if (listed.exitCode !== 0 || deleted.exitCode !== 0) return undefined;
	const gone = new Set(splitNul(deleted.stdout));
	return [...new Set(splitNul(listed.stdout))].filter((path) => !gone.has(path));
}

function splitNul(text: string): string[] {
	return text.split('\0').filter((path) => path !== '');
}

interface IgnoreRules {
	/** The folder holding the .gitignore, relative to the root ('' for the root). */
	base: string;
	rules: Ignore;
}

async function walk(root: string, signal: AbortSignal): Promise<string[]> {
	const files: string[] = [];
	const visit = async (folder: string, inherited: IgnoreRules[]): Promise<void> => {
		signal.throwIfAborted();
		let entries;
		try {
			entries = await readdir(join(root, folder), { withFileTypes: true });
		} catch {
			return;
		}
		let rules = inherited;
		if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
			try {
				rules = [...inherited, { base: folder, rules: ignore().add(await readFile(join(root, folder, '.gitignore'), 'utf8')) }];
			} catch {
				// An unreadable .gitignore ignores nothing.
			}
		}
		for (const entry of entries) {
			if (files.length >= MAX_WALKED_FILES) return;
			if (NEVER_WALKED.has(entry.name)) continue;
			const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
			const isFolder = entry.isDirectory();
			if (isIgnored(rules, path, isFolder)) continue;
			if (isFolder) await visit(path, rules);
			else files.push(path);
		}
	};
	await visit('', []);
	return files;
}

/** Like git: the deepest .gitignore with an opinion wins; a negation can bring a file back. */
function isIgnored(stack: IgnoreRules[], path: string, isFolder: boolean): boolean {
	let ignored = false;
	for (const { base, rules } of stack) {
		const local = base === '' ? path : path.slice(base.length + 1);
		const verdict = rules.test(isFolder ? `${local}/` : local);
		if (verdict.ignored) ignored = true;
		else if (verdict.unignored) ignored = false;
	}
	return ignored;
}

function compareCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
