import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveInsideRoot } from '../sandbox/paths.ts';

/** The two memory files, by the names the tools use. */
export const MEMORY_FILES = ['MEMORY', 'AGREEMENTS'] as const;
export type MemoryFile = (typeof MEMORY_FILES)[number];

export function isMemoryFile(value: unknown): value is MemoryFile {
	return typeof value === 'string' && (MEMORY_FILES as readonly string[]).includes(value);
}

/** Orbit's folder in the repository; the memory files live directly in it. */
export const ORBIT_FOLDER = '.orbit';
/** Derived data (the embeddings index), git-ignored. */
export const MEMORY_CACHE_FOLDER = `${ORBIT_FOLDER}/cache`;
/** What `.orbit/.gitignore` must hold: the cache, and the session logs that come later. */
const IGNORED = ['cache/', 'sessions/'];

/** `.orbit/MEMORY.md` or `.orbit/AGREEMENTS.md`, relative to the repository root. */
export function memoryFilePath(file: MemoryFile): string {
	return `${ORBIT_FOLDER}/${file}.md`;
}

/** A memory file as last read. */
export interface FileSnapshot {
	/** '' when the file does not exist. */
	text: string;
	exists: boolean;
	/** Changes whenever the file does (inode, size, modification time in nanoseconds); 'missing' when absent. */
	signature: string;
	/** Why the file is not used (it leads outside the repository, cannot be read); it then reads as absent. */
	problem?: string;
}

/** The signature of `.orbit/<file>.md` without reading it (one `stat`). Never throws. */
export function fileSignature(root: string, file: MemoryFile): string {
	try {
		const info = statSync(join(root, memoryFilePath(file)), { bigint: true });
		return `${info.ino}:${info.size}:${info.mtimeNs}:${info.isFile() ? 'f' : 'x'}`;
	} catch {
		return 'missing';
	}
}

/**
 * Reads a memory file, confined to the repository (a `.orbit` or a memory file that is a symbolic
 * link leading out of it is not read: a cloned repository must not make Orbit read or write
 * elsewhere). Never throws.
 */
export function readMemoryFile(root: string, file: MemoryFile): FileSnapshot {
	const signature = fileSignature(root, file);
	if (signature === 'missing') return { text: '', exists: false, signature };
	const rel = memoryFilePath(file);
	try {
		const real = resolveInsideRoot(root, rel);
		if (!statSync(real).isFile()) return { text: '', exists: false, signature, problem: `${rel} is not a regular file` };
		return { text: readFileSync(real, 'utf8'), exists: true, signature };
	} catch (error) {
		return { text: '', exists: false, signature, problem: `${rel} cannot be used: ${error instanceof Error ? error.message : String(error)}` };
	}
}

/**
 * Replaces a memory file's text atomically (a temporary file renamed over it, keeping its mode),
 * creating `.orbit/` and its `.gitignore` when needed. Refuses (throws an `Error` the model can read)
 * a path that leads outside the repository. Other failures (permissions, a full disk) throw as well.
 */
export function writeMemoryFile(root: string, file: MemoryFile, text: string): void {
	const target = resolveInsideRoot(root, memoryFilePath(file), { forWrite: true });
	mkdirSync(dirname(target), { recursive: true });
	ensureOrbitGitignore(root);
	const temporary = join(dirname(target), `.${file}.md.${process.pid}.tmp`);
	try {
		writeFileSync(temporary, text);
		try {
			chmodSync(temporary, statSync(target).mode & 0o7777);
		} catch {
			// A new file keeps the default mode.
		}
		renameSync(temporary, target);
	} catch (error) {
		rmSync(temporary, { force: true });
		throw error;
	}
}

/**
 * Makes sure `.orbit/.gitignore` ignores `cache/` and `sessions/`, keeping whatever else it holds.
 * Creates `.orbit/` when needed; refuses (throws) when it leads outside the repository.
 */
export function ensureOrbitGitignore(root: string): void {
	const path = resolveInsideRoot(root, `${ORBIT_FOLDER}/.gitignore`, { forWrite: true });
	let text = '';
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		// Not there yet.
	}
	const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
	const missing = IGNORED.filter((line) => !present.has(line) && !present.has(`/${line}`));
	if (missing.length === 0) return;
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`);
}
