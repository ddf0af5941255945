import { describe, expect, it } from 'vitest';
import { sessionIdOf, statusLine, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

describe('resuming in the workbench', () => {
	it('orbit --continue shows the recorded thread and plan, and the agent goes on with what is sent next', async () => {
		bench.fake.script(
			{ toolCalls: [{ name: 'plan_update', arguments: { steps: [{ content: 'survey the module', status: 'Active' }, { content: 'write the summary', status: 'New' }] } }] },
			{ text: 'The first session looked at src/app.ts and found one constant.' },
		);
		const first = await bench.open();
		const id = sessionIdOf(await first.capture());
		await first.type('look at the module');
		await first.sendKeys('Enter');
		await first.waitFor((screen) => screen.includes('found one constant') && statusLine(screen).endsWith('idle'), 10_000, 'the first answer');
		await first.sendKeys('C-c');
		await first.waitForText('press Ctrl+C again');
		await first.sendKeys('C-c');
		await first.waitForText(`orbit --resume ${id}`);

		const before = bench.count();
		bench.fake.script({ text: 'Going on from where we were.' });
		const second = await bench.open({ args: ['--continue'] });
		const restored = await second.waitFor((screen) => screen.includes('found one constant') && screen.includes('survey the module'), 10_000, 'the restored thread and plan');
		expect(sessionIdOf(restored)).toBe(id);
		expect(restored).toContain('look at the module');
		await second.type('go on');
		await second.sendKeys('Enter');
		await second.waitForText('Going on from where we were.');
		// The model hears the whole conversation, the new message last.
		const messages = (bench.fake.requests[before]!.body as { messages: { role: string; content: string | null }[] }).messages;
		const text = messages.map((message) => message.content ?? '').join('\n');
		expect(text).toContain('look at the module');
		expect(text).toContain('found one constant');
		expect(messages.at(-1)!.content).toBe('go on');
	});
});
