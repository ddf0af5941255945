import { highlightCode } from './highlight.ts';
import { parseInline, type Style } from './markdown-inline.ts';
import type { Segment, StyledLine } from './styled-line.ts';
import { displayWidth, expandTabs, sanitize, wrapSegments, wrapText } from './wrap.ts';

/**
 * A line-based Markdown renderer for the thread pane. Not CommonMark: every source line break is
 * kept (as GitHub does in comments), containers are recognised by their first characters, and
 * unclosed constructs render literally, so a half-streamed message always renders sensibly.
 */


const TEXT: Style = { token: 'text' };
const HEADING: Style = { token: 'heading', bold: true };
const MAX_QUOTE_DEPTH = 8;

const FENCE = /^(`{3,}|~{3,})(.*)$/;
const HEADING_MARK = /^(#{1,6})(?: +|$)/;
const RULE = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const LIST_ITEM = /^([-*+]|\d{1,9}[.)])(?: +(.*)|$)/;
const SETEXT = /^ {0,3}(?:=+|-{2,}) *$/;
const DELIMITER_CELL = /^ *:?-+:? *$/;

/**
 * Renders Markdown to rows no wider than `width` columns: headings, paragraphs, lists with hanging
 * indents, block quotes, fenced code (highlighted, hard-broken rather than word-wrapped), GFM
 * tables (as records when too wide), rules, inline code, emphasis and links. The input is
 * sanitised first, so escape sequences never reach the output. Linear in the input; never throws.
 */
export function renderMarkdown(markdown: string, width: number): StyledLine[] {
	const columns = Math.max(1, Math.floor(Number.isFinite(width) ? width : 1));
	try {
		const rows = renderBlocks(expandTabs(sanitize(markdown)).split('\n'), columns, 0);
		let start = 0;
		let end = rows.length;
		while (start < end && rows[start]!.length === 0) start++;
		while (end > start && rows[end - 1]!.length === 0) end--;
		return rows.slice(start, end);
	} catch {
		return wrapText(markdown, columns).map((text) => [{ text, token: 'text' }]);
	}
}

interface ListLevel {
	/** Source column of the item's marker. */
	markerIndent: number;
	/** Rendered columns before the item's text: the hanging indent of its continuation rows. */
	prefixWidth: number;
}

function renderBlocks(lines: readonly string[], width: number, depth: number): StyledLine[] {
	const rows: StyledLine[] = [];
	const list: ListLevel[] = [];
	let afterBlank = true;
	const emit = (produced: StyledLine[]): void => {
		for (const row of produced) rows.push(row);
		afterBlank = false;
	};
	/** Closes the list levels this block is not indented under; returns the indent to draw. */
	const containerWidth = (indent: number): number => {
		while (list.length > 0 && list[list.length - 1]!.markerIndent >= indent) list.pop();
		return list[list.length - 1]?.prefixWidth ?? 0;
	};

	for (let index = 0; index < lines.length; index++) {
		const line = lines[index]!;
		const content = line.trimStart();
		const indent = line.length - content.length;
		if (content.trim() === '') {
			if (rows.length > 0 && rows[rows.length - 1]!.length > 0) rows.push([]);
			afterBlank = true;
			continue;
		}
		const fence = FENCE.exec(content);
		if (fence && !(fence[1]!.startsWith('`') && fence[2]!.includes('`'))) {
			const close = findFenceClose(lines, index + 1, fence[1]!);
			emit(renderCode(lines.slice(index + 1, close), indent, fence[2]!.trim().split(/\s+/)[0] ?? '', containerWidth(indent), width));
			index = close;
			continue;
		}
		if (RULE.test(content)) {
			const pad = Math.min(containerWidth(indent), Math.floor(width / 2));
			emit(wrapSegments([{ text: '─'.repeat(width - pad), token: 'muted' }], width, { firstPrefix: spaces(pad), hard: true }));
			continue;
		}
		const heading = HEADING_MARK.exec(content);
		if (heading) {
			emit(renderHeading(content.slice(heading[0].length), containerWidth(indent), width));
			continue;
		}
		if (content.startsWith('>')) {
			const quoted: string[] = [];
			while (index < lines.length && lines[index]!.trimStart().startsWith('>')) {
				quoted.push(lines[index]!.trimStart().slice(1).replace(/^ /, ''));
				index++;
			}
			index--;
			emit(renderQuote(quoted, containerWidth(indent), width, depth));
			continue;
		}
		const item = LIST_ITEM.exec(content);
		if (item) {
			while (list.length > 0 && list[list.length - 1]!.markerIndent >= indent) list.pop();
			const parentWidth = list[list.length - 1]?.prefixWidth ?? 0;
			const marker = /\d/.test(item[1]!) ? item[1]! : '•';
			const prefixWidth = parentWidth + displayWidth(marker) + 1;
			list.push({ markerIndent: indent, prefixWidth });
			const firstPrefix = [...spaces(parentWidth), { text: marker, token: 'muted' as const }, { text: ' ', token: 'text' as const }];
			emit(wrapSegments(parseInline((item[2] ?? '').trim(), TEXT), width, { firstPrefix, restPrefix: spaces(prefixWidth) }));
			continue;
		}
		const tableEnd = content.includes('|') ? findTableEnd(lines, index) : index;
		if (tableEnd > index) {
			emit(renderTable(lines.slice(index, tableEnd), containerWidth(indent), width));
			index = tableEnd - 1;
			continue;
		}
		// Inside a list, an indented line continues the item it is indented under; an unindented one
		// continues the last item only when no blank line came between (a lazy continuation).
		const itemPad = list.length === 0 ? 0 : afterBlank || indent > 0 ? containerWidth(indent) : list[list.length - 1]!.prefixWidth;
		if (list.length > 0) {
			emit(wrapSegments(parseInline(content.trimEnd(), TEXT), width, { firstPrefix: spaces(itemPad), restPrefix: spaces(itemPad) }));
			continue;
		}
		const next = lines[index + 1];
		if (next !== undefined && SETEXT.test(next)) {
			emit(renderHeading(content, 0, width));
			index++;
			continue;
		}
		const pad = spaces(indent);
		emit(wrapSegments(parseInline(content.trimEnd(), TEXT), width, { firstPrefix: pad, restPrefix: pad }));
	}
	return rows;
}

function spaces(count: number): Segment[] {
	return count > 0 ? [{ text: ' '.repeat(count), token: 'text' }] : [];
}

function findFenceClose(lines: readonly string[], from: number, opener: string): number {
	for (let index = from; index < lines.length; index++) {
		const text = lines[index]!.trim();
		if (text.length >= opener.length && text[0] === opener[0] && /^(`+|~+)$/.test(text)) return index;
	}
	return lines.length;
}

function renderCode(code: readonly string[], fenceIndent: number, language: string, pad: number, width: number): StyledLine[] {
	const rows = wrapSegments([{ text: language || 'code', token: 'muted' }], width, { firstPrefix: spaces(pad), restPrefix: spaces(pad), hard: true });
	const prefix = spaces(pad + 2);
	for (const line of code) {
		const unindented = line.slice(Math.min(fenceIndent, line.length - line.trimStart().length));
		const segments = highlightCode(unindented, language || undefined);
		for (const row of wrapSegments(segments, width, { firstPrefix: prefix, restPrefix: prefix, hard: true })) rows.push(row);
	}
	return rows;
}

function renderHeading(text: string, pad: number, width: number): StyledLine[] {
	let title = text.trim();
	let end = title.length;
	while (end > 0 && title[end - 1] === '#') end--;
	if (end < title.length && (end === 0 || title[end - 1] === ' ')) title = title.slice(0, end).trimEnd();
	return wrapSegments(parseInline(title, HEADING), width, { firstPrefix: spaces(pad), restPrefix: spaces(pad) });
}

function renderQuote(quoted: string[], pad: number, width: number, depth: number): StyledLine[] {
	const shownPad = Math.min(pad, Math.floor(width / 2));
	const innerWidth = width - shownPad - 2;
	const mute = (segment: Segment): Segment => (segment.token === 'text' ? { ...segment, token: 'muted' } : segment);
	if (innerWidth < 1) {
		return quoted.flatMap((line) => wrapSegments(parseInline(line.trim(), { token: 'muted' }), width));
	}
	const inner =
		depth >= MAX_QUOTE_DEPTH
			? quoted.flatMap((line) => wrapSegments(parseInline(line.trim(), TEXT), innerWidth))
			: renderBlocks(quoted, innerWidth, depth + 1);
	const bar: Segment[] = [...spaces(shownPad), { text: '│ ', token: 'muted' }];
	return inner.map((row) => [...bar, ...row.map(mute)]);
}

function splitRow(line: string): string[] {
	let text = line.trim();
	if (text.startsWith('|')) text = text.slice(1);
	if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
	return text.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}

/** End (exclusive) of a GFM table starting at `start`; `start` when there is none. */
function findTableEnd(lines: readonly string[], start: number): number {
	const delimiter = lines[start + 1];
	if (delimiter === undefined || !delimiter.includes('-')) return start;
	const cells = splitRow(delimiter);
	if (cells.length !== splitRow(lines[start]!).length || !cells.every((cell) => DELIMITER_CELL.test(cell))) return start;
	let end = start + 2;
	while (end < lines.length && lines[end]!.includes('|') && lines[end]!.trim() !== '') end++;
	return end;
}

function renderTable(lines: readonly string[], pad: number, width: number): StyledLine[] {
	const header = splitRow(lines[0]!);
	const columns = header.length;
	const aligns = splitRow(lines[1]!).map((cell) => (cell.endsWith(':') ? (cell.startsWith(':') ? 'center' : 'right') : 'left'));
	const parse = (cells: string[], style: Style): Segment[][] =>
		Array.from({ length: columns }, (_, column) => parseInline(cells[column] ?? '', style));
	const head = parse(header, { token: 'text', bold: true });
	const body = lines.slice(2).map((line) => parse(splitRow(line), TEXT));
	const cellWidth = (cell: Segment[]): number => cell.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
	const widths = head.map(cellWidth);
	for (const row of body) row.forEach((cell, column) => (widths[column] = Math.max(widths[column]!, cellWidth(cell))));
	const shownPad = Math.min(pad, Math.floor(width / 2));
	const total = widths.reduce((sum, columnWidth) => sum + columnWidth, 0) + 3 * (columns - 1);
	if (shownPad + total > width) {
		const rows: StyledLine[] = [];
		for (const record of body) {
			if (rows.length > 0) rows.push([]);
			record.forEach((cell, column) => {
				const label: Segment = { text: `${header[column] ?? ''}: `, token: 'muted', bold: true };
				for (const row of wrapSegments([label, ...cell], width, { firstPrefix: spaces(pad), restPrefix: spaces(pad + 2) })) rows.push(row);
			});
		}
		return rows;
	}
	const renderRow = (cells: Segment[][]): StyledLine => {
		const row: Segment[] = [...spaces(shownPad)];
		cells.forEach((cell, column) => {
			const gap = widths[column]! - cellWidth(cell);
			const before = aligns[column] === 'right' ? gap : aligns[column] === 'center' ? Math.floor(gap / 2) : 0;
			if (column > 0) row.push({ text: ' │ ', token: 'muted' });
			row.push(...spaces(before), ...cell, ...spaces(gap - before));
		});
		return row;
	};
	const rule: StyledLine = [...spaces(shownPad), { text: widths.map((columnWidth) => '─'.repeat(columnWidth)).join('─┼─'), token: 'muted' }];
	return [renderRow(head), rule, ...body.map(renderRow)];
}
