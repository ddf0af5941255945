import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
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

const env = () => cleanEnv({ OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model' });
const userContents = (request: RecordedRequest) =>
	(request.body as { messages: { role: string; content: string }[] }).messages.filter((message) => message.role === 'user').map((message) => message.content);
const parseLines = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });

describe('headless output and input', () => {
	it('--output jsonl writes every event as one JSON object per line and nothing else', async () => {
		fake.script({ toolCalls: [{ name: 'user_send_message', arguments: { text: 'hello there' } }] }, { text: 'done' });
		const run = startOrbit(['-p', 'say hello', '--output', 'jsonl'], { cwd: root, env: env() });
		expect(await run.exit()).toBe(0);
		const events = parseLines(run.stdout());
		expect(events.every((event) => typeof event.type === 'string' && typeof event.sessionId === 'string' && typeof event.timestamp === 'string')).toBe(true);
		const types = events.map((event) => event.type);
		expect(types[0]).toBe('session-start');
		expect(types.at(-1)).toBe('session-end');
		for (const type of ['trigger', 'item-added', 'item-injected', 'turn-start', 'tool-start', 'agent-message', 'tool-end', 'loop-end']) expect(types).toContain(type);
		expect(events.find((event) => event.type === 'agent-message')).toMatchObject({ text: 'hello there' });
	});

	it('ends quietly with 0 when the reader of --output jsonl goes away (| head)', async () => {
		// No reply is scripted: orbit meets the closed pipe at its next event, whatever the model does.
		const run = startOrbit(['-p', 'talk', '--output', 'jsonl'], { cwd: root, env: env() });
		await new Promise<void>((resolveLine) => run.child.stdout!.once('data', () => resolveLine()));
		run.child.stdout!.destroy();
		expect(await run.exit()).toBe(0);
		expect(run.stderr()).toBe('');
	});

	it('--input jsonl posts items with priorities, stays up until stop, and reports bad lines without losing the rest', async () => {
		const before = fake.requests.length;
		fake.script({ text: 'first answer' }, { text: 'second answer' });
		const run = startOrbit(['--input', 'jsonl', '--output', 'jsonl'], { cwd: root, env: env() });
		run.child.stdin!.write('{"type":"post","content":"first task","priority":"in-the-end"}\n');
		await fake.waitFor(() => fake.requests.length >= before + 1 && run.stdout().includes('"loop-end"'), 10_000, 'first loop');
		run.child.stdin!.write('not json\n{"type":"post","content":"x","priority":"urgent"}\n');
		run.child.stdin!.write('{"type":"post","content":"second task"}\n');
		await fake.waitFor(() => run.stdout().split('"loop-end"').length === 3, 10_000, 'second loop');
		run.child.stdin!.write('{"type":"stop"}\n');
		expect(await run.exit()).toBe(2);
		expect(fake.requests.length - before).toBe(2);
		expect(userContents(fake.requests[before + 1]!)).toEqual(['first task', 'second task']);
		expect(run.stderr()).toContain('ignored an input line: not JSON: not json');
		expect(run.stderr()).toContain('"priority" must be "interruption", "for-next-turn" or "in-the-end", not "urgent"');
	});

	it('an interruption line aborts the streaming answer; the server sees the connection close', async () => {
		const before = fake.requests.length;
		fake.script({ text: 'a b c d e f g h i j', stallAfter: 3 }, { text: 'ok, switching' });
		const run = startOrbit(['--input', 'jsonl', '--output', 'jsonl'], { cwd: root, env: env() });
		run.child.stdin!.write('{"type":"post","content":"write a long essay"}\n');
		await fake.waitFor(() => fake.requests.length === before + 1 && run.stdout().includes('"text-delta"'), 10_000, 'streaming');
		run.child.stdin!.write('{"type":"post","content":"stop and summarise","priority":"interruption"}\n');
		await fake.waitForClose(before);
		await fake.waitFor(() => fake.requests.length === before + 2, 10_000, 'second request');
		run.child.stdin!.end();
		expect(await run.exit()).toBe(0);
		expect(userContents(fake.requests[before + 1]!)).toEqual(['write a long essay', '[interruption] stop and summarise']);
	});
});

describe('exit codes', () => {
	it('2 when no endpoint is configured, with a message that says how to connect', async () => {
		const run = startOrbit(['-p', 'task'], { cwd: root, env: cleanEnv() });
		expect(await run.exit()).toBe(2);
		expect(run.stderr()).toContain('OPENAI_API_KEY');
		expect(run.stderr()).toContain('11434');
		expect(run.stderr()).not.toMatch(/\n\s+at /);
	});

	it('2 for an unknown flag or a bad value, and without a TTY or a task', async () => {
		const unknown = startOrbit(['--frobnicate'], { cwd: root, env: env() });
		expect(await unknown.exit()).toBe(2);
		expect(unknown.stderr()).toMatch(/Unknown option '--frobnicate'/);
		const badMode = startOrbit(['-p', 'x', '--permission', 'yolo'], { cwd: root, env: env() });
		expect(await badMode.exit()).toBe(2);
		expect(badMode.stderr()).toContain('--permission must be');
		const nothing = startOrbit([], { cwd: root, env: env() });
		nothing.child.stdin!.end();
		expect(await nothing.exit()).toBe(2);
		expect(nothing.stderr()).toContain('-p "task"');
	});

	it('1 when the endpoint is dead, after retries, without a stack trace', async () => {
		const port = await freePort();
		const run = startOrbit(['-p', 'task', '--base-url', `http://127.0.0.1:${port}/v1`], { cwd: root, env: cleanEnv({ ORBIT_MODEL: 'm' }) });
		expect(await run.exit(60_000)).toBe(1);
		expect(run.stderr()).toMatch(/model request failed/);
		expect(run.stderr()).not.toMatch(/\n\s+at /);
	});

	it('3 when a limit is reached', async () => {
		const call = { toolCalls: [{ name: 'plan_read', arguments: {} }] };
		fake.script(call, call);
		const run = startOrbit(['-p', 'loop', '--max-turns', '2'], { cwd: root, env: env() });
		expect(await run.exit()).toBe(3);
		expect(run.stderr()).toContain('limit reached: turns 2 of 2');
		expect(fake.pending()).toBe(0);
	});

	it('130 on SIGINT, after stopping the agent', async () => {
		const before = fake.requests.length;
		fake.script({ text: 'slow', stallAfter: 1 });
		const run = startOrbit(['-p', 'task'], { cwd: root, env: env() });
		await fake.waitFor(() => fake.requests.length === before + 1, 10_000, 'request');
		run.child.kill('SIGINT');
		expect(await run.exit()).toBe(130);
		await fake.waitForClose(before);
	});
});

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}
