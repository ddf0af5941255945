import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusLine, threadRow, toolResults, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

const shell = (command: string) => ({ toolCalls: [{ name: 'shell', arguments: { command } }] });

describe('approvals in ask mode', () => {
	it('asks before shell; n with a reason denies and the model hears the reason; y runs once; a stops asking', async () => {
		const before = bench.count();
		bench.fake.script(
			shell('echo nope > denied.txt'),
			shell('echo approved > allowed.txt'),
			shell('echo always > always-1.txt'),
			shell('echo again > always-2.txt'),
			{ text: 'All four handled.' },
		);
		const tui = await bench.open({ permission: 'ask' });
		expect(statusLine(await tui.capture())).toMatch(/ · ask · sandbox: \S+ · /);
		await tui.type('make some files');
		await tui.sendKeys('Enter');

		const asked = await tui.waitForText('Allow shell: echo nope > denied.txt?');
		expect(asked).toContain('[y] once   [a] always for this session   [n] deny with a reason');
		expect(statusLine(asked)).toMatch(/running a tool$/);
		await tui.sendKeys('n');
		await tui.waitForText('Type the reason the agent should hear');
		await tui.type('not in this folder');
		await tui.waitForText('ForNextTurn › not in this folder');
		await tui.sendKeys('Enter');

		const afterDeny = await bench.fake.waitForRequest(before + 2, 10_000);
		expect(toolResults(afterDeny)).toEqual(['Permission denied for shell: not in this folder']);
		expect(existsSync(join(bench.repo, 'denied.txt'))).toBe(false);

		const second = await tui.waitForText('Allow shell: echo approved > allowed.txt?');
		// The answer keys and the reason went to the approval, not into the draft.
		expect(second).toContain('ForNextTurn ›   type a message');
		await tui.sendKeys('y');
		const afterAllow = await bench.fake.waitForRequest(before + 3, 10_000);
		expect(toolResults(afterAllow).at(-1)).toBe('(no output)\n[exit code 0]');
		expect(readFileSync(join(bench.repo, 'allowed.txt'), 'utf8')).toBe('approved\n');

		await tui.waitForText('Allow shell: echo always > always-1.txt?');
		await tui.sendKeys('a');
		// The fourth shell call runs without a question: the loop reaches its end unattended.
		const end = await tui.waitFor((screen) => screen.includes('All four handled.') && statusLine(screen).endsWith('idle'), 10_000, 'the end of the loop');
		expect(end).not.toContain('Allow shell');
		expect(readFileSync(join(bench.repo, 'always-2.txt'), 'utf8')).toBe('again\n');
		expect(end).toMatch(threadRow('✗ shell echo nope > denied.txt'));
		expect(end).toMatch(threadRow('✓ shell echo approved > allowed.txt'));
		expect(end).toMatch(threadRow('✓ shell echo again > always-2.txt'));
		expect(bench.count() - before).toBe(5);
	});

	it('Ctrl+C twice quits while an approval waits; the command never runs', async () => {
		const before = bench.count();
		bench.fake.script(shell('echo never > never.txt'));
		const tui = await bench.open({ permission: 'ask' });
		await tui.type('write never.txt');
		await tui.sendKeys('Enter');
		await tui.waitForText('Allow shell: echo never > never.txt?');

		await tui.sendKeys('C-c');
		const armed = await tui.waitFor((screen) => statusLine(screen) === 'press Ctrl+C again to quit', 10_000, 'the quit warning');
		expect(armed).toContain('Allow shell: echo never > never.txt?');
		await tui.sendKeys('C-c');
		expect(await tui.waitForExit()).toBe(0);
		expect(await tui.capture()).toMatch(/Session \S+ ended/);
		expect(existsSync(join(bench.repo, 'never.txt'))).toBe(false);
		expect(bench.count() - before).toBe(1);
	});
});
