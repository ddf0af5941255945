// The library face as a user gets it: the built `dist/index.js`, no source imports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { createRepo } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

describe('orbit as a library', () => {
	it('builds an agent with model, tools, a custom submind and a trigger; posts, subscribes, and stops', async () => {
		const bundle = '../../dist/index.js';
		const orbit = (await import(bundle)) as typeof import('../../source/index.ts');
		const root = createRepo({ 'notes.txt': 'hello\n' });
		fake.script({ toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] }, { toolCalls: [{ name: 'user_send_message', arguments: { text: 'it says hello' } }] }, { text: 'done' });
		const seenBySubmind: string[] = [];
		let fire: ((content: string) => void) | undefined;
		const agent = orbit
			.createOrbit(root)
			.model(orbit.createOpenAIModel({ baseURL: fake.url, model: 'fake-model' }))
			.tools(orbit.createBuiltinTools())
			.permission('read-only')
			.submind({ name: 'watcher', start: (context) => context.subscribe((event) => void seenBySubmind.push(event.type)) })
			.trigger({ name: 'manual', start: (context) => void (fire = (content) => context.fire({ source: 'timer', content })) })
			.start();
		const messages: string[] = [];
		agent.subscribe((event) => {
			if (event.type === 'agent-message') messages.push(event.text);
		});
		fire!('what does notes.txt say?');
		await fake.waitFor(() => messages.length === 1, 10_000, 'the agent to answer');
		await agent.whenIdle();
		expect(messages).toEqual(['it says hello']);
		expect(seenBySubmind).toContain('tool-end');
		const firstRequest = fake.requests.at(-3)!.body as { messages: { role: string; content: string }[] };
		expect(firstRequest.messages.at(-1)).toEqual({ role: 'user', content: '[timer] what does notes.txt say?' });
		await agent.stop();
		const end = await agent.done;
		expect(end.type).toBe('session-end');
	});
});
