import { type Bm25Builder, type Bm25Document, type Bm25Index, createBm25Builder } from './memory-bm25.ts';
import type { MemoryFile } from './memory-files.ts';
import type { MemoryEntry } from './memory-parse.ts';
import { textKey } from './memory-vectors.ts';

/** An entry of either file, with what the semantic index needs. */
export interface IndexedEntry {
	file: MemoryFile;
	entry: MemoryEntry;
	/** What is embedded: the headings and parent items, then the entry's text ('' when built without keys). */
	embedText: string;
	/** `textKey(embedText)`: where its vector is cached ('' when built without keys). */
	key: string;
}

/** The search index over both files, rebuilt whenever one of them changes (never edited in place but for `vectors`). */
export interface MemoryIndex {
	entries: IndexedEntry[];
	bm25: Bm25Index;
	/** Each entry's unit vector once it has one (hybrid search only), by entry position. */
	vectors: (Float32Array | undefined)[];
	/** Entry positions by key (identical entries share a key); empty when built without keys. */
	positions: Map<string, number[]>;
}

/** Headings and parent items count at half weight: they say where an entry sits, not what it says. */
const CONTEXT_WEIGHT = 0.5;

/**
 * Builds the index of the entries of both files (in the order given); `withKeys` prepares them for
 * embedding (hybrid search only). Give the `builder` of the previous build so that unchanged
 * entries are not tokenized again. Never throws.
 */
export function buildMemoryIndex(
	files: readonly { file: MemoryFile; entries: readonly MemoryEntry[] }[],
	withKeys: boolean,
	builder: Bm25Builder = createBm25Builder(),
): MemoryIndex {
	const entries: IndexedEntry[] = [];
	const documents: Bm25Document[] = [];
	for (const { file, entries: parsed } of files) {
		for (const entry of parsed) {
			const fields = [{ text: entry.text, weight: 1 }];
			if (entry.heading) fields.push({ text: entry.heading, weight: CONTEXT_WEIGHT });
			for (const parent of entry.parents) fields.push({ text: parent, weight: CONTEXT_WEIGHT });
			documents.push({ fields });
			const embedText = withKeys ? embedded(entry) : '';
			entries.push({ file, entry, embedText, key: withKeys ? textKey(embedText) : '' });
		}
	}
	const positions = new Map<string, number[]>();
	if (withKeys) {
		entries.forEach(({ key }, at) => {
			const list = positions.get(key);
			if (list) list.push(at);
			else positions.set(key, [at]);
		});
	}
	return { entries, bm25: builder.build(documents), vectors: new Array(entries.length).fill(undefined), positions };
}

function embedded(entry: MemoryEntry): string {
	const context = [entry.heading, ...entry.parents].filter((part) => part !== undefined && part !== '');
	return context.length > 0 ? `${context.join(' › ')}: ${entry.text}` : entry.text;
}
