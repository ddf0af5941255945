import { PRIORITY_LABELS } from '../../runtime/context-item.ts';
import type { ThreadBlock } from '../store/thread-blocks.ts';
import { renderDiff } from './diff.ts';
import { IncrementalText } from './incremental-text.ts';
import { renderMarkdown } from './markdown.ts';
import type { StyledLine, Token } from './styled-line.ts';
import { editDetails, keyArgument } from './tool-summary.ts';
import { sanitize, wrapSegments, wrapText } from './wrap.ts';

const COLLAPSED_OUTPUT_LINES = 3;
const INTERRUPTED_LINE: StyledLine = [{ text: '⏸ interrupted', token: 'warning', bold: true }];
const EXPANDED_OUTPUT_LINES = 400;
const STATUS_MARK: Record<Extract<ThreadBlock, { kind: 'tool' }>['status'], { mark: string; token: Token }> = {
	running: { mark: '…', token: 'muted' },
	done: { mark: '✓', token: 'success' },
	error: { mark: '✗', token: 'error' },
	interrupted: { mark: '⏸', token: 'warning' },
};

/**
 * Lays out thread blocks into rows of at most `width` columns, caching each block's rows by
 * (id, rev, width), so a frame lays out only what changed. Streamed text grows incrementally.
 */
export class BlockLayout {
	private readonly cache = new Map<string, { rev: number; width: number; lines: StyledLine[] }>();
	private readonly streams = new Map<string, IncrementalText>();

	lines(block: ThreadBlock, width: number): StyledLine[] {
		const cached = this.cache.get(block.id);
		if (cached && cached.rev === block.rev && cached.width === width) return cached.lines;
		const lines = [...this.layout(block, width), []];
		this.cache.set(block.id, { rev: block.rev, width, lines });
		return lines;
	}

	/**
	 * The last `count` rows of `lines(block, width)` (all when there are fewer). A streamed answer is
	 * laid out only as far back as asked: following the tail of a long stream stays cheap.
	 */
	tailLines(block: ThreadBlock, width: number, count: number): StyledLine[] {
		if (block.kind !== 'thinking') {
			const lines = this.lines(block, width);
			return lines.length > count ? lines.slice(lines.length - count) : lines;
		}
		const after: StyledLine[] = block.interrupted ? [INTERRUPTED_LINE, []] : [[]];
		const text = block.text === '' ? [] : this.stream(block.id).tail(block.text, width, count - after.length);
		const rows = [...text, ...after];
		return rows.length > count ? rows.slice(rows.length - count) : rows;
	}

	/** Forgets blocks that are gone (after /clear). */
	clear(): void {
		this.cache.clear();
		this.streams.clear();
	}

	private stream(id: string): IncrementalText {
		let stream = this.streams.get(id);
		if (!stream) {
			stream = new IncrementalText('monologue');
			this.streams.set(id, stream);
		}
		return stream;
	}

	private layout(block: ThreadBlock, width: number): StyledLine[] {
		switch (block.kind) {
			case 'input': {
				const label = block.source === 'user' ? '› ' : `› [${block.source}] `;
				const suffix = block.priority === 'for-next-turn' ? '' : `  (${PRIORITY_LABELS[block.priority]})`;
				return prefixed(label, `${sanitize(block.text)}${suffix}`, width, 'user', true);
			}
			case 'thinking': {
				const lines = block.text === '' ? [] : this.stream(block.id).layout(block.text, width);
				if (block.interrupted) lines.push(INTERRUPTED_LINE);
				return lines;
			}
			case 'message':
				return [[{ text: '◆ Orbit', token: 'message', bold: true }], ...renderMarkdown(block.text, Math.max(10, width - 2)).map((line) => [{ text: '  ', token: 'text' as Token }, ...line])];
			case 'notice':
				return prefixed('• ', block.text, width, block.tone === 'info' ? 'muted' : block.tone, false);
			case 'tool':
				return toolLines(block, width);
		}
	}
}

function toolLines(block: Extract<ThreadBlock, { kind: 'tool' }>, width: number): StyledLine[] {
	const status = STATUS_MARK[block.status];
	const argument = keyArgument(block.name, block.args);
	const header: StyledLine = [
		{ text: `${status.mark} `, token: status.token },
		{ text: block.name, token: 'toolName', bold: true },
	];
	if (argument) header.push({ text: ` ${sanitize(argument)}`, token: 'toolArg' });
	const rows = cut(header, width);
	if (block.status === 'running') return rows;
	const edit = editDetails(block.details);
	if (edit && block.status === 'done') {
		rows.push(...renderDiff(edit.path, edit.before, edit.after, width - 2, { maxLines: block.expanded ? 2_000 : 40 }).map((line) => [{ text: '  ', token: 'text' as Token }, ...line]));
		return rows;
	}
	if (block.name === 'user_send_message' && block.status === 'done') return rows;
	const output = sanitize(block.output).split('\n');
	const limit = block.expanded ? EXPANDED_OUTPUT_LINES : COLLAPSED_OUTPUT_LINES;
	const token: Token = block.status === 'error' ? 'error' : 'muted';
	for (const line of output.slice(0, limit)) {
		for (const wrapped of wrapText(line, Math.max(10, width - 4))) rows.push([{ text: `  │ ${wrapped}`, token }]);
	}
	if (output.length > limit) rows.push([{ text: `  │ … ${output.length - limit} more lines${block.expanded ? '' : ' (Ctrl+O expands)'}`, token: 'muted' }]);
	return rows;
}

function prefixed(prefix: string, text: string, width: number, token: Token, bold: boolean): StyledLine[] {
	const inner = Math.max(10, width - prefix.length);
	const rows: StyledLine[] = [];
	for (const [index, line] of text.split('\n').flatMap((part) => wrapText(part, inner)).entries()) {
		rows.push([{ text: index === 0 ? prefix : ' '.repeat(prefix.length), token }, { text: line, token, bold }]);
	}
	return rows;
}

/** One row: the line cut at `width` columns with an ellipsis (headers never wrap). */
function cut(line: StyledLine, width: number): StyledLine[] {
	const rows = wrapSegments(line, width, { hard: true });
	if (rows.length === 1) return rows;
	const first = rows[0]!;
	const last = first.at(-1);
	if (last) first[first.length - 1] = { ...last, text: `${last.text.slice(0, -1)}…` };
	return [first];
}
