import { describe, expect, it } from 'vitest';
import { statusLine, threadRow, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

const PARAGRAPHS = Array.from({ length: 30 }, (_, index) => `Paragraph ${index + 1}.`);

/** The Thread pane's body rows (between its title and its bottom border), without the borders. */
function threadBody(screen: string): string[] {
	const lines = screen.split('\n');
	const title = lines.findIndex((line) => line.startsWith('│ Thread'));
	const bottom = lines.findIndex((line, index) => index > title && line.startsWith('╰'));
	return lines.slice(title + 1, bottom).map((line) => line.slice(2, line.indexOf('│', 1)).trimEnd());
}

describe('the Thread pane', () => {
	it('keeps blank lines between paragraphs, fills the pane to the bottom, and PgUp/PgDn scroll by a page', async () => {
		bench.fake.script({ text: PARAGRAPHS.join('\n\n') });
		const tui = await bench.open();
		await tui.type('write thirty paragraphs');
		await tui.sendKeys('Enter');
		const tail = await tui.waitFor((screen) => screen.includes('Paragraph 30.') && statusLine(screen).endsWith('idle'), 10_000, 'the whole answer');

		const body = threadBody(tail);
		expect(body.length).toBeGreaterThan(20);
		// Following the tail, the last paragraph sits at the bottom (then the blank row that ends every block).
		expect(body.at(-2)).toBe('Paragraph 30.');
		expect(body.at(-1)).toBe('');
		expect(body.at(-3)).toBe('');
		expect(body.at(-4)).toBe('Paragraph 29.');
		expect(tail).not.toMatch(threadRow('› write thirty paragraphs'));

		await tui.sendKeys('PageUp');
		const top = await tui.waitForText('(scrolled — End to follow)');
		expect(top).toMatch(threadRow('› write thirty paragraphs'));
		expect(threadBody(top)[2]).toBe('Paragraph 1.');
		expect(top).not.toContain('Paragraph 30.');

		await tui.sendKeys('PageDown');
		const back = await tui.waitFor((screen) => !screen.includes('(scrolled') && screen.includes('Paragraph 30.'), 10_000, 'following the tail again');
		expect(threadBody(back)).toEqual(body);
	});
});
