import { describe, expect, it } from 'vitest';
import { statusLine, threadRow, useWorkbench, userMessages } from './tui-harness.ts';

const bench = useWorkbench();

describe('the input line', () => {
	it('a bracketed paste, Ctrl+J and Alt+Enter make one message with its line breaks; Up recalls it', async () => {
		const before = bench.count();
		bench.fake.script({ text: 'Read all four lines.' });
		const tui = await bench.open();

		await tui.paste('pasted one\npasted two');
		// The paste's line break did not send: both lines wait in the draft.
		await tui.waitFor((screen) => /^ForNextTurn › pasted one\n +pasted two$/m.test(screen), 10_000, 'the pasted draft');
		await tui.sendKeys('C-j');
		await tui.type('after ctrl-j');
		await tui.waitForText(/^ +after ctrl-j$/m);
		await tui.sendKeys('M-Enter');
		await tui.type('after alt-enter');
		await tui.waitForText(/^ +after alt-enter$/m);
		expect(bench.count()).toBe(before);

		await tui.sendKeys('Enter');
		const text = 'pasted one\npasted two\nafter ctrl-j\nafter alt-enter';
		const request = await bench.fake.waitForRequest(before + 1);
		expect(userMessages(request)).toEqual([text]);
		const screen = await tui.waitFor((shown) => shown.includes('Read all four lines.') && statusLine(shown).endsWith('idle'), 10_000, 'the answer');
		expect(screen).toMatch(threadRow('› pasted one'));
		expect(screen).toMatch(/^│   after alt-enter/m);

		await tui.sendKeys('Up');
		await tui.waitFor((shown) => /^ForNextTurn › pasted one\n +pasted two\n +after ctrl-j\n +after alt-enter/m.test(shown), 10_000, 'the recalled message');
		expect(bench.count() - before).toBe(1);
	});
});
