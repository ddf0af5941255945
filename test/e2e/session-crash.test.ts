/**
 * The crash test of durable sessions (PRODUCT §5): a scripted multi-turn task run headless against
 * the fake server, killed with SIGKILL at random moments (after a random number of events) and
 * resumed with `orbit --continue`, again and again, until a run finishes on its own. After every
 * kill: the log parses (a torn last line is allowed), every event the process had acknowledged (it
 * reached stdout, which is written after the log) is in the log unchanged, and the next process
 * keeps all of it. At the end of each chain: the agent finished the task (notes written, plan done,
 * nothing waiting, ids unique, no torn line left). At least 50 kills in all, two chains at a time.
 * `ORBIT_CRASH_SEED=<n>` replays the kill points of a failing run (timing still varies).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionLog } from '../../source/session/read-log.ts';
import { foldSession } from '../../source/session/session-state.ts';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

const KILLS = 50;
const WORKERS = 2;
const SEED = Number(process.env.ORBIT_CRASH_SEED ?? Date.now() % 1_000_000);

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
	// Every request consumes one reply; each reply queues the next, so the queue never runs dry.
	fake.script(...Array.from({ length: WORKERS + 2 }, () => policy));
});
afterAll(async () => {
	await fake.close();
});

type Message = { role: string; content: string | null; tool_call_id?: string; tool_calls?: { id: string }[] };

const STEPS: ReplyData[] = [
	{ text: 'Starting the notes.', toolCalls: [{ name: 'plan_update', arguments: { steps: [{ content: 'write a', status: 'Active' }, { content: 'write b', status: 'New' }] } }] },
	{ toolCalls: [{ name: 'write_file', arguments: { path: 'notes/a.txt', content: 'alpha\n' } }] },
	{
		text: 'Now the second note, then the plan.',
		toolCalls: [
			{ name: 'write_file', arguments: { path: 'notes/b.txt', content: 'beta\n' } },
			{ name: 'plan_update', arguments: { steps: [{ content: 'write a', status: 'Done' }, { content: 'write b', status: 'Active' }] } },
		],
	},
	{ text: 'Checking the first note.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes/a.txt' } }] },
	{
		toolCalls: [
			{ name: 'plan_update', arguments: { steps: [{ content: 'write a', status: 'Done' }, { content: 'write b', status: 'Done' }] } },
			{ name: 'user_send_message', arguments: { text: 'Wrote notes/a.txt and notes/b.txt.' } },
		],
	},
];

/**
 * A stateless model: the next step is the number of tool steps whose results all came back without
 * an interruption (so a step cut off by a kill is done again, as a careful model would).
 */
function policy(request: RecordedRequest): ReplyData {
	fake.script(policy);
	const messages = (request.body as { messages: Message[] }).messages;
	const results = new Map(messages.filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, message.content ?? '']));
	const done = messages.filter((message) => message.role === 'assistant' && message.tool_calls?.length && message.tool_calls.every((call) => ok(results.get(call.id)))).length;
	const step = STEPS[done] ?? { text: ['Finished', '.'] };
	return { ...step, chunkDelayMs: 2 };
}

const ok = (result: string | undefined) => result !== undefined && !result.startsWith('interrupted:') && !result.startsWith('Not run');

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

const ARGS = ['--output', 'jsonl', '--permission', 'auto', '--model', 'fake-model'];

interface Outcome {
	killed: boolean;
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs orbit; kills it with SIGKILL as soon as `killAfter` complete event lines reached stdout. */
async function runOnce(root: string, args: string[], killAfter: number): Promise<Outcome> {
	const run = startOrbit([...args, ...ARGS, '--base-url', fake.url], { cwd: root, env: cleanEnv({ OPENAI_API_KEY: 'sk-crash-test' }) });
	let lines = 0;
	let killed = false;
	run.child.stdout!.on('data', (chunk: string) => {
		for (const char of chunk) if (char === '\n') lines += 1;
		if (!killed && lines >= killAfter) {
			killed = run.child.kill('SIGKILL');
		}
	});
	const code = await run.exit(30_000);
	return { killed: killed && code === 137, code, stdout: run.stdout(), stderr: run.stderr() };
}

function logPathOf(root: string): string {
	const files = readdirSync(join(root, '.orbit', 'sessions'));
	expect(files).toHaveLength(1);
	return join(root, '.orbit', 'sessions', files[0]!);
}

/** One session: killed again and again, each time resumed, until a run ends by itself. Returns the kills. */
async function chain(next: () => number, wantMore: (killsInChain: number) => boolean, onKill: () => void, label: string): Promise<number> {
	const root = createRepo({ 'README.md': '# notes\n' });
	let kills = 0;
	let kept = '';
	let taskLogged = false;
	for (let attempt = 0; ; attempt += 1) {
		// A kill right after session-start can come before the task was logged: then it was never
		// acknowledged, and the person gives it again with the resume.
		const task = ['-p', 'Write the two notes'];
		const args = attempt === 0 ? task : taskLogged ? ['--continue'] : ['--continue', ...task];
		const killAfter = wantMore(kills) ? 1 + Math.floor(next() * 25) : Number.POSITIVE_INFINITY;
		const outcome = await runOnce(root, args, killAfter);
		const where = `${label}, run ${attempt + 1} (seed ${SEED}, killed after ${killAfter} events)`;
		const text = readFileSync(logPathOf(root), 'utf8');
		// Whatever the previous process left (up to its last complete line) is still there, unchanged.
		expect(text.startsWith(kept), `${where}: the log lost acknowledged lines`).toBe(true);
		const log = readSessionLog(logPathOf(root));
		kept = text.slice(0, log.validBytes);
		const logged = new Set(kept.split('\n'));
		taskLogged ||= log.events.some((event) => event.type === 'trigger');
		const acknowledged = outcome.stdout.split('\n').slice(0, -1);
		for (const line of acknowledged) expect(logged.has(line), `${where}: acknowledged event missing from the log: ${line}`).toBe(true);
		if (!outcome.killed) {
			const history = `${where}\nlog: ${log.events.map((event) => event.type).join(' ')}`;
			expect(outcome.code, `${history}\n${outcome.stderr}`).toBe(0);
			expect(log.torn, where).toBeUndefined();
			const ids = log.events.map((event) => event.id);
			expect(new Set(ids).size, `${where}: event ids repeat`).toBe(ids.length);
			expect(log.events.at(-1)?.type, where).toBe('session-end');
			const state = foldSession(log.events);
			expect(state.thread.at(-1), history).toMatchObject({ kind: 'assistant', text: 'Finished.', toolCalls: [] });
			expect(state.plan.steps.map((step) => step.status), where).toEqual(['Done', 'Done']);
			expect(state.waiting, where).toEqual([]);
			expect(readFileSync(join(root, 'notes/a.txt'), 'utf8'), where).toBe('alpha\n');
			expect(readFileSync(join(root, 'notes/b.txt'), 'utf8'), where).toBe('beta\n');
			expect(existsSync(join(root, '.orbit', '.gitignore')), where).toBe(true);
			return kills;
		}
		kills += 1;
		onKill();
	}
}

describe('durable sessions: crash test', () => {
	it(`loses no acknowledged event over ${KILLS}+ SIGKILLs at random moments, and every resumed session finishes its task`, async () => {
		const next = random(SEED);
		let kills = 0;
		let chains = 0;
		// A whole session prints about 60 events; kills after 1–25 of a run's events land all over it.
		// Up to 8 kills in a chain, so several sessions are exercised, each from start to finish.
		const worker = async (index: number) => {
			while (kills < KILLS) {
				chains += 1;
				await chain(next, (inChain) => kills < KILLS && inChain < 8, () => (kills += 1), `worker ${index}, chain ${chains}`);
			}
		};
		await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index + 1)));
		expect(kills).toBeGreaterThanOrEqual(KILLS);
	}, 180_000);
});
