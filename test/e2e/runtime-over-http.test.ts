// The runtime in-process, against the real model client and the fake server on 127.0.0.1, with the
// real built-in tools in a real git repository.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHandle, createOrbit } from '../../source/builder.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { createOpenAIModel } from '../../source/model/openai-model.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { createRepo } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
let agent: AgentHandle | undefined;
let events: RuntimeEvent[];
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});
afterEach(async () => {
	await agent?.stop();
	agent = undefined;
});

function start(root: string): AgentHandle {
	events = [];
	agent = createOrbit(root)
		.model(createOpenAIModel({ baseURL: fake.url, model: 'fake-model', baseDelayMs: 5, maxDelayMs: 2_000 }))
		.tools(createBuiltinTools())
		// No sandbox is given to this agent, so `auto` would ask before every shell command.
		.permission('full')
		.subscribe((event) => events.push(event))
		.start();
	return agent;
}

type Message = { role: string; content: string | null };
const messagesOf = (request: RecordedRequest) => (request.body as { messages: Message[] }).messages;
const toolResultsOf = (request: RecordedRequest) => messagesOf(request).filter((message) => message.role === 'tool').map((message) => message.content ?? '');

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('priority rules over real HTTP and real tools', () => {
	it('an Interruption posted mid-stream closes the HTTP stream and is injected before the next request', async () => {
		const root = createRepo({ 'a.txt': 'a\n' });
		const handle = start(root);
		const first = fake.requests.length;
		fake.script({ text: 'one two three four five', stallAfter: 2 }, { text: 'switching' });
		handle.post('long task');
		await fake.waitFor(() => events.some((event) => event.type === 'text-delta'), 5_000, 'streaming');
		handle.post('urgent change of plan', 'interruption');
		await fake.waitForClose(first);
		await handle.whenIdle();
		expect(fake.requests.length - first).toBe(2);
		expect(messagesOf(fake.requests[first + 1]!).at(-1)).toEqual({ role: 'user', content: '[interruption] urgent change of plan' });
		expect(messagesOf(fake.requests[first + 1]!).at(-2)?.content).toMatch(/\[interrupted\]$/);
	});

	it('an Interruption posted mid-shell kills the whole process group, and the model hears about it', async () => {
		const root = createRepo({ 'a.txt': 'a\n' });
		const handle = start(root);
		const first = fake.requests.length;
		fake.script({ toolCalls: [{ name: 'shell', arguments: { command: 'sleep 1000 & echo $! > child.pid; wait' } }] }, { text: 'stopped' });
		handle.post('run the slow thing');
		const pidFile = join(root, 'child.pid');
		await fake.waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000, 'the child to start');
		const pid = Number(readFileSync(pidFile, 'utf8'));
		expect(pidAlive(pid)).toBe(true);
		handle.post('stop that', 'interruption');
		await fake.waitFor(() => !pidAlive(pid), 5_000, `pid ${pid} to be gone`);
		await handle.whenIdle();
		const next = fake.requests[first + 1]!;
		expect(toolResultsOf(next)[0]).toMatch(/^Interrupted by the user/);
		expect(toolResultsOf(next)[0]).toMatch(/process group killed/);
		expect(messagesOf(next).at(-1)).toEqual({ role: 'user', content: '[interruption] stop that' });
	});
});

describe('hostile model output and a flaky endpoint', () => {
	it('survives a path outside the repo, a missing file, 500, 429 with Retry-After and a cut stream, reporting each', async () => {
		const root = createRepo({ 'src/app.js': 'console.log(1);\n' });
		const handle = start(root);
		const first = fake.requests.length;
		fake.script(
			{ toolCalls: [{ name: 'read_file', arguments: { path: '../../../etc/passwd' } }, { name: 'write_file', arguments: { path: '/tmp/orbit-escape.txt', content: 'x' } }] },
			{ toolCalls: [{ name: 'read_file', arguments: { path: 'src/missing.js' } }, { name: 'edit_file', arguments: { path: 'src/app.js', old_string: 'nope', new_string: 'x' } }] },
			{ status: 500 },
			{ status: 429, headers: { 'retry-after': '1' } },
			{ text: 'partial answer that will be cut', cutAfter: 2 },
			{ toolCalls: [{ name: 'user_send_message', arguments: { text: 'all good' } }] },
			{ text: 'done' },
		);
		handle.post('probe');
		await handle.whenIdle();
		expect(handle.lastLoopEnd()).toBe('idle');
		expect(fake.requests.length - first).toBe(7);
		const [outside, absolute] = toolResultsOf(fake.requests[first + 1]!);
		expect(outside).toMatch(/outside the repository/i);
		expect(absolute).toMatch(/outside the repository/i);
		expect(existsSync('/tmp/orbit-escape.txt')).toBe(false);
		const [missing, noMatch] = toolResultsOf(fake.requests[first + 2]!).slice(-2);
		expect(missing).toMatch(/not found/i);
		expect(noMatch).toMatch(/not found|no match/i);
		const retries = events.filter((event) => event.type === 'model-retry');
		expect(retries).toHaveLength(3);
		expect(retries[1]).toMatchObject({ delayMs: 1000 });
		const answers = events.filter((event) => event.type === 'assistant-message').map((event) => (event.type === 'assistant-message' ? event.text : ''));
		expect(answers).not.toContain('partial answer that will be cut');
		expect(events.find((event) => event.type === 'agent-message')).toMatchObject({ text: 'all good' });
		expect(events.some((event) => event.type === 'error')).toBe(false);
	});
});
