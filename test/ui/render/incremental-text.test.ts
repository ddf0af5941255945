import { describe, expect, it } from 'vitest';
import { type Fence, IncrementalText } from '../../../source/ui/render/incremental-text.ts';
import { renderMarkdown } from '../../../source/ui/render/markdown.ts';
import type { StyledLine } from '../../../source/ui/render/styled-line.ts';

class CountingText extends IncrementalText {
	renders = 0;
	protected override render(line: string, fence: Fence): StyledLine[] {
		this.renders += 1;
		return super.render(line, fence);
	}
}

const text = (rows: StyledLine[]) => rows.map((row) => row.map((segment) => segment.text).join(''));

const SAMPLE = [
	'# Title',
	'Some **bold** prose that is long enough to wrap at a narrow width, with `code` in it.',
	'',
	'```ts',
	'const a = 1; // a comment that is long enough to be cut into pieces',
	'```',
	'- a bullet',
	'> a quote',
	'last line without newline',
].join('\n');

describe('IncrementalText', () => {
	it('gives the same rows however the text arrives, and its tail is the end of its layout', () => {
		const whole = new IncrementalText('text').layout(SAMPLE, 24);
		for (const step of [1, 3, 7, 50]) {
			const streamed = new IncrementalText('text');
			let rows: StyledLine[] = [];
			for (let end = step; end < SAMPLE.length + step; end += step) rows = streamed.layout(SAMPLE.slice(0, end), 24);
			expect(text(rows)).toEqual(text(whole));
		}
		for (const count of [0, 1, 4, 9, 1000]) {
			const tail = new IncrementalText('text').tail(SAMPLE, 24, count);
			expect(text(tail)).toEqual(count === 0 ? [] : text(whole).slice(-count));
		}
	});

	it('keeps code fences across lines: code is highlighted, not read as Markdown', () => {
		const rows = text(new IncrementalText('text').layout('```\n# not a heading\n```\n# a heading\n', 40));
		expect(rows[1]).toBe('# not a heading');
		expect(rows[3]).toBe(text(renderMarkdown('# a heading', 40))[0]);
	});

	it('renders only the lines the tail needs, each once', () => {
		const stream = new CountingText('text');
		const lines = Array.from({ length: 5_000 }, (_, index) => `line ${index}`);
		const tail = stream.tail(`${lines.join('\n')}\n`, 80, 10);
		expect(text(tail)).toEqual(lines.slice(-10));
		expect(stream.renders).toBe(10);
		stream.tail(`${lines.join('\n')}\nmore`, 80, 10);
		expect(stream.renders).toBe(11);
		expect(text(stream.layout(`${lines.join('\n')}\nmore`, 80))).toHaveLength(5_001);
		expect(stream.renders).toBe(11 + 4_990 + 1);
	});

	it('starts over when the text does not extend the previous one, and re-renders at a new width', () => {
		const stream = new IncrementalText('text');
		stream.layout('first answer\n', 40);
		expect(text(stream.layout('other\n', 40))).toEqual(['other']);
		expect(text(stream.layout('a b c d e f\n', 5))).toEqual(['a b c', 'd e f']);
	});
});
