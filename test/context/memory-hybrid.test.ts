import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectMemory, type ProjectMemory, type ProjectMemoryOptions } from '../../source/context/memory.ts';
import { createEmbeddingsClient, embeddingsFromEnvironment } from '../../source/context/memory-embeddings.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { git, makeRepo, removeTempDirs, waitFor } from '../tools/tool-test-context.ts';

let fake: FakeOpenAI;
const opened: ProjectMemory[] = [];

beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await Promise.all(opened.splice(0).map((memory) => memory.close()));
	await fake.close();
	await removeTempDirs();
});

function open(root: string, embeddings: Partial<NonNullable<ProjectMemoryOptions['embeddings']>> = {}): ProjectMemory {
	const memory = openProjectMemory({ root, embeddings: { baseURL: fake.url, apiKey: 'test-key-123', model: 'fake-embedding', minSimilarity: 0.15, ...embeddings } });
	opened.push(memory);
	return memory;
}

const embeddingRequests = () => fake.requests.filter((request) => request.path === '/v1/embeddings');
const texts = async (memory: ProjectMemory, query: string) => (await memory.search(query)).map((hit) => hit.text);

const MEMORY = [
	'# Memory',
	'',
	'## Release',
	'- Deployment happens on Fridays with make release',
	'- The changelog is written by hand',
	'',
	'## People',
	'- Dana reviews every database migration',
	'',
].join('\n');

describe('hybrid memory search', () => {
	it('embeds the entries with the configured endpoint and model, and finds by similarity what shares no word with the query', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const memory = open(root);
		await memory.settled();
		const [first] = embeddingRequests();
		expect(first?.body).toEqual({
			model: 'fake-embedding',
			input: ['Release: Deployment happens on Fridays with make release', 'Release: The changelog is written by hand', 'People: Dana reviews every database migration'],
			encoding_format: 'float',
		});
		expect(first?.headers.authorization).toBe('Bearer test-key-123');
		expect(memory.status().embeddings).toEqual({ model: 'fake-embedding', state: 'ready', embedded: 3, total: 3 });

		// "deploying" and "reviewers" are not words of any entry (nor their beginnings); their trigrams are.
		const lexicalOnly = openProjectMemory({ root, watch: false });
		expect(await texts(lexicalOnly, 'deploying reviewers')).toEqual([]);
		await lexicalOnly.close();
		expect(await texts(memory, 'deploying reviewers')).toEqual(['Deployment happens on Fridays with make release', 'Dana reviews every database migration']);
		expect(embeddingRequests().at(-1)?.body.input).toEqual(['deploying reviewers']);
		expect(memory.status().search).toBe('hybrid');
	});

	it('fuses both rankings: an entry found both ways comes first', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const memory = open(root);
		await memory.settled();
		const hits = await memory.search('changelog written');
		expect(hits[0]).toMatchObject({ text: 'The changelog is written by hand', heading: 'Release', line: 5 });
		expect(hits[0]!.score).toBeCloseTo(2 / 61, 6);
	});

	it('falls back to lexical search when the endpoint fails, says so, and uses it again once it answers', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		fake.failEmbeddings({ status: 500, body: { error: { message: 'model overloaded; key test-key-123 rejected' } } });
		const memory = open(root, { retryAfterMs: 0 });
		await memory.settled();
		expect(memory.status().embeddings).toMatchObject({ state: 'failing', embedded: 0, total: 3 });
		const error = memory.status().embeddings?.error ?? '';
		expect(error).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings answered 500: model overloaded; key \[redacted\] rejected$/);

		const requestsBefore = embeddingRequests().length;
		expect(await texts(memory, 'changelog')).toEqual(['The changelog is written by hand']);
		expect(await texts(memory, 'deploying reviewers')).toEqual([]);
		expect(embeddingRequests().length).toBeGreaterThan(requestsBefore);

		// The next search finds the endpoint answering again; the entries are then embedded in the background.
		fake.failEmbeddings(undefined);
		expect(await texts(memory, 'changelog')).toEqual(['The changelog is written by hand']);
		await memory.settled();
		expect(memory.status().embeddings).toEqual({ model: 'fake-embedding', state: 'ready', embedded: 3, total: 3 });
		expect(await texts(memory, 'deploying reviewers')).toEqual(['Deployment happens on Fridays with make release', 'Dana reviews every database migration']);
	});

	it('does not try a failing endpoint again until its pause is over', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		fake.failEmbeddings({ status: 429 });
		const memory = open(root, { retryAfterMs: 3_600_000 });
		await memory.settled();
		const count = embeddingRequests().length;
		expect(count).toBe(1);
		fake.failEmbeddings(undefined);
		expect(await texts(memory, 'changelog')).toEqual(['The changelog is written by hand']);
		expect(embeddingRequests()).toHaveLength(count);
	});

	it('falls back when the endpoint cannot be reached at all', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const memory = open(root, { baseURL: 'http://127.0.0.1:9/v1' });
		expect(await texts(memory, 'changelog')).toEqual(['The changelog is written by hand']);
		await memory.settled();
		expect(memory.status().embeddings).toMatchObject({ state: 'failing', error: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/v1\/embeddings could not be reached/) });
	});

	it('keeps the vectors in the git-ignored cache, so a restart embeds nothing again', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const first = open(root);
		await first.settled();
		await first.close();
		const cache = readdirSync(join(root, '.orbit/cache'));
		expect(cache).toEqual([expect.stringMatching(/^memory-vectors-[0-9a-f]{16}\.bin$/)]);
		expect(git(root, 'status', '--porcelain', '-uall')).toBe('?? .orbit/.gitignore\n');

		const requests = embeddingRequests().length;
		const second = open(root);
		// The very first search already has the cached vectors; only the query is embedded.
		expect(await texts(second, 'deploying')).toEqual(['Deployment happens on Fridays with make release']);
		await second.settled();
		expect(second.status().embeddings).toMatchObject({ state: 'ready', embedded: 3 });
		expect(embeddingRequests()).toHaveLength(requests + 1);
		expect(embeddingRequests().at(-1)?.body.input).toEqual(['deploying']);
	});

	it('ignores a damaged cache file', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const first = open(root);
		await first.settled();
		await first.close();
		const [name] = readdirSync(join(root, '.orbit/cache'));
		const path = join(root, '.orbit/cache', name!);
		writeFileSync(path, readFileSync(path).subarray(0, 100));
		const second = open(root);
		await second.settled();
		expect(second.status().embeddings).toMatchObject({ state: 'ready', embedded: 3 });
	});

	it('embeds a hand edit in the background, without any call: the watcher sees it', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': MEMORY });
		const memory = open(root);
		await memory.settled();
		writeFileSync(join(root, '.orbit/MEMORY.md'), `${MEMORY}- The staging server is called atlas\n`);
		await waitFor(() => embeddingRequests().some((request) => request.body.input?.includes('People: The staging server is called atlas')), 'the new entry to be embedded');
		expect(await texts(memory, 'atlas')).toEqual(['The staging server is called atlas']);
	});

	it('sees .orbit/ appear when the repository had none', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.settled();
		mkdirSync(join(root, '.orbit'));
		writeFileSync(join(root, '.orbit/AGREEMENTS.md'), '- Reply in French\n');
		await waitFor(() => embeddingRequests().some((request) => request.body.input?.includes('Reply in French')), 'the new file to be embedded');
		expect(await texts(memory, 'french')).toEqual(['Reply in French']);
	});
});

describe('the embeddings client', () => {
	it('returns unit vectors in input order from an OpenAI-shaped answer', async () => {
		const client = createEmbeddingsClient({ baseURL: `${fake.url}/`, model: 'm' });
		const [a, b] = await client.embed(['alpha beta', 'gamma']);
		expect(a).toBeInstanceOf(Float32Array);
		expect(a!.length).toBe(1024);
		expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
		expect(Math.hypot(...b!)).toBeCloseTo(1, 5);
		expect(embeddingRequests()[0]?.headers.authorization).toBeUndefined();
	});

	it('names what went wrong: a malformed answer, an abort', async () => {
		const wrong = await startFakeOpenAI({ embed: (text) => (text === 'bad' ? [] : [1, 0]) });
		try {
			const client = createEmbeddingsClient({ baseURL: wrong.url, model: 'm' });
			await expect(client.embed(['good', 'bad'])).rejects.toThrow(/answered with a malformed embedding/);
			const controller = new AbortController();
			const reason = new Error('stop');
			controller.abort(reason);
			await expect(client.embed(['good'], controller.signal)).rejects.toBe(reason);
		} finally {
			await wrong.close();
		}
	});

	it('is configured from the environment only when ORBIT_EMBEDDINGS_MODEL is set', () => {
		const fallback = { baseURL: 'https://api.example.com/v1', apiKey: 'model-key' };
		expect(embeddingsFromEnvironment({}, fallback)).toBeUndefined();
		expect(embeddingsFromEnvironment({ ORBIT_EMBEDDINGS_MODEL: ' text-embedding-3-small ' }, fallback)).toEqual({ baseURL: 'https://api.example.com/v1', apiKey: 'model-key', model: 'text-embedding-3-small' });
		expect(embeddingsFromEnvironment({ ORBIT_EMBEDDINGS_MODEL: 'nomic-embed-text', ORBIT_EMBEDDINGS_BASE_URL: 'http://localhost:11434/v1', ORBIT_EMBEDDINGS_API_KEY: 'other' }, fallback)).toEqual({
			baseURL: 'http://localhost:11434/v1',
			apiKey: 'other',
			model: 'nomic-embed-text',
		});
	});
});
