import type { EmbeddingsClient } from './memory-embeddings.ts';
import type { MemoryIndex } from './memory-index.ts';
import { nearest, VectorCache } from './memory-vectors.ts';

export interface SemanticOptions {
	client: EmbeddingsClient;
	/** The vector cache file (in the git-ignored cache folder). */
	cachePath: string;
	/** Called before the cache file is first written (creates the folder's `.gitignore`). May throw. */
	prepareCache?: () => void;
	/** After a failure, searches stay lexical this long before the endpoint is tried again. Default 60 000 ms. */
	retryAfterMs?: number;
	/** Entries less similar to the query than this (cosine) are not semantic matches. Default 0.3. */
	minSimilarity?: number;
	/** Texts per embeddings request. Default 64. */
	batchSize?: number;
}

export interface SemanticStatus {
	model: string;
	/** `indexing`: entries are being embedded; `failing`: the endpoint failed, searches are lexical for now. */
	state: 'ready' | 'indexing' | 'failing';
	/** Entries with a vector, of all entries. */
	embedded: number;
	total: number;
	/** The last failure, while it lasts. */
	error?: string;
}

const QUERY_CACHE_SIZE = 64;

/**
 * The embedding half of hybrid search. Entries are embedded in the background, in batches, as soon
 * as an index is handed over (`use`), with vectors cached on disk by text; a query is embedded when
 * searched (the last 64 are remembered). Any failure of the endpoint makes `rank` answer undefined
 * (the caller ranks lexically) and pauses the endpoint for `retryAfterMs`. Never throws.
 */
export class SemanticIndex {
	private index: MemoryIndex | undefined;
	private readonly cache: VectorCache;
	private loading: Promise<void> | undefined;
	private running: Promise<void> | undefined;
	private again = false;
	private failure: { message: string; until: number } | undefined;
	private closed = false;
	private readonly abort = new AbortController();
	private readonly queries = new Map<string, Float32Array>();
	private readonly retryAfterMs: number;
	private readonly minSimilarity: number;
	private readonly batchSize: number;

	constructor(private readonly options: SemanticOptions) {
		this.cache = new VectorCache(options.cachePath, options.client.model);
		this.retryAfterMs = options.retryAfterMs ?? 60_000;
		this.minSimilarity = options.minSimilarity ?? 0.3;
		this.batchSize = Math.max(1, options.batchSize ?? 64);
	}

	/** Uses `index` from now on: gives its entries the vectors already known and embeds the rest in the background. */
	use(index: MemoryIndex): void {
		this.index = index;
		this.fill(index);
		this.start();
	}

	/**
	 * The entries of `index` most similar to `query` (at most `limit`, at least `minSimilarity`), best
	 * first; undefined when the endpoint is failing or fails now, or `signal` aborts.
	 */
	async rank(index: MemoryIndex, query: string, limit: number, signal?: AbortSignal): Promise<{ doc: number; score: number }[] | undefined> {
		if (this.closed || this.pausing()) return undefined;
		// The first search of a session waits for the vectors cached on disk (one local read).
		if (this.loading) await this.loading;
		if (index.vectors.every((vector) => vector === undefined)) this.fill(index);
		let vector = this.queries.get(query);
		if (vector) {
			this.queries.delete(query);
		} else {
			try {
				const both = signal ? AbortSignal.any([signal, this.abort.signal]) : this.abort.signal;
				vector = (await this.options.client.embed([query], both))[0]!;
			} catch (error) {
				if (!signal?.aborted && !this.closed) this.fail(error);
				return undefined;
			}
			if (this.failure) {
				this.failure = undefined;
				this.start();
			}
		}
		this.queries.set(query, vector);
		if (this.queries.size > QUERY_CACHE_SIZE) this.queries.delete(this.queries.keys().next().value!);
		return nearest(vector, index.vectors, limit, this.minSimilarity);
	}

	status(): SemanticStatus {
		const index = this.index;
		const total = index?.entries.length ?? 0;
		const embedded = index ? index.vectors.reduce((count, vector) => count + (vector ? 1 : 0), 0) : 0;
		const state = this.failure ? 'failing' : embedded < total || this.running ? 'indexing' : 'ready';
		return { model: this.options.client.model, state, embedded, total, ...(this.failure ? { error: this.failure.message } : {}) };
	}

	/** Resolves once no embedding is under way (all entries embedded, or the endpoint failed). */
	async settled(): Promise<void> {
		while (this.running) await this.running;
	}

	/** Stops embedding (aborting a request under way) and writes what was embedded to the cache. */
	async close(): Promise<void> {
		this.closed = true;
		this.abort.abort();
		await this.settled();
	}

	private pausing(): boolean {
		return this.failure !== undefined && Date.now() < this.failure.until;
	}

	private fail(error: unknown): void {
		this.failure = { message: error instanceof Error ? error.message : String(error), until: Date.now() + this.retryAfterMs };
	}

	private fill(index: MemoryIndex): void {
		for (const [key, positions] of index.positions) {
			const vector = this.cache.get(key);
			if (vector) for (const at of positions) index.vectors[at] = vector;
		}
	}

	private start(): void {
		if (this.closed) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.running = this.embedMissing().finally(() => {
			this.running = undefined;
			if (this.again) {
				this.again = false;
				if (!this.pausing()) this.start();
			}
		});
	}

	/** Embeds the current index's entries that have no vector, batch by batch, then saves the cache. Never rejects. */
	private async embedMissing(): Promise<void> {
		this.loading ??= this.cache.load();
		await this.loading;
		if (this.index) this.fill(this.index);
		while (!this.closed && !this.pausing()) {
			this.again = false;
			const index = this.index;
			if (!index) break;
			const missing: string[] = [];
			for (const key of index.positions.keys()) {
				if (!this.cache.get(key)) missing.push(key);
				if (missing.length === this.batchSize) break;
			}
			if (missing.length === 0) break;
			let vectors: Float32Array[];
			try {
				vectors = await this.options.client.embed(
					missing.map((key) => index.entries[index.positions.get(key)![0]!]!.embedText),
					this.abort.signal,
				);
			} catch (error) {
				if (!this.closed) this.fail(error);
				break;
			}
			this.failure = undefined;
			missing.forEach((key, at) => this.cache.set(key, vectors[at]!));
			if (this.index) this.fill(this.index);
		}
		if (!this.index || this.index.entries.length === 0) return;
		try {
			this.options.prepareCache?.();
			await this.cache.save(new Set(this.index.positions.keys()));
		} catch {
			// The cache is only a cache: the vectors are embedded again next time.
		}
	}
}
