import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';

/**
 * Embedding vectors of memory entries, keyed by a hash of the embedded text, kept in memory and in a
 * cache file (`.orbit/cache/…`, git-ignored) so a restart does not pay for them again. The file is a
 * JSON header line followed by fixed-size records: a 16-character key, then the float32 values
 * (little-endian). A missing, foreign or damaged file is an empty cache.
 */
export class VectorCache {
	private readonly vectors = new Map<string, Float32Array>();
	private dimensions: number | undefined;
	private dirty = false;

	constructor(
		/** The cache file. */
		readonly path: string,
		/** Written into the header; a file made for another model is ignored. */
		private readonly model: string,
	) {}

	get size(): number {
		return this.vectors.size;
	}

	get(key: string): Float32Array | undefined {
		return this.vectors.get(key);
	}

	/** Stores a vector. One of another length than those stored (the model changed) clears the rest. */
	set(key: string, vector: Float32Array): void {
		if (this.dimensions !== undefined && vector.length !== this.dimensions) this.vectors.clear();
		this.dimensions = vector.length;
		this.vectors.set(key, vector);
		this.dirty = true;
	}

	/** Reads the cache file, keeping what is already in memory. Never throws. */
	async load(): Promise<void> {
		let data: Buffer;
		try {
			data = await readFile(this.path);
		} catch {
			return;
		}
		const newline = data.indexOf(10);
		if (newline < 0) return;
		let header: { format?: unknown; model?: unknown; dimensions?: unknown; count?: unknown };
		try {
			header = JSON.parse(data.subarray(0, newline).toString('utf8'));
		} catch {
			return;
		}
		const { dimensions, count } = header;
		if (header.format !== FORMAT || header.model !== this.model || !isCount(dimensions) || !isCount(count) || dimensions === 0) return;
		if (this.dimensions !== undefined && this.dimensions !== dimensions) return;
		const record = KEY_BYTES + dimensions * 4;
		if (data.length - newline - 1 !== record * count) return;
		this.dimensions = dimensions;
		for (let at = 0; at < count; at++) {
			const offset = newline + 1 + at * record;
			const key = data.toString('latin1', offset, offset + KEY_BYTES);
			if (this.vectors.has(key)) continue;
			const vector = new Float32Array(dimensions);
			const start = offset + KEY_BYTES;
			if (LITTLE_ENDIAN) new Uint8Array(vector.buffer).set(data.subarray(start, start + dimensions * 4));
			else for (let value = 0; value < dimensions; value++) vector[value] = data.readFloatLE(start + value * 4);
			this.vectors.set(key, vector);
		}
	}

	/**
	 * Writes the vectors whose keys are in `keep` (the current entries; the rest are dropped for
	 * good) to the cache file, atomically, creating its folder. Does nothing when nothing changed.
	 * Throws on a write failure.
	 */
	async save(keep: ReadonlySet<string>): Promise<void> {
		for (const key of this.vectors.keys()) {
			if (!keep.has(key)) {
				this.vectors.delete(key);
				this.dirty = true;
			}
		}
		if (!this.dirty || this.dimensions === undefined) return;
		this.dirty = false;
		const dimensions = this.dimensions;
		const entries = [...this.vectors].filter(([, vector]) => vector.length === dimensions);
		const header = Buffer.from(`${JSON.stringify({ format: FORMAT, model: this.model, dimensions, count: entries.length })}\n`);
		const record = KEY_BYTES + dimensions * 4;
		const body = Buffer.alloc(record * entries.length);
		entries.forEach(([key, vector], at) => {
			const offset = at * record;
			body.write(key, offset, KEY_BYTES, 'latin1');
			if (LITTLE_ENDIAN) body.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), offset + KEY_BYTES);
			else for (let value = 0; value < dimensions; value++) body.writeFloatLE(vector[value]!, offset + KEY_BYTES + value * 4);
		});
		await mkdir(dirname(this.path), { recursive: true });
		const temporary = `${this.path}.${process.pid}.tmp`;
		try {
			await writeFile(temporary, Buffer.concat([header, body]));
			await rename(temporary, this.path);
		} catch (error) {
			this.dirty = true;
			throw error;
		}
	}
}

const FORMAT = 'orbit-memory-vectors-1';
const LITTLE_ENDIAN = endianness() === 'LE';
const KEY_BYTES = 16;

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A 16-character key for a text: two 32-bit FNV-1a hashes (different offsets) in hex. Fast, not cryptographic. */
export function textKey(text: string): string {
	let first = 0x811c9dc5;
	let second = 0x01000193 ^ 0x5bd1e995;
	for (let at = 0; at < text.length; at++) {
		const code = text.charCodeAt(at);
		first = Math.imul(first ^ code, 0x01000193);
		second = Math.imul(second ^ code, 0x01000193) ^ (second >>> 15);
	}
	return (first >>> 0).toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0');
}

/**
 * The `limit` vectors most similar to `query` (dot product of unit vectors = cosine), best first,
 * among those at or above `minSimilarity`; undefined slots are skipped. Never throws.
 */
export function nearest(query: Float32Array, vectors: readonly (Float32Array | undefined)[], limit: number, minSimilarity: number): { doc: number; score: number }[] {
	const best: { doc: number; score: number }[] = [];
	const q = Float64Array.from(query);
	const length = q.length;
	for (let doc = 0; doc < vectors.length; doc++) {
		const vector = vectors[doc];
		if (vector === undefined || vector.length !== length) continue;
		// Four sums side by side: about a third faster than one in V8.
		let a = 0;
		let b = 0;
		let c = 0;
		let d = 0;
		let at = 0;
		for (; at + 3 < length; at += 4) {
			a += q[at]! * vector[at]!;
			b += q[at + 1]! * vector[at + 1]!;
			c += q[at + 2]! * vector[at + 2]!;
			d += q[at + 3]! * vector[at + 3]!;
		}
		for (; at < length; at++) a += q[at]! * vector[at]!;
		const score = a + b + c + d;
		if (score < minSimilarity) continue;
		if (best.length === limit && score <= best[limit - 1]!.score) continue;
		let slot = best.length === limit ? limit - 1 : best.length;
		if (best.length < limit) best.push({ doc, score });
		while (slot > 0 && score > best[slot - 1]!.score) {
			best[slot] = best[slot - 1]!;
			slot--;
		}
		best[slot] = { doc, score };
	}
	return best;
}
