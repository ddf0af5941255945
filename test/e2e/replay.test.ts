/**
 * `orbit replay` and `orbit export` as a user runs them: the real built binary, with a fake model
 * endpoint configured that must hear nothing.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/refactor-session.jsonl');

let fake: FakeOpenAI;
let repo: string;
beforeAll(async () => {
	fake = await startFakeOpenAI();
	repo = createRepo({ 'src/app.js': 'export const answer = 41;\n' });
});
afterAll(async () => {
	await fake.close();
	rmSync(repo, { recursive: true, force: true });
});

/** An environment with a working model endpoint: replay must not use it. */
const env = () => cleanEnv({ OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model', OPENAI_API_KEY: 'sk-test-replay' });
const parseLines = (text: string): RuntimeEvent[] => text.trimEnd().split('\n').map((line) => JSON.parse(line) as RuntimeEvent);

describe('orbit replay --output jsonl', () => {
	it('plays the shipped example back as the same event sequence, with no network traffic', async () => {
		const before = fake.requests.length;
		// As the README has it, from a repository that has no examples/ folder: Orbit finds its own.
		const run = startOrbit(['replay', 'examples/refactor-session.jsonl', '--output', 'jsonl'], { cwd: repo, env: env() });
		expect(await run.exit()).toBe(0);
		expect(run.stderr()).toBe('');
		const recorded = parseLines(readFileSync(EXAMPLE, 'utf8')).slice(1);
		const replayed = parseLines(run.stdout());
		expect(replayed.map((event) => event.type)).toEqual(recorded.map((event) => event.type));
		expect(replayed).toEqual(recorded);
		// The example is a whole refactor: plan, reads, edits with diffs, the tests, a message.
		const tools = recorded.flatMap((event) => (event.type === 'tool-end' && !event.isError ? [event.name] : []));
		expect(tools).toEqual(expect.arrayContaining(['plan_update', 'grep', 'read_file', 'edit_file', 'shell', 'git_diff', 'user_send_message']));
		expect(recorded.some((event) => event.type === 'agent-message')).toBe(true);
		expect(fake.requests.length - before).toBe(0);
	});

	it('replays a session the binary just recorded, by its id, as the events the live run printed', async () => {
		fake.script(
			{ text: 'Looking.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.js' } }] },
			{ toolCalls: [{ name: 'edit_file', arguments: { path: 'src/app.js', old_string: '41', new_string: '42' } }] },
			{ toolCalls: [{ name: 'user_send_message', arguments: { text: 'Fixed the answer.' } }] },
			{ text: 'Done.' },
		);
		const live = startOrbit(['-p', 'The answer should be 42', '--output', 'jsonl', '--permission', 'auto'], { cwd: repo, env: env() });
		expect(await live.exit()).toBe(0);
		const printed = parseLines(live.stdout());
		const sessionId = printed[0]!.sessionId;
		expect(existsSync(join(repo, '.orbit', 'sessions', `${sessionId}.jsonl`))).toBe(true);

		const requests = fake.requests.length;
		const replay = startOrbit(['replay', sessionId], { cwd: repo, env: env() });
		expect(await replay.exit()).toBe(0);
		expect(parseLines(replay.stdout())).toEqual(printed);
		expect(fake.requests.length).toBe(requests);

		const exported = startOrbit(['export', sessionId], { cwd: repo, env: env() });
		expect(await exported.exit()).toBe(0);
		expect(exported.stdout()).toBe(`Exported session ${sessionId} to .orbit/exports/${sessionId}.md\n`);
		const markdown = readFileSync(join(repo, '.orbit', 'exports', `${sessionId}.md`), 'utf8');
		expect(markdown).toContain('## You\n\n> The answer should be 42');
		expect(markdown).toContain('-export const answer = 41;\n+export const answer = 42;');
		expect(markdown).toContain('## Orbit → you\n\nFixed the answer.');
		expect(fake.requests.length).toBe(requests);
	});

	it('ends quietly with 0 when the reader stops early (| head)', async () => {
		const run = startOrbit(['replay', EXAMPLE, '--output', 'jsonl', '--speed', '4'], { cwd: repo, env: env() });
		await new Promise<void>((resolveLine) => run.child.stdout!.once('data', () => resolveLine()));
		run.child.stdout!.destroy();
		expect(await run.exit()).toBe(0);
		expect(run.stderr()).toBe('');
	});

	it('says clearly when there is no such session, and exits 1', async () => {
		const run = startOrbit(['replay', 'no-such-session'], { cwd: repo, env: env() });
		expect(await run.exit()).toBe(1);
		expect(run.stderr()).toMatch(/^orbit replay: no session log at .*\.orbit\/sessions\/no-such-session\.jsonl\n$/);
		expect(run.stdout()).toBe('');
	});
});
