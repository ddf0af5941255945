import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

type Message = { role: string; content: string | null };
const messagesOf = (request: RecordedRequest) => (request.body as { messages: Message[] }).messages;
const toolNames = (request: RecordedRequest) => ((request.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((tool) => tool.function.name);

describe('orbit in a project (headless)', () => {
	it('puts AGENT.md and the agreements in the system prompt, offers the memory tools, and brings a subfolder AGENT.md when a tool touches it', async () => {
		const root = createRepo({
			'AGENT.md': '# Root rules\nUse tabs.\n',
			'.orbit/AGREEMENTS.md': '# Agreements\n\n- Never push to main.\n',
			'pkg/AGENT.md': 'Package rule: run `npm run check` here.\n',
			'pkg/index.js': 'export const x = 1;\n',
		});
		const before = fake.requests.length;
		fake.script({ toolCalls: [{ name: 'read_file', arguments: { path: 'pkg/index.js' } }] }, { toolCalls: [{ name: 'user_send_message', arguments: { text: 'read it' } }] }, { text: 'Done.' });
		const run = startOrbit(['-p', 'Look at pkg', '--base-url', fake.url, '--model', 'fake-model'], { cwd: root, env: cleanEnv({ OPENAI_API_KEY: 'sk-test-secret', ORBIT_CONFIG_DIR: root + '/.no-user-config' }) });
		expect(await run.exit()).toBe(0);
		const requests = fake.requests.slice(before);
		expect(requests).toHaveLength(3);
		const system = messagesOf(requests[0]!)[0]!;
		expect(system.role).toBe('system');
		expect(system.content).toContain('Use tabs.');
		expect(system.content).toContain('Never push to main.');
		expect(system.content).not.toContain('Package rule');
		expect(toolNames(requests[0]!)).toEqual(expect.arrayContaining(['memory_search', 'memory_add', 'memory_remove']));
		// After read_file touched pkg/, its AGENT.md reaches the model as a context-file item, once.
		const second = messagesOf(requests[1]!).map((message) => message.content ?? '').join('\n');
		expect(second).toContain('Package rule: run `npm run check` here.');
		expect(second).toContain('[context-file]');
		const third = messagesOf(requests[2]!).map((message) => message.content ?? '').join('\n');
		expect(third.split('Package rule').length - 1).toBe(1);
	});

	it('posts a --remind reminder at its time and runs until the agent has dealt with it', async () => {
		const root = createRepo({ 'README.md': '# r\n' });
		const before = fake.requests.length;
		fake.script({ text: 'Nothing to do yet.' }, { toolCalls: [{ name: 'user_send_message', arguments: { text: 'Checked the deploy.' } }] }, { text: 'Done.' });
		const run = startOrbit(['-p', 'Wait for the reminder', '--remind', '1s check the deploy', '--base-url', fake.url, '--model', 'fake-model'], {
			cwd: root,
			env: cleanEnv({ OPENAI_API_KEY: 'sk-test-secret', ORBIT_CONFIG_DIR: root + '/.no-user-config' }),
		});
		expect(await run.exit()).toBe(0);
		expect(run.stdout()).toBe('Checked the deploy.\n');
		const requests = fake.requests.slice(before);
		expect(requests).toHaveLength(3);
		const reminded = messagesOf(requests[1]!).map((message) => message.content ?? '').join('\n');
		expect(reminded).toContain('check the deploy');
	});
});
