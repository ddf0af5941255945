// Project memory search over 10,000 entries (PRODUCT §4; target ≤ 5 ms median for a search).
// A generated .orbit/MEMORY.md in a temporary folder: 10,000 bullets of 6–18 words drawn from a
// 6,000-word vocabulary with a Zipf-like skew (so common words have long postings), under 200
// headings. Queries are 1–4 words drawn the same way. Measured, all through `ProjectMemory`:
// lexical search (each includes the staleness check of both files), the first search of a freshly
// opened memory (read, parse, index), the search after a hand edit (re-read and re-index), and
// hybrid search against the fake server (1,536-dimension vectors; the query's embedding round
// trip over 127.0.0.1 included).
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProjectMemory } from '../source/context/memory.ts';
import { startFakeOpenAI } from '../test/fixtures/fake-openai-server.ts';
import { percentile, round } from './stats.ts';

const ENTRIES = 10_000;
const VOCABULARY = 6_000;
const DIMENSIONS = 1_536;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SYLLABLES = 'ka lo mi nu pe ra si to vu de fa go hi ja be co du el fo gi'.split(' ');

function makeWords(next: () => number): string[] {
	const words = new Set<string>();
	while (words.size < VOCABULARY) {
		const length = 2 + Math.floor(next() * 3);
		words.add(Array.from({ length }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join(''));
	}
	return [...words];
}

/** Zipf-like: word rank r is drawn with probability ∝ 1 / (r + 10). */
function picker(words: string[], next: () => number): () => string {
	const weights = words.map((_, rank) => 1 / (rank + 10));
	const total = weights.reduce((sum, weight) => sum + weight, 0);
	const cumulative: number[] = [];
	let sum = 0;
	for (const weight of weights) cumulative.push((sum += weight / total));
	return () => {
		const target = next();
		let low = 0;
		let high = cumulative.length - 1;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (cumulative[middle]! < target) low = middle + 1;
			else high = middle;
		}
		return words[low]!;
	};
}

function generateMemory(pick: () => string, next: () => number): string {
	const lines = ['# Memory', ''];
	for (let entry = 0; entry < ENTRIES; entry++) {
		if (entry % 50 === 0) lines.push('', `## ${pick()} ${pick()}`, '');
		const length = 6 + Math.floor(next() * 13);
		lines.push(`- ${Array.from({ length }, pick).join(' ')}`);
	}
	return `${lines.join('\n')}\n`;
}

/** A cheap deterministic unit vector for a text (the fake server's trigram hashing is too slow at 1,536 × 10,000). */
function cheapEmbedding(text: string): number[] {
	let state = 0;
	for (let at = 0; at < text.length; at++) state = Math.imul(state ^ text.charCodeAt(at), 0x01000193);
	const next = random(state);
	const vector = Array.from({ length: DIMENSIONS }, () => next() - 0.5);
	const length = Math.hypot(...vector);
	return vector.map((value) => Math.round((value / length) * 1e6) / 1e6);
}

async function timeSearches(search: (query: string) => Promise<unknown>, queries: string[]): Promise<number[]> {
	const times: number[] = [];
	for (const query of queries) {
		const start = performance.now();
		await search(query);
		times.push(performance.now() - start);
	}
	return times;
}

const summary = (times: number[]) => ({ medianMs: round(percentile(times, 50), 3), p95Ms: round(percentile(times, 95), 3), runs: times.length });

export async function benchMemorySearch() {
	const next = random(42);
	const pick = picker(makeWords(next), next);
	const root = mkdtempSync(join(tmpdir(), 'orbit-bench-memory-'));
	mkdirSync(join(root, '.orbit'));
	const path = join(root, '.orbit/MEMORY.md');
	writeFileSync(path, generateMemory(pick, next));
	const queries = Array.from({ length: 1_000 }, () => Array.from({ length: 1 + Math.floor(next() * 4) }, pick).join(' '));
	const fake = await startFakeOpenAI({ embed: cheapEmbedding });
	try {
		// Cold: open, first search (reads, parses and indexes 10,000 entries).
		const cold: number[] = [];
		for (let run = 0; run < 10; run++) {
			const memory = openProjectMemory({ root, watch: false });
			const start = performance.now();
			await memory.search(queries[run]!);
			cold.push(performance.now() - start);
			await memory.close();
		}

		const memory = openProjectMemory({ root });
		await memory.search('warm up');
		await timeSearches((query) => memory.search(query), queries.slice(0, 100));
		const lexical = await timeSearches((query) => memory.search(query), queries);
		const hits = (await Promise.all(queries.slice(0, 200).map((query) => memory.search(query)))).map((found) => found.length);

		// A hand edit, then the next search (re-read, re-parse, re-index).
		const afterEdit: number[] = [];
		for (let run = 0; run < 20; run++) {
			appendFileSync(path, `- hand edit ${run} ${pick()} ${pick()}\n`);
			const start = performance.now();
			await memory.search(queries[run]!);
			afterEdit.push(performance.now() - start);
		}
		await memory.close();

		// Hybrid: entries embedded once through the fake server, then searches whose queries are new each time.
		const hybridMemory = openProjectMemory({ root, watch: false, embeddings: { baseURL: fake.url, model: 'bench-embedding', batchSize: 500 } });
		const embedStart = performance.now();
		await hybridMemory.settled();
		const embedAllMs = performance.now() - embedStart;
		const status = hybridMemory.status().embeddings;
		const hybrid = await timeSearches((query) => hybridMemory.search(query), queries.slice(0, 200).map((query, at) => `${query} ${at}`));
		await hybridMemory.close();

		return {
			entries: ENTRIES,
			lexicalSearch: summary(lexical),
			averageHits: round(hits.reduce((sum, count) => sum + count, 0) / hits.length, 1),
			firstSearchCold: summary(cold),
			searchAfterHandEdit: summary(afterEdit),
			hybridSearch: { ...summary(hybrid), dimensions: DIMENSIONS, embedded: status?.embedded, embedAllMs: Math.round(embedAllMs) },
		};
	} finally {
		await fake.close();
		rmSync(root, { recursive: true, force: true });
	}
}
