import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionLog } from '../../source/session/read-log.ts';
import { INTERRUPTED_RUNNING } from '../../source/session/session-state.ts';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';
import { waitUntil } from '../fixtures/scripted-model.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

type Message = { role: string; content: string | null; tool_call_id?: string };
const messagesOf = (request: RecordedRequest) => (request.body as { messages: Message[] }).messages;
const SECRET = 'sk-test-resume-secret-4242';
const env = () => cleanEnv({ OPENAI_API_KEY: SECRET });
const model = () => ['--base-url', fake.url, '--model', 'fake-model', '--permission', 'auto'];
const lines = (text: string) => text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });

describe('durable sessions: resume headless', () => {
	it('after a SIGKILL, --continue restores the plan and the waiting items, reports the running tool as interrupted and never runs it again', async () => {
		const root = createRepo({ 'README.md': '# shop\n' });
		fake.script({
			toolCalls: [
				{ name: 'plan_update', arguments: { steps: [{ content: 'measure', status: 'Active' }, { content: 'report', status: 'New' }] } },
				{ name: 'shell', arguments: { command: 'echo ran >> ran.txt; sleep 30' }, id: 'call_slow' },
			],
		});
		const first = startOrbit(['-p', `measure the shop (key ${SECRET})`, '--input', 'jsonl', '--output', 'jsonl', ...model()], { cwd: root, env: env() });
		await waitUntil(() => first.stdout().includes('"type":"tool-start","turn":1,"callId":"call_slow"'), 'the shell tool starts', 15_000);
		first.child.stdin!.write('{"type":"post","content":"also check the README","priority":"in-the-end"}\n');
		first.child.stdin!.write('{"type":"post","content":"use metric units","priority":"for-next-turn"}\n');
		await waitUntil(() => lines(first.stdout()).filter((event) => event.type === 'item-added').length === 3, 'both items wait in the bucket', 15_000);
		await waitUntil(() => existsSync(join(root, 'ran.txt')), 'the command has started writing', 15_000);
		first.child.kill('SIGKILL');
		expect(await first.exit()).toBe(137);
		expect(readFileSync(join(root, 'ran.txt'), 'utf8')).toBe('ran\n');

		const listed = execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/cli.js'), 'sessions'], { cwd: root, env: env(), encoding: 'utf8' });
		expect(listed).toMatch(/interrupted mid-loop, 2 waiting +measure the shop/);

		const seen: Record<string, Message[]> = {};
		fake.script(
			(request) => {
				seen.resumed = messagesOf(request);
				return { toolCalls: [{ name: 'plan_read', arguments: {} }] };
			},
			(request) => {
				seen.plan = messagesOf(request);
				return {
					toolCalls: [
						{ name: 'plan_update', arguments: { steps: [{ content: 'measure', status: 'Done' }, { content: 'report', status: 'Done' }] } },
						{ name: 'user_send_message', arguments: { text: 'Measured, in metric units; README checked.' } },
					],
				};
			},
			{ text: 'Finished.' },
		);
		const second = startOrbit(['--continue', ...model()], { cwd: root, env: env() });
		expect(await second.exit()).toBe(0);
		expect(second.stdout()).toBe('Measured, in metric units; README checked.\n');
		expect(second.stderr()).toBe('');
		expect(readFileSync(join(root, 'ran.txt'), 'utf8')).toBe('ran\n');

		const resumed = seen.resumed!;
		expect(resumed.find((message) => message.tool_call_id === 'call_slow')?.content).toBe(INTERRUPTED_RUNNING);
		// The thread comes back from the log, which holds redacted events only.
		expect(resumed.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
			expect.stringMatching(/^measure the shop \(key (?!sk-test)/),
			'use metric units',
			'also check the README',
		]);
		expect(seen.plan!.at(-1)!.content).toBe('1. [Active] measure\n2. [New] report');

		const [file] = readdirSync(join(root, '.orbit', 'sessions'));
		const text = readFileSync(join(root, '.orbit', 'sessions', file!), 'utf8');
		expect(text).not.toContain(SECRET);
		const log = readSessionLog(join(root, '.orbit', 'sessions', file!));
		expect(log.torn).toBeUndefined();
		const ids = log.events.map((event) => event.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(log.events.filter((event) => event.type === 'session-start')).toHaveLength(2);
		expect(log.events.at(-1)).toMatchObject({ type: 'session-end', reason: 'done' });
		expect(readFileSync(join(root, '.orbit', '.gitignore'), 'utf8')).toContain('sessions/');
		expect(execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' })).not.toContain('.orbit/sessions');
	});

	it('--resume with an unknown id is a usage error that lists recent sessions', async () => {
		const root = createRepo({ 'README.md': '# x\n' });
		fake.script({ text: 'Hello.' });
		const first = startOrbit(['-p', 'say hello', ...model()], { cwd: root, env: env() });
		expect(await first.exit()).toBe(0);
		const run = startOrbit(['--resume', 'nope', ...model()], { cwd: root, env: env() });
		expect(await run.exit()).toBe(2);
		expect(run.stderr()).toMatch(/^orbit: no session "nope" in this repository\.\nRecent sessions:\n {2}\d{8}-\d{6}-[0-9a-f]{6} .* ended +say hello\n$/);
	});
});
