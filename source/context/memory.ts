/**
 * Project memory (PRODUCT §4): `.orbit/MEMORY.md` (facts about the project and its user, searched)
 * and `.orbit/AGREEMENTS.md` (rules the user asked for, always in the system prompt). Plain Markdown
 * in the repository, created on the first `add`, meant to be committed and edited by hand.
 *
 * Search ranks Markdown entries (list items and paragraphs, labelled with their headings) with BM25;
 * with an embeddings endpoint configured, it also ranks them by embedding similarity and fuses both
 * rankings, falling back to BM25 alone whenever the endpoint fails. The files are checked (one
 * `stat` each) before every use and a watcher on `.orbit/` refreshes the index (and embeds new
 * entries) in the background, so a hand edit counts at once, without a restart.
 */
import { join } from 'node:path';
import { createBm25Builder } from './memory-bm25.ts';
import { appendEntry, comparable, normaliseEntry, planRemoval, removeEntries } from './memory-edit.ts';
import { createEmbeddingsClient, type EmbeddingsConfig } from './memory-embeddings.ts';
import {
	ensureOrbitGitignore,
	fileSignature,
	type FileSnapshot,
	isMemoryFile,
	MEMORY_CACHE_FOLDER,
	MEMORY_FILES,
	memoryFilePath,
	type MemoryFile,
	readMemoryFile,
	writeMemoryFile,
} from './memory-files.ts';
import { buildMemoryIndex, type MemoryIndex } from './memory-index.ts';
import { type MemoryEntry, parseMemory } from './memory-parse.ts';
import { fuseRankings } from './memory-rank.ts';
import { secretReason } from './memory-secrets.ts';
import { SemanticIndex, type SemanticOptions, type SemanticStatus } from './memory-semantic.ts';
import { textKey } from './memory-vectors.ts';
import { type MemoryWatcher, watchMemoryFolder } from './memory-watch.ts';

export { MEMORY_FILES, memoryFilePath, type MemoryFile } from './memory-files.ts';

/** One search result. */
export interface MemoryHit {
	file: MemoryFile;
	/** The entry's text (a list item without its marker, or a paragraph). */
	text: string;
	/** The headings above the entry, outermost first, joined with ` › `. */
	heading?: string;
	/** Where the entry starts in its file, 1-based. */
	line: number;
	/** Higher is better: BM25 in lexical search, the fused rank score (about 0.01–0.03) in hybrid search. */
	score: number;
}

/** What `add` and `remove` answer: a sentence for the model either way. */
export type MemoryEditResult = { ok: true; message: string } | { ok: false; error: string };

export interface MemoryEditOptions {
	/** Called with the file's repository-relative path just before it is written (not when nothing is written; again if the write starts over). */
	beforeWrite?(path: string): void;
}

export interface MemoryStatus {
	files: Record<MemoryFile, { path: string; exists: boolean; entries: number; problem?: string }>;
	search: 'lexical' | 'hybrid';
	/** With an embeddings endpoint only. */
	embeddings?: SemanticStatus;
}

export interface ProjectMemory {
	/** The repository root the files live under. */
	readonly root: string;
	/**
	 * The best entries for `query` (default 5, at most 50), best first; [] for an empty query or
	 * empty memory. Hybrid when an embeddings endpoint is configured and answering, else lexical;
	 * an abort of `signal` while the query is embedded gives the lexical ranking. Never rejects.
	 */
	search(query: string, limit?: number, signal?: AbortSignal): Promise<MemoryHit[]>;
	/**
	 * Appends `text` as a bullet at the end of the file (creating `.orbit/`, the file and
	 * `.orbit/.gitignore` on first use). Refused, with a message, when the text looks like a secret,
	 * is empty or too long, or the file leads outside the repository; a text already there is not
	 * added twice. Never rejects.
	 */
	add(file: MemoryFile, text: string, options?: MemoryEditOptions): Promise<MemoryEditResult>;
	/**
	 * Removes the entry whose text equals `text` (ignoring case and spacing), or else the only entry
	 * that contains it; refused with a message (listing candidates) when none or several match, or
	 * when the entry has entries nested under it. The rest of the file stays byte for byte. Never rejects.
	 */
	remove(file: MemoryFile, text: string, options?: MemoryEditOptions): Promise<MemoryEditResult>;
	/** The file's current text; '' when it does not exist (or cannot be used). */
	read(file: MemoryFile): string;
	/** AGREEMENTS.md's current text for the system prompt; '' when it is absent or holds nothing but its title. Sync and cheap. */
	agreements(): string;
	status(): MemoryStatus;
	/** Resolves once the files are indexed and (with embeddings) no entry embedding is under way. */
	settled(): Promise<void>;
	/** Stops the watcher and any embedding under way, writing the vectors computed so far to the cache. */
	close(): Promise<void>;
}

export interface ProjectMemoryOptions {
	/** The repository root (a realpath, as `findRoot` gives it). */
	root: string;
	/** An OpenAI-compatible embeddings endpoint for hybrid search; lexical only without it. */
	embeddings?: EmbeddingsConfig & Pick<SemanticOptions, 'retryAfterMs' | 'minSimilarity' | 'batchSize'>;
	/** Watch `.orbit/` for changes (default true). Without it, changes are still seen at the next use. */
	watch?: boolean;
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
/** Candidates taken from each ranking before they are fused. */
const POOL = 40;
/** Reads and writes of one edit before it gives up on a file that keeps changing. */
const MAX_ATTEMPTS = 4;

interface FileState extends FileSnapshot {
	entries: MemoryEntry[];
}

/**
 * Opens the project memory of `root`. Cheap: reads nothing until first used, creates nothing until
 * the first `add`. Call `close()` when done.
 */
export function openProjectMemory(options: ProjectMemoryOptions): ProjectMemory {
	const { root } = options;
	const state: Record<MemoryFile, FileState> = {
		MEMORY: { text: '', exists: false, signature: '', entries: [] },
		AGREEMENTS: { text: '', exists: false, signature: '', entries: [] },
	};
	/** Files the watcher reported as changed: read again even if their signature looks the same. */
	const dirty = new Set<MemoryFile>();
	let index: MemoryIndex | undefined;
	/** The files changed since the index was built. */
	let stale = false;
	const bm25 = createBm25Builder();
	let closed = false;
	let scheduled: NodeJS.Immediate | undefined;

	const semantic = options.embeddings
		? new SemanticIndex({
				client: createEmbeddingsClient(options.embeddings),
				cachePath: join(root, MEMORY_CACHE_FOLDER, `memory-vectors-${textKey(`${options.embeddings.model}\n${options.embeddings.baseURL}`)}.bin`),
				prepareCache: () => ensureOrbitGitignore(root),
				...pick(options.embeddings, ['retryAfterMs', 'minSimilarity', 'batchSize']),
			})
		: undefined;

	const watcher: MemoryWatcher | undefined =
		options.watch === false
			? undefined
			: watchMemoryFolder(root, (name) => {
					for (const file of MEMORY_FILES) if (name === undefined || name === `${file}.md`) dirty.add(file);
					if (scheduled || closed) return;
					scheduled = setImmediate(() => {
						scheduled = undefined;
						// Keep a built index (and its embeddings) current in the background; before the first search, only the files.
						if (closed) return;
						if (index) refresh();
						else refreshFiles();
					});
				});

	/** Brings the state of the files up to date (a `stat` each, a read and parse when changed). Sync; never throws. */
	function refreshFiles(files: readonly MemoryFile[] = MEMORY_FILES): void {
		watcher?.check();
		for (const file of files) {
			const known = state[file];
			if (!dirty.has(file) && known.signature !== '' && fileSignature(root, file) === known.signature) continue;
			dirty.delete(file);
			const snapshot = readMemoryFile(root, file);
			if (snapshot.text === known.text && snapshot.exists === known.exists && snapshot.problem === known.problem) {
				known.signature = snapshot.signature;
				continue;
			}
			state[file] = { ...snapshot, entries: parseMemory(snapshot.text) };
			stale = true;
		}
	}

	/**
	 * The search index, up to date with the files. Built on first need (a search), not at open or
	 * for `agreements()`, so start-up never pays for a large MEMORY.md. Sync; never throws.
	 */
	function refresh(): MemoryIndex {
		refreshFiles();
		if (stale || index === undefined) {
			stale = false;
			index = buildMemoryIndex(
				MEMORY_FILES.map((file) => ({ file, entries: state[file].entries })),
				semantic !== undefined,
				bm25,
			);
			semantic?.use(index);
		}
		return index;
	}

	function toHit(current: MemoryIndex, doc: number, score: number): MemoryHit {
		const { file, entry } = current.entries[doc]!;
		return { file, text: entry.text, ...(entry.heading ? { heading: entry.heading } : {}), line: entry.start + 1, score };
	}

	/**
	 * Applies `change` to the file's current text and writes the result, unless the file changed on
	 * disk meanwhile (then it starts again from the new text).
	 */
	function edit(
		file: MemoryFile,
		options: MemoryEditOptions | undefined,
		change: (current: FileState, rel: string) => { text: string; message: string } | { unchanged: string } | { error: string },
	): MemoryEditResult {
		const rel = memoryFilePath(file);
		for (let attempt = 1; ; attempt++) {
			refreshFiles([file]);
			const current = state[file];
			if (current.problem) return { ok: false, error: `${current.problem}; nothing was written.` };
			const outcome = change(current, rel);
			if ('error' in outcome) return { ok: false, error: outcome.error };
			if ('unchanged' in outcome) return { ok: true, message: outcome.unchanged };
			try {
				options?.beforeWrite?.(rel);
				// Changed on disk since it was read (a hand edit, another process): start again from the new text.
				if (fileSignature(root, file) !== current.signature) {
					if (attempt < MAX_ATTEMPTS) continue;
					return { ok: false, error: `${rel} kept changing while it was being edited; nothing was written. Try again.` };
				}
				writeMemoryFile(root, file, outcome.text);
			} catch (error) {
				return { ok: false, error: `Could not write ${rel}: ${error instanceof Error ? error.message : String(error)}` };
			}
			dirty.add(file);
			refreshFiles([file]);
			return { ok: true, message: outcome.message };
		}
	}

	return {
		root,

		async search(query, limit = DEFAULT_LIMIT, signal) {
			if (typeof query !== 'string') return [];
			const current = refresh();
			const wanted = Math.min(MAX_LIMIT, Math.max(1, Number.isFinite(limit) ? Math.floor(limit) : DEFAULT_LIMIT));
			const text = query.trim();
			if (text === '' || current.entries.length === 0) return [];
			const pool = Math.max(wanted, POOL);
			const lexical = current.bm25.search(text, semantic ? pool : wanted);
			const similar = semantic && !closed ? await semantic.rank(current, text, pool, signal) : undefined;
			const ranked = similar ? fuseRankings([lexical, similar], wanted) : lexical.slice(0, wanted);
			return ranked.map(({ doc, score }) => toHit(current, doc, score));
		},

		async add(file, text, editOptions) {
			if (!isMemoryFile(file)) return unknownFile(file);
			if (typeof text !== 'string') return { ok: false, error: 'The text must be a string.' };
			const entry = normaliseEntry(text);
			if ('error' in entry) return { ok: false, error: entry.error };
			const rel = memoryFilePath(file);
			const reason = secretReason(entry.text);
			if (reason) {
				return {
					ok: false,
					error: `Not added: the text looks like it contains ${reason}. ${rel} is committed with the repository, so secrets never go into memory. Write where the secret is kept instead (e.g. "the deploy token is in the CI settings").`,
				};
			}
			return edit(file, editOptions, (current) => {
				const wanted = comparable(entry.text);
				if (current.entries.some((existing) => comparable(existing.text) === wanted)) return { unchanged: `Already in ${rel}; nothing changed.` };
				return { text: appendEntry(current.text, file, entry.text, current.entries), message: `Added to ${rel}.` };
			});
		},

		async remove(file, text, editOptions) {
			if (!isMemoryFile(file)) return unknownFile(file);
			if (typeof text !== 'string') return { ok: false, error: 'The text must be a string.' };
			return edit(file, editOptions, (current, rel) => {
				if (!current.exists) return { error: `${rel} does not exist yet; there is nothing to remove.` };
				const plan = planRemoval(current.text, rel, text, current.entries);
				if ('error' in plan) return plan;
				const count = plan.entries.length;
				return { text: removeEntries(current.text, plan.entries), message: `Removed ${count === 1 ? 'the entry' : `${count} identical entries`} from ${rel}.` };
			});
		},

		read(file) {
			refreshFiles([file]);
			return state[file].text;
		},

		agreements() {
			refreshFiles(['AGREEMENTS']);
			const { text, entries } = state.AGREEMENTS;
			if (entries.length > 0) return text;
			const rest = text.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/^#[ \t]+Agreements[ \t]*$/im, '');
			return rest.trim() === '' ? '' : text;
		},

		status() {
			refreshFiles();
			const files = {} as MemoryStatus['files'];
			for (const file of MEMORY_FILES) {
				const { exists, entries, problem } = state[file];
				files[file] = { path: memoryFilePath(file), exists, entries: entries.length, ...(problem ? { problem } : {}) };
			}
			return { files, search: semantic ? 'hybrid' : 'lexical', ...(semantic ? { embeddings: semantic.status() } : {}) };
		},

		async settled() {
			refresh();
			await semantic?.settled();
		},

		async close() {
			closed = true;
			if (scheduled) clearImmediate(scheduled);
			watcher?.close();
			await semantic?.close();
		},
	};
}

function unknownFile(file: unknown): MemoryEditResult {
	return { ok: false, error: `There is no memory file ${JSON.stringify(file)}; use MEMORY (facts) or AGREEMENTS (rules the user asked for).` };
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
	const picked: Partial<Pick<T, K>> = {};
	for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
	return picked;
}
