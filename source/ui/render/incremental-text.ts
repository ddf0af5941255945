import { highlightCode } from './highlight.ts';
import { renderMarkdown } from './markdown.ts';
import type { StyledLine } from './styled-line.ts';
import { sanitize, wrapSegments } from './wrap.ts';

/**
 * Lays out text that only ever grows (a streamed answer) line by line: completed source lines are
 * rendered once and kept; only the unfinished last line is redone on each call. Code fences are
 * tracked across lines, so code is highlighted and never word-wrapped. Cost per call is linear in
 * what arrived since the last call, not in the whole text.
 */
export class IncrementalText {
	private consumed = 0;
	private lines: StyledLine[] = [];
	private fence: { language: string | undefined } | undefined;
	private width = 0;
	private text = '';

	constructor(private readonly token: 'monologue' | 'text' = 'monologue') {}

	/** The layout of `text` at `width`. `text` must extend the previous text, or the layout restarts. */
	layout(text: string, width: number): StyledLine[] {
		if (width !== this.width || !text.startsWith(this.text)) this.reset(width);
		this.text = text;
		const lastNewline = text.lastIndexOf('\n');
		if (lastNewline >= this.consumed) {
			for (const line of text.slice(this.consumed, lastNewline).split('\n')) this.lines.push(...this.renderLine(line, true));
			this.consumed = lastNewline + 1;
		}
		const tail = text.slice(this.consumed);
		if (tail === '') return this.lines;
		const savedFence = this.fence;
		const tailLines = this.renderLine(tail, false);
		this.fence = savedFence;
		return [...this.lines, ...tailLines];
	}

	private reset(width: number): void {
		this.width = width;
		this.consumed = 0;
		this.lines = [];
		this.fence = undefined;
		this.text = '';
	}

	private renderLine(raw: string, complete: boolean): StyledLine[] {
		const line = sanitize(raw);
		const fenceMatch = /^\s*(```|~~~)\s*([\w+-]*)/.exec(line);
		if (fenceMatch) {
			if (complete) this.fence = this.fence ? undefined : { language: fenceMatch[2] || undefined };
			return [[{ text: line.slice(0, this.width), token: 'muted' }]];
		}
		if (this.fence) {
			const segments = highlightCode(line, this.fence.language);
			return wrapSegments(segments, this.width, { hard: true });
		}
		if (line.trim() === '') return [[{ text: '', token: this.token }]];
		const rendered = renderMarkdown(line, this.width);
		if (this.token === 'text') return rendered;
		return rendered.map((row) => row.map((segment) => (segment.token === 'text' ? { ...segment, token: this.token } : segment)));
	}
}
