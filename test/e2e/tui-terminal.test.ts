import { describe, expect, it } from 'vitest';
import { occurrences, sessionIdOf, STATUS_MARK, statusLine, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

const ANSWER = 'The module exports one constant, answer, which the tests import; renaming it touches two files and the README, which also mentions it.';

describe('the terminal', () => {
	it('resizing to 80x24 and back to 120x40 redraws a clean screen: every title once, stacked when narrow', async () => {
		bench.fake.script({ text: ANSWER });
		const tui = await bench.open();
		await tui.type('what does src/app.ts export?');
		await tui.sendKeys('Enter');
		await tui.waitFor((screen) => screen.includes('renaming it') && statusLine(screen).endsWith('idle'), 10_000, 'the answer');
		const start = await tui.screenLines();
		expect(problems(start, 120, 40, 'side by side')).toEqual([]);
		// The check itself can fail: this frame is no clean 80x24 one.
		expect(problems(start, 80, 24, 'stacked').length).toBeGreaterThan(3);

		await tui.resize(80, 24);
		const narrow = await waitClean(tui, 80, 24, 'stacked');
		expect(narrow).toContain('renaming it');

		await tui.resize(120, 40);
		const wide = await waitClean(tui, 120, 40, 'side by side');
		expect(wide).toContain('renaming it');
		expect(await tui.exitStatus()).toBeUndefined();
	});

	it('at 80 columns the status line still ends with the agent state', async () => {
		const before = bench.count();
		bench.fake.script({ text: ['Thinking ', 'hard '], stallAfter: 2 });
		const tui = await bench.open({ width: 80, height: 24 });
		await tui.type('think');
		await tui.sendKeys('Enter');
		const thinking = await tui.waitFor((screen) => statusLine(screen).endsWith('· thinking'), 10_000, 'thinking in the status line');
		expect(statusLine(thinking)).toMatch(/^fake-model · \S+ tokens · auto · sandbox: \S+ · /);
		expect(problems(thinking.split('\n'), 80, 24, 'stacked')).toEqual([]);
		await tui.sendKeys('Escape');
		await bench.fake.waitForClose(before);
		await tui.waitFor((screen) => statusLine(screen).endsWith('· interrupted'), 10_000, 'interrupted in the status line');
	});

	it('Ctrl+C twice quits with status 0, prints the session id, and leaves the terminal usable', async () => {
		// A wrapper shell runs orbit, then shows the terminal modes and reads a line, as a person's shell would.
		const script = [
			'"$@"; status=$?',
			'echo "orbit exited with status $status"',
			'stty -a',
			"printf 'follow-up> '",
			'read line',
			'echo "read: $line"',
		].join('\n');
		const tui = await bench.open({ wrapper: ['/bin/sh', '-c', script, 'wrapper'] });
		const id = sessionIdOf(await tui.capture());

		await tui.sendKeys('C-c');
		const armed = await tui.waitForText('press Ctrl+C again to quit');
		expect(armed).toContain('Thread');
		await tui.sendKeys('C-c');
		const after = await tui.waitForText('follow-up>');
		expect(after).toContain('orbit exited with status 0');
		expect(after).toContain(`Session ${id} ended`);
		// The alternate screen is gone: nothing of the workbench is left on the screen.
		for (const gone of ['╭', 'Thread', 'Context', 'Plan', STATUS_MARK, 'ForNextTurn ›']) expect(after).not.toContain(gone);
		const modes = after.split(/[\s;]+/);
		expect(modes).toContain('icanon');
		expect(modes).toContain('echo');
		expect(modes).toContain('icrnl');
		expect(modes).not.toContain('-icanon');
		expect(modes).not.toContain('-echo');

		await tui.type('still works');
		await tui.sendKeys('Enter');
		const echoed = await tui.waitForText('read: still works');
		expect(echoed).toContain('follow-up> still works');
		expect(await tui.waitForExit()).toBe(0);
	});
});

type Layout = 'stacked' | 'side by side';

async function waitClean(tui: { screenLines(): Promise<string[]> }, width: number, height: number, layout: Layout): Promise<string> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const lines = await tui.screenLines();
		const screen = lines.join('\n');
		const found = problems(lines, width, height, layout);
		if (found.length === 0) return screen;
		if (Date.now() > deadline) throw new Error(`the screen at ${width}x${height} is not clean: ${found.join('; ')}\n${screen}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/**
 * What is wrong with a workbench screen (its rows) of `width` × `height` (none: a clean frame). Every pane row is
 * whole (starts and ends with a border, exactly `width` wide), each title, the input line and the status
 * line appear once, nothing is wider than the window, and the panes are where `layout` puts them.
 */
function problems(lines: string[], width: number, height: number, layout: Layout): string[] {
	const found: string[] = [];
	const screen = lines.join('\n');
	if (lines.length !== height) found.push(`${lines.length} rows, not ${height}`);
	lines.forEach((line, index) => {
		if ([...line].length > width) found.push(`row ${index} is ${[...line].length} wide`);
	});
	for (const title of ['│ Thread', '│ Context', '│ Plan']) {
		const count = occurrences(screen, title);
		if (count !== 1) found.push(`"${title}" ${count} times`);
	}
	if (occurrences(screen, STATUS_MARK) !== 1) found.push(`the status line ${occurrences(screen, STATUS_MARK)} times`);
	if (occurrences(screen, 'ForNextTurn ›') !== 1) found.push(`the input line ${occurrences(screen, 'ForNextTurn ›')} times`);
	const input = lines.findIndex((line) => line.startsWith('ForNextTurn ›'));
	if (input < 1) found.push('no input line at the left edge');
	else {
		for (const [index, line] of lines.slice(0, input).entries()) {
			if (!/^[│╭╰].*[│╮╯]$/.test(line) || [...line].length !== width) found.push(`row ${index} is not a whole pane row: ${JSON.stringify(line)}`);
		}
		if (!statusLine(screen).includes(STATUS_MARK) || lines.indexOf(statusLine(screen)) !== input + 1) found.push('the status line is not right below the input line');
	}
	const row = (title: string) => lines.findIndex((line) => line.includes(`│ ${title}`));
	const [thread, context, plan] = [row('Thread'), row('Context'), row('Plan')];
	if (layout === 'stacked') {
		if (!(thread < context && context < plan)) found.push(`not stacked: Thread at ${thread}, Context at ${context}, Plan at ${plan}`);
		if (!lines[context]?.startsWith('│ Context') || !lines[plan]?.startsWith('│ Plan')) found.push('Context and Plan do not start at the left edge');
	} else {
		if (thread !== context) found.push('Thread and Context are not side by side');
		if (!(plan > context)) found.push('Plan is not below Context');
		if (lines[context]?.startsWith('│ Context')) found.push('Context is at the left edge');
	}
	return found;
}
