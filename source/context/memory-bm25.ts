/**
 * Okapi BM25 over short documents (memory entries), with an inverted index built once per change
 * and a query path that touches only the postings of the query's terms, so a search over 10,000
 * entries costs well under a millisecond.
 */

/** A document: weighted fields (the entry's text counts fully, its headings less). */
export interface Bm25Document {
	fields: { text: string; weight: number }[];
}

export interface Bm25Hit {
	/** Index of the document in the array given to `buildBm25Index`. */
	doc: number;
	score: number;
}

export interface Bm25Index {
	readonly size: number;
	/**
	 * The best `limit` documents for `query`, best first; only documents sharing a term with it (a
	 * query of stop words only finds nothing). Never throws.
	 */
	search(query: string, limit: number): Bm25Hit[];
}

const K1 = 1.2;
const B = 0.75;
/** A query term also matches longer words it begins (`deploy` → `deployment`), at this weight. */
const PREFIX_WEIGHT = 0.5;
const MAX_PREFIX_EXPANSIONS = 16;
const MIN_PREFIX_LENGTH = 3;

const STOPWORDS = new Set(
	'a an and are as at be but by do does for from has have how i if in into is it its of on or our so than that the their then there these this to was we were what when where which who why will with you your'.split(
		' ',
	),
);

/**
 * The index terms of a text: lower-cased, accents removed, split at anything that is not a letter
 * or a digit, and also at camelCase humps and digits (`useBuildCache` also gives `use`, `build`,
 * `cache`; `node20` also `node`, `20`); English stop words and single letters dropped, plural
 * endings removed. Pure; never throws. ASCII text takes a fast path without regular expressions.
 */
export function tokenize(text: string): string[] {
	const terms: string[] = [];
	if (NON_ASCII.test(text)) {
		for (const match of text.normalize('NFKD').matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
			const word = match[0].replace(/\p{M}/gu, '');
			if (word !== '') addWord(terms, word, (word !== word.toLowerCase() && word !== word.toUpperCase()) || (/\p{N}/u.test(word) && /\p{L}/u.test(word)));
		}
		return terms;
	}
	let start = -1;
	let mixed = false;
	let upper = false;
	let previous = 0;
	for (let at = 0; at <= text.length; at++) {
		const code = at < text.length ? text.charCodeAt(at) : 32;
		const kind = charKind(code);
		if (kind === 0) {
			if (start >= 0) addAsciiWord(terms, text, start, at, mixed, upper);
			start = -1;
			continue;
		}
		if (start < 0) {
			start = at;
			mixed = false;
			upper = kind === UPPER;
		} else if (kind === UPPER) {
			mixed = true;
			upper = true;
		} else if ((kind === DIGIT) !== (previous === DIGIT)) {
			mixed = true;
		}
		previous = kind;
	}
	return terms;
}

const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function charKind(code: number): number {
	if (code >= 97 && code <= 122) return LOWER;
	if (code >= 65 && code <= 90) return UPPER;
	if (code >= 48 && code <= 57) return DIGIT;
	return 0;
}

/**
 * Adds the term of `text.slice(start, end)` (which holds `upper`-case letters or not) and, when it
 * is `mixed` (humps or digits), the terms of
 * its parts: `useBuildCache` → use, build, cache; `HTTPServer` → http, server; `node20` → node, 20.
 */
function addAsciiWord(terms: string[], text: string, start: number, end: number, mixed: boolean, upper: boolean): void {
	const word = text.slice(start, end);
	pushTerm(terms, upper ? word.toLowerCase() : word);
	if (!mixed) return;
	let part = start;
	for (let at = start + 1; at < end; at++) {
		const kind = charKind(text.charCodeAt(at));
		const before = charKind(text.charCodeAt(at - 1));
		const after = at + 1 < end ? charKind(text.charCodeAt(at + 1)) : 0;
		const boundary = (kind === DIGIT) !== (before === DIGIT) || (kind === UPPER && before === LOWER) || (kind === UPPER && before === UPPER && after === LOWER);
		if (!boundary) continue;
		pushTerm(terms, text.slice(part, at).toLowerCase());
		part = at;
	}
	if (part > start) pushTerm(terms, text.slice(part, end).toLowerCase());
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Adds a word's term and, when it has humps or digits (`mixed`), the terms of its parts. */
function addWord(terms: string[], word: string, mixed: boolean): void {
	pushTerm(terms, word.toLowerCase());
	if (!mixed) return;
	const parts = word.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu);
	if (parts && parts.length > 1) for (const part of parts) pushTerm(terms, part.toLowerCase());
}

function pushTerm(terms: string[], word: string): void {
	if (word.length < 2) {
		const code = word.charCodeAt(0);
		if (!(code >= 48 && code <= 57)) return;
	}
	if (STOPWORDS.has(word)) return;
	terms.push(stem(word));
}

/** Removes an English plural ending: `caches` → `cache`, `policies` → `policy`, `classes` → `class`, `tests` → `test`. */
function stem(word: string): string {
	const length = word.length;
	if (length < 4 || word.charCodeAt(length - 1) !== 115 /* s */) return word;
	if (length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
	if (length > 4 && (word.endsWith('sses') || word.endsWith('xes'))) return word.slice(0, -2);
	if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
	return word.slice(0, -1);
}

/** Builds the index. Cost: linear in the total text. Never throws. */
export function buildBm25Index(documents: readonly Bm25Document[]): Bm25Index {
	return createBm25Builder().build(documents);
}

export interface Bm25Builder {
	/** Builds an index; texts already seen by the previous build are not tokenized again. Never throws. */
	build(documents: readonly Bm25Document[]): Bm25Index;
}

/**
 * A builder for indexes that follow a changing set of documents (a memory file edited by hand):
 * it keeps a dictionary of terms (which only grows, by the words ever seen) and the term ids of
 * every text of its last build, so a rebuild after a small change costs a lookup per text instead
 * of tokenizing everything again.
 */
export function createBm25Builder(): Bm25Builder {
	const termIds = new Map<string, number>();
	const terms: string[] = [];
	let known = new Map<string, Int32Array>();
	const idsOf = (text: string): Int32Array => {
		const tokens = tokenize(text);
		const ids = new Int32Array(tokens.length);
		for (let at = 0; at < tokens.length; at++) {
			const term = tokens[at]!;
			let id = termIds.get(term);
			if (id === undefined) {
				id = terms.length;
				termIds.set(term, id);
				terms.push(term);
			}
			ids[at] = id;
		}
		return ids;
	};
	return {
		build(documents) {
			const seen = new Map<string, Int32Array>();
			const ids = documents.map((document) =>
				document.fields.map((field) => {
					let fieldIds = seen.get(field.text) ?? known.get(field.text);
					if (fieldIds === undefined) fieldIds = idsOf(field.text);
					seen.set(field.text, fieldIds);
					return fieldIds;
				}),
			);
			known = seen;
			return indexOf(documents, ids, termIds, terms);
		},
	};
}

function indexOf(documents: readonly Bm25Document[], ids: Int32Array[][], termIds: ReadonlyMap<string, number>, terms: readonly string[]): Bm25Index {
	const count = documents.length;
	const termCount = terms.length;
	// Postings in flat arrays, term by term (documents ascending within a term): two passes, one to
	// count each term's documents, one to fill; no allocation per term.
	const lastDoc = new Int32Array(termCount).fill(-1);
	const df = new Int32Array(termCount);
	for (let doc = 0; doc < count; doc++) {
		for (const fieldIds of ids[doc]!) {
			for (let at = 0; at < fieldIds.length; at++) {
				const id = fieldIds[at]!;
				if (lastDoc[id] !== doc) {
					lastDoc[id] = doc;
					df[id]! += 1;
				}
			}
		}
	}
	const offsets = new Int32Array(termCount + 1);
	for (let id = 0; id < termCount; id++) offsets[id + 1] = offsets[id]! + df[id]!;
	const postingDocs = new Int32Array(offsets[termCount]!);
	const postingFreqs = new Float64Array(offsets[termCount]!);
	const cursor = offsets.slice(0, termCount);
	lastDoc.fill(-1);
	const lengths = new Float64Array(count);
	let total = 0;
	for (let doc = 0; doc < count; doc++) {
		let length = 0;
		const fields = documents[doc]!.fields;
		for (let field = 0; field < fields.length; field++) {
			const weight = fields[field]!.weight;
			const fieldIds = ids[doc]![field]!;
			for (let at = 0; at < fieldIds.length; at++) {
				const id = fieldIds[at]!;
				if (lastDoc[id] !== doc) {
					lastDoc[id] = doc;
					postingDocs[cursor[id]!] = doc;
					cursor[id]! += 1;
				}
				postingFreqs[cursor[id]! - 1]! += weight;
			}
			length += weight * fieldIds.length;
		}
		lengths[doc] = length;
		total += length;
	}
	const average = count > 0 && total > 0 ? total / count : 1;
	const idf = new Float64Array(termCount);
	for (let id = 0; id < termCount; id++) {
		if (df[id]! > 0) idf[id] = Math.log(1 + (count - df[id]! + 0.5) / (df[id]! + 0.5));
	}
	/** Per document, the length part of BM25's denominator: k1 · (1 − b + b · |d| / avgdl). */
	const norms = new Float64Array(count);
	for (let doc = 0; doc < count; doc++) norms[doc] = K1 * (1 - B + (B * lengths[doc]!) / average);
	/** Sorted terms present in this index, for word beginnings; built on the first query that needs it. */
	let vocabulary: string[] | undefined;
	const scores = new Float64Array(count);
	const touched: number[] = [];

	function expand(term: string): [id: number, weight: number][] {
		const found: [number, number][] = [];
		const exact = termIds.get(term);
		if (exact !== undefined && df[exact]! > 0) found.push([exact, 1]);
		if (term.length < MIN_PREFIX_LENGTH) return found;
		vocabulary ??= terms.filter((_, id) => df[id]! > 0).sort();
		let low = 0;
		let high = vocabulary.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (vocabulary[middle]! < term) low = middle + 1;
			else high = middle;
		}
		for (let at = low; at < vocabulary.length && found.length <= MAX_PREFIX_EXPANSIONS; at++) {
			const candidate = vocabulary[at]!;
			if (!candidate.startsWith(term)) break;
			if (candidate !== term) found.push([termIds.get(candidate)!, PREFIX_WEIGHT]);
		}
		return found;
	}

	return {
		size: count,
		search(query, limit) {
			if (count === 0 || limit <= 0) return [];
			const terms = new Set(tokenize(query));
			for (const term of terms) {
				for (const [id, weight] of expand(term)) {
					const termIdf = idf[id]! * weight;
					for (let at = offsets[id]!; at < offsets[id + 1]!; at++) {
						const doc = postingDocs[at]!;
						const freq = postingFreqs[at]!;
						if (scores[doc] === 0) touched.push(doc);
						scores[doc]! += (termIdf * freq * (K1 + 1)) / (freq + norms[doc]!);
					}
				}
			}
			const hits = topK(touched, scores, limit);
			for (const doc of touched) scores[doc] = 0;
			touched.length = 0;
			return hits;
		},
	};
}

/** The `limit` best of `docs` by `scores`, best first (ties: earlier document first). */
function topK(docs: readonly number[], scores: Float64Array, limit: number): Bm25Hit[] {
	const best: Bm25Hit[] = [];
	for (const doc of docs) {
		const score = scores[doc]!;
		if (best.length === limit && !better(score, doc, best[limit - 1]!)) continue;
		let at = best.length === limit ? limit - 1 : best.length;
		if (best.length < limit) best.push({ doc, score });
		while (at > 0 && better(score, doc, best[at - 1]!)) {
			best[at] = best[at - 1]!;
			at--;
		}
		best[at] = { doc, score };
	}
	return best;
}

function better(score: number, doc: number, than: Bm25Hit): boolean {
	return score > than.score || (score === than.score && doc < than.doc);
}
