// Provider profiles, fallback models and the cost budget through the real `orbit` binary (dist/),
// headless, against the fake server on 127.0.0.1, with the user config in a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
let root: string;
beforeAll(async () => {
	fake = await startFakeOpenAI();
	root = createRepo({ 'README.md': '# demo\n' });
});
afterAll(async () => {
	await fake.close();
});

const WORK_KEY = 'sk-work-7d3f9a1c5e8b';
const OTHER_KEY = 'sk-openai-2b6e4f8a0c1d';
const PRICES = { primary: { input: 2, output: 8 }, backup: { input: 0.5, output: 1 } };

type Event = { type: string; [key: string]: unknown };
const parseLines = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as Event);
const eventsOf = (events: Event[], type: string) => events.filter((event) => event.type === type);

/** A user config folder holding `config`, and the environment of a child orbit using it. */
function userConfig(config: unknown, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const dir = mkdtempSync(join(tmpdir(), 'orbit-user-config-'));
	writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, '\t'));
	return cleanEnv({ ORBIT_CONFIG_DIR: dir, ...extra });
}

function profiles() {
	return {
		profiles: {
			work: { baseUrl: fake.url, auth: { type: 'env', variable: 'WORK_KEY' }, model: 'primary', fallbackModels: ['backup'], prices: PRICES },
			other: { baseUrl: 'http://127.0.0.1:9/v1', model: 'elsewhere' },
		},
	};
}

/** Requests made by this test only. */
function requestsSince(before: number): RecordedRequest[] {
	return fake.requests.slice(before);
}

describe('provider profiles, fallback and cost budgets (headless)', () => {
	it('--profile reaches the server with the profile\'s model and the key from its variable as bearer', async () => {
		const before = fake.requests.length;
		fake.script({ text: 'hello from the gateway' });
		const env = userConfig(profiles(), { WORK_KEY, OPENAI_API_KEY: OTHER_KEY, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ORBIT_MODEL: 'not-this-one' });
		const run = startOrbit(['-p', 'task', '--profile', 'work', '--output', 'jsonl'], { cwd: root, env });
		expect(await run.exit()).toBe(0);
		const [request] = requestsSince(before);
		expect(request!.body.model).toBe('primary');
		expect(request!.headers.authorization).toBe(`Bearer ${WORK_KEY}`);
		expect(requestsSince(before)).toHaveLength(1);
		const events = parseLines(run.stdout());
		expect(eventsOf(events, 'session-start')[0]).toMatchObject({ model: 'primary' });
		expect(run.stdout()).not.toContain(WORK_KEY);
		expect(run.stderr()).not.toContain(WORK_KEY);
	});

	it('ORBIT_PROFILE and the config\'s "profile" select a profile too; --model overrides its model', async () => {
		const before = fake.requests.length;
		fake.script({ text: 'one' }, { text: 'two' });
		const byVariable = startOrbit(['-p', 'task'], { cwd: root, env: userConfig(profiles(), { WORK_KEY, ORBIT_PROFILE: 'work' }) });
		expect(await byVariable.exit()).toBe(0);
		const byConfig = startOrbit(['-p', 'task', '--model', 'chosen'], { cwd: root, env: userConfig({ ...profiles(), profile: 'work' }, { WORK_KEY }) });
		expect(await byConfig.exit()).toBe(0);
		expect(requestsSince(before).map((request) => [request.body.model, request.headers.authorization])).toEqual([
			['primary', `Bearer ${WORK_KEY}`],
			['chosen', `Bearer ${WORK_KEY}`],
		]);
	});

	it('an unknown profile or an unset key variable is a usage error (exit 2) before any request', async () => {
		const before = fake.requests.length;
		const unknown = startOrbit(['-p', 'task', '--profile', 'home'], { cwd: root, env: userConfig(profiles(), { WORK_KEY }) });
		expect(await unknown.exit()).toBe(2);
		expect(unknown.stderr()).toContain('unknown profile "home" (from --profile); known profiles: work, other.');
		const unset = startOrbit(['-p', 'task', '--profile', 'work'], { cwd: root, env: userConfig(profiles()) });
		expect(await unset.exit()).toBe(2);
		expect(unset.stderr()).toContain('profile "work" takes its API key from the environment variable WORK_KEY, which is not set');
		expect(requestsSince(before)).toHaveLength(0);
	});

	it('the primary answering 500 after its retries: the fallback serves, with a model-fallback event in --output jsonl', async () => {
		const before = fake.requests.length;
		const byModel = (request: RecordedRequest): ReplyData =>
			request.body.model === 'primary' ? { status: 500, headers: { 'retry-after-ms': '0' } } : { text: 'the backup answers', usage: { prompt_tokens: 300, completion_tokens: 100 } };
		// The primary: 1 attempt + 4 retries; then the backup.
		fake.script(byModel, byModel, byModel, byModel, byModel, byModel);
		const run = startOrbit(['-p', 'task', '--profile', 'work', '--output', 'jsonl'], { cwd: root, env: userConfig(profiles(), { WORK_KEY }) });
		expect(await run.exit()).toBe(0);
		expect(requestsSince(before).map((request) => request.body.model)).toEqual(['primary', 'primary', 'primary', 'primary', 'primary', 'backup']);
		expect(requestsSince(before).every((request) => request.headers.authorization === `Bearer ${WORK_KEY}`)).toBe(true);
		const events = parseLines(run.stdout());
		expect(eventsOf(events, 'model-retry')).toHaveLength(4);
		const [fallback] = eventsOf(events, 'model-fallback');
		expect(fallback).toMatchObject({ turn: 1, from: 'primary', to: 'backup' });
		expect(fallback!.reason).toMatch(/failed after 4 retries: HTTP 500/);
		expect(eventsOf(events, 'assistant-message')[0]).toMatchObject({ text: 'the backup answers' });
		const cost = (300 * 0.5 + 100 * 1) / 1_000_000;
		expect(eventsOf(events, 'usage')[0]).toMatchObject({ cost: { turn: cost, total: cost } });
		expect(eventsOf(events, 'loop-end').at(-1)).toMatchObject({ reason: 'idle' });
	});

	it('--max-cost ends with exit 3 and a limit-reached event whose values follow the configured prices', async () => {
		const before = fake.requests.length;
		const call: ReplyData = { toolCalls: [{ name: 'plan_read', arguments: {} }], usage: { prompt_tokens: 1000, completion_tokens: 500 } };
		fake.script(call);
		const run = startOrbit(['-p', 'spend', '--profile', 'work', '--max-cost', '0.005', '--output', 'jsonl'], { cwd: root, env: userConfig(profiles(), { WORK_KEY }) });
		expect(await run.exit()).toBe(3);
		expect(requestsSince(before)).toHaveLength(1);
		const events = parseLines(run.stdout());
		const spent = (1000 * 2 + 500 * 8) / 1_000_000;
		expect(spent).toBe(0.006);
		expect(eventsOf(events, 'usage')[0]).toMatchObject({ cost: { turn: spent, total: spent } });
		expect(eventsOf(events, 'limit-reached')).toEqual([expect.objectContaining({ limit: 'cost', value: spent, max: 0.005 })]);
		expect(eventsOf(events, 'loop-end').at(-1)).toMatchObject({ reason: 'limit' });
		expect(fake.pending()).toBe(0);
	});

	it('the config\'s limits apply without flags, and a flag wins over them', async () => {
		const before = fake.requests.length;
		const call: ReplyData = { toolCalls: [{ name: 'plan_read', arguments: {} }], usage: { prompt_tokens: 1000, completion_tokens: 500 } };
		const config = { ...profiles(), profile: 'work', limits: { maxCost: 0.005 } };
		fake.script(call);
		const limited = startOrbit(['-p', 'spend'], { cwd: root, env: userConfig(config, { WORK_KEY }) });
		expect(await limited.exit()).toBe(3);
		expect(limited.stderr()).toContain('limit reached: cost $0.0060 of $0.0050');
		expect(requestsSince(before)).toHaveLength(1);
		fake.script(call, { text: 'done', usage: { prompt_tokens: 10, completion_tokens: 10 } });
		const raised = startOrbit(['-p', 'spend', '--max-cost', '1'], { cwd: root, env: userConfig(config, { WORK_KEY }) });
		expect(await raised.exit()).toBe(0);
		expect(requestsSince(before)).toHaveLength(3);
	});
});
