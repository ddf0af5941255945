import { describe, expect, it } from 'vitest';
import { STATUS_MARK, statusLine, threadRow, useWorkbench, userMessages } from './tui-harness.ts';

const bench = useWorkbench();

describe('the workbench: a task, its answer, the first keys', () => {
	it('streams the answer into Thread word by word; the status line says thinking, then idle', async () => {
		const before = bench.count();
		const words = ['Reading ', 'the ', 'repository ', 'first, ', 'then ', 'the ', 'tests, ', 'and ', 'then ', 'I ', 'am ', 'finished.'];
		bench.fake.script({ text: words, chunkDelayMs: 150 });
		const tui = await bench.open();
		expect(statusLine(await tui.capture())).toMatch(/fake-model · 0 tokens · auto · sandbox: \S+ · \S+ · idle$/);

		await tui.type('explain the repository');
		await tui.waitForText('ForNextTurn › explain the repository');
		await tui.sendKeys('Enter');

		const partial = await tui.waitFor((screen) => screen.includes('Reading the') && statusLine(screen).endsWith('thinking'), 10_000, 'the first words while thinking');
		expect(partial).toMatch(threadRow('› explain the repository'));
		expect(partial).not.toContain('finished.');

		const whole = await tui.waitFor((screen) => screen.includes('I am finished.') && statusLine(screen).endsWith('idle'), 10_000, 'the whole answer, idle');
		expect(whole).toMatch(threadRow(words.join('')));
		expect(whole).toContain('ForNextTurn ›   type a message');
		expect(bench.count() - before).toBe(1);
		expect(userMessages(bench.fake.requests[before]!)).toEqual(['explain the repository']);
	});

	it('keeps keys typed before the first frame: the prompt and its Enter reach the model', async () => {
		const before = bench.count();
		bench.fake.script({ text: 'got it early' });
		const tui = await bench.open({ noWait: true });
		await tui.type('typed before the first frame');
		await tui.sendKeys('Enter');
		// Orbit takes about a second to draw; the keys went in well before.
		expect(await tui.capture()).not.toContain(STATUS_MARK);

		const request = await bench.fake.waitForRequest(before + 1, 10_000);
		expect(userMessages(request)).toEqual(['typed before the first frame']);
		const screen = await tui.waitFor((text) => text.includes('got it early') && statusLine(text).endsWith('idle'), 10_000, 'the answer');
		expect(screen).toMatch(threadRow('› typed before the first frame'));
		expect(screen).toContain('ForNextTurn ›   type a message');
		expect(bench.count() - before).toBe(1);
	});
});

describe('slash commands', () => {
	it('/help lists every command, /login asks which profile, /undo finds nothing to undo, /theme light switches', async () => {
		const before = bench.count();
		const tui = await bench.open();

		await tui.type('/help');
		await tui.sendKeys('Enter');
		const help = await tui.waitForText('Slash commands:');
		for (const name of ['help', 'plan', 'memory', 'context', 'undo', 'sessions', 'login', 'model', 'theme', 'export', 'clear', 'quit']) {
			expect(help).toMatch(new RegExp(`│ +/${name}\\b`));
		}

		await tui.type('/login');
		await tui.sendKeys('Enter');
		await tui.waitForText('No provider profile is active');

		await tui.type('/undo');
		await tui.sendKeys('Enter');
		await tui.waitForText('• Nothing to undo');

		const dark = await tui.capture({ escapes: true });
		await tui.type('/theme light');
		await tui.sendKeys('Enter');
		await tui.waitForText('Theme set to light.');
		// The notice and Ink's next frame (the titles) are drawn separately, a frame apart at most.
		const deadline = Date.now() + 5_000;
		let light = await tui.capture({ escapes: true });
		while (titleStyle(light) === titleStyle(dark) && Date.now() < deadline) light = await tui.capture({ escapes: true });
		expect(titleStyle(light)).not.toEqual(titleStyle(dark));

		// Still alive and answering after the switch.
		await tui.type('/theme');
		await tui.sendKeys('Enter');
		await tui.waitForText('Theme: light.');
		expect(await tui.exitStatus()).toBeUndefined();
		expect(bench.count()).toBe(before);
	});
});

describe('without an endpoint', () => {
	it('the first screen says how to connect, with no stack trace, and nothing is sent', async () => {
		const tui = await bench.open({ env: {} });
		const screen = await tui.waitForText('11434');
		expect(screen).toContain('No model endpoint is configured');
		expect(screen).toContain('OPENAI_API_KEY');
		expect(screen).toContain('orbit login');
		expect(screen).not.toMatch(/^\W*at .+:\d+:\d+\)?\W*$/m);
		expect(screen).not.toMatch(/Error:/);
		expect(statusLine(screen)).toContain(STATUS_MARK);

		await tui.type('hello?');
		await tui.sendKeys('Enter');
		await tui.waitForText('nothing was sent');
		expect(await tui.exitStatus()).toBeUndefined();
	});
});

/** The escape sequences in front of the Thread pane's title, which carry the theme's title colour. */
function titleStyle(screen: string): string {
	const row = screen.split('\n').find((line) => line.includes('Thread')) ?? '';
	const match = /((?:\u001B\[[\d;]*m)+)Thread/.exec(row);
	return match?.[1] ?? '';
}
