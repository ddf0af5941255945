import { describe, expect, it } from 'vitest';
import { buildBm25Index, tokenize } from '../../source/context/memory-bm25.ts';

const index = (...texts: string[]) => buildBm25Index(texts.map((text) => ({ fields: [{ text, weight: 1 }] })));
const ranked = (texts: string[], query: string, limit = 10) => index(...texts).search(query, limit).map((hit) => texts[hit.doc]);

describe('tokenize', () => {
	it('lower-cases, strips accents, splits camelCase and snake_case, drops stop words and plurals', () => {
		expect(tokenize('The useBuildCache flag')).toEqual(['usebuildcache', 'use', 'build', 'cache', 'flag']);
		expect(tokenize('snake_case HTTPServer v20')).toEqual(['snake', 'case', 'httpserver', 'http', 'server', 'v20', '20']);
		expect(tokenize('Café policies caches tests class')).toEqual(['cafe', 'policy', 'cache', 'test', 'class']);
		expect(tokenize('a I is of to')).toEqual([]);
	});
});

describe('BM25 index', () => {
	const texts = [
		'use pnpm to install dependencies',
		'the CI runs the tests on every push',
		'tests live next to the code they test',
		'deployment happens on Fridays with make release',
		'the staging server is called atlas',
	];

	it('finds only documents sharing a term with the query, best first', () => {
		expect(ranked(texts, 'pnpm')).toEqual(['use pnpm to install dependencies']);
		expect(ranked(texts, 'where do tests run')).toEqual(['the CI runs the tests on every push', 'tests live next to the code they test']);
		expect(ranked(texts, 'kubernetes')).toEqual([]);
		expect(ranked(texts, '')).toEqual([]);
	});

	it('ranks a rare term above a common one, and more matching terms above fewer', () => {
		const docs = ['memory search index', 'memory files', 'memory layout', 'search'];
		expect(ranked(docs, 'memory search')[0]).toBe('memory search index');
		expect(ranked(docs, 'memory search').slice(1, 2)).toEqual(['search']);
	});

	it('matches plurals and camelCase parts, and word beginnings at a lower weight', () => {
		expect(ranked(['The releaseScript lives in tools'], 'release script')).toEqual(['The releaseScript lives in tools']);
		expect(ranked(['one policy per mode'], 'policies')).toEqual(['one policy per mode']);
		expect(ranked(['deploy with make', 'deployment on Fridays'], 'deploy')).toEqual(['deploy with make', 'deployment on Fridays']);
	});

	it('finds nothing for a query of stop words', () => {
		expect(ranked(['to be or not', 'something else'], 'to be')).toEqual([]);
	});

	it('honours the limit, and weighs fields', () => {
		expect(ranked(texts, 'the tests', 1)).toHaveLength(1);
		const weighted = buildBm25Index([
			{ fields: [{ text: 'notes', weight: 1 }, { text: 'database', weight: 0.5 }] },
			{ fields: [{ text: 'database notes', weight: 1 }] },
		]);
		expect(weighted.search('database', 5).map((hit) => hit.doc)).toEqual([1, 0]);
	});

	it('an empty index answers nothing', () => {
		expect(index().search('anything', 5)).toEqual([]);
		expect(index().size).toBe(0);
	});
});
