import { highlightCode } from './highlight.ts';
import { renderMarkdown } from './markdown.ts';
import type { StyledLine } from './styled-line.ts';
import { sanitize, wrapSegments } from './wrap.ts';

/** The code fence a source line sits in (undefined: plain Markdown). */
export type Fence = { language: string | undefined } | undefined;

const FENCE = /^\s*(```|~~~)\s*([\w+-]*)/;

/**
 * Lays out text that only ever grows (a streamed answer), lazily: completed source lines are split
 * off once with the code fence they sit in (cheap), but a line is rendered (Markdown, highlighting,
 * wrapping) only when asked for, then kept. `tail` renders from the end backwards and stops when it
 * has the rows asked for, so following a fast stream costs what the pane shows, not what arrived.
 * Code is highlighted and never word-wrapped.
 */
export class IncrementalText {
	private text = '';
	private consumed = 0;
	private sources: string[] = [];
	private fences: Fence[] = [];
	private rendered: (StyledLine[] | undefined)[] = [];
	/** The fence after the last completed line: the one the unfinished line sits in. */
	private fence: Fence;
	private width = 0;

	constructor(private readonly token: 'monologue' | 'text' = 'monologue') {}

	/** Every row of `text` at `width`. `text` must extend the previous text, or the layout restarts. */
	layout(text: string, width: number): StyledLine[] {
		this.update(text, width);
		const rows: StyledLine[] = [];
		for (let index = 0; index < this.sources.length; index += 1) rows.push(...this.renderedLine(index));
		rows.push(...this.unfinished());
		return rows;
	}

	/** The last `count` rows of `text` at `width` (all of them when there are fewer). */
	tail(text: string, width: number, count: number): StyledLine[] {
		this.update(text, width);
		if (count <= 0) return [];
		const chunks: StyledLine[][] = [this.unfinished()];
		let total = chunks[0]!.length;
		for (let index = this.sources.length - 1; index >= 0 && total < count; index -= 1) {
			const lines = this.renderedLine(index);
			chunks.push(lines);
			total += lines.length;
		}
		const rows = chunks.reverse().flat();
		return rows.length > count ? rows.slice(rows.length - count) : rows;
	}

	private update(text: string, width: number): void {
		if (!text.startsWith(this.text)) this.restart();
		if (width !== this.width) {
			this.width = width;
			this.rendered = [];
		}
		this.text = text;
		const lastNewline = text.lastIndexOf('\n');
		if (lastNewline < this.consumed) return;
		for (const raw of text.slice(this.consumed, lastNewline).split('\n')) {
			const line = sanitize(raw);
			this.sources.push(line);
			this.fences.push(this.fence);
			const fenceMatch = FENCE.exec(line);
			if (fenceMatch) this.fence = this.fence ? undefined : { language: fenceMatch[2] || undefined };
		}
		this.consumed = lastNewline + 1;
	}

	private restart(): void {
		this.text = '';
		this.consumed = 0;
		this.sources = [];
		this.fences = [];
		this.rendered = [];
		this.fence = undefined;
	}

	private renderedLine(index: number): StyledLine[] {
		let lines = this.rendered[index];
		if (!lines) {
			lines = this.render(this.sources[index]!, this.fences[index]);
			this.rendered[index] = lines;
		}
		return lines;
	}

	private unfinished(): StyledLine[] {
		const tail = this.text.slice(this.consumed);
		return tail === '' ? [] : this.render(sanitize(tail), this.fence);
	}

	protected render(line: string, fence: Fence): StyledLine[] {
		if (FENCE.test(line)) return [[{ text: line.slice(0, this.width), token: 'muted' }]];
		if (fence) return wrapSegments(highlightCode(line, fence.language), this.width, { hard: true });
		if (line.trim() === '') return [[{ text: '', token: this.token }]];
		const rendered = renderMarkdown(line, this.width);
		if (this.token === 'text') return rendered;
		return rendered.map((row) => row.map((segment) => (segment.token === 'text' ? { ...segment, token: this.token } : segment)));
	}
}
