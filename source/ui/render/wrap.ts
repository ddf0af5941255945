import stringWidth from 'string-width';
import type { Segment, StyledLine } from './styled-line.ts';

/**
 * Fitting text to a terminal width: sanitising model text, measuring display columns and
 * wrapping plain or styled text. Every function here is pure, linear in its input and never throws.
 */

// CSI (7-bit and C1), OSC, DCS/SOS/PM/APC strings, then any other two-byte escape. String payloads
// stop at a newline so an unterminated sequence cannot swallow the rest of a message.
const ESCAPE_SEQUENCE =
	/\u001B\[[0-?]*[ -/]*[@-~]|\u009B[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B\n]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B\n]*(?:\u001B\\)?|\u001B[ -/]*[0-~]/g;
// C0 controls except \t and \n, DEL, C1 controls, and the bidi embedding/override/isolate controls
// (which can make text display differently from what it is).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const HAS_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
const TAB_SPACES = '    ';

/**
 * Removes terminal escape sequences and control characters, keeping `\n` and `\t`. `\r\n` becomes
 * `\n`; any other `\r` is dropped. Model and tool text must pass through here before reaching the
 * terminal, so it cannot move the cursor, change colours or retitle the window.
 */
export function sanitize(text: string): string {
	if (!HAS_CONTROL.test(text)) return text;
	return text.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** Replaces each tab with four spaces (fixed, not tab stops). */
export function expandTabs(text: string): string {
	return text.includes('\t') ? text.replace(/\t/g, TAB_SPACES) : text;
}

/** Display columns of a sanitised single-line string (wide CJK and emoji count 2). */
export function displayWidth(text: string): number {
	if (PRINTABLE_ASCII.test(text)) return text.length;
	if (text.length <= 8) return clusterWidth(text);
	let width = 0;
	for (const { segment } of segmenter.segment(text)) width += clusterWidth(segment);
	return width;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const widthCache = new Map<string, number>();

/** Width of one grapheme cluster (or of any short string: string-width sums its clusters), cached. */
function clusterWidth(cluster: string): number {
	if (cluster.length === 1) {
		const code = cluster.charCodeAt(0);
		if (code >= 0x20 && code < 0x7f) return 1;
	}
	let width = widthCache.get(cluster);
	if (width === undefined) {
		width = stringWidth(cluster);
		if (widthCache.size >= 4096) widthCache.clear();
		widthCache.set(cluster, width);
	}
	return width;
}

/** Text of one segment made safe for a single row: sanitised, newlines as spaces, tabs expanded. */
function cleanInline(text: string): string {
	const clean = HAS_CONTROL.test(text) ? sanitize(text) : text;
	return expandTabs(clean.includes('\n') ? clean.replace(/\n/g, ' ') : clean);
}

type Style = Omit<Segment, 'text'>;

interface Fragment {
	text: string;
	style: Style;
	width: number;
}

/** Accumulates one output row, merging neighbouring text of the same style. */
class RowBuilder {
	readonly segments: Segment[] = [];
	/** Display columns used so far, prefix included (kept by the caller). */
	width = 0;
	/** Whether anything beyond the prefix is on the row. */
	hasContent = false;

	add(text: string, style: Style): void {
		if (text === '') return;
		const last = this.segments[this.segments.length - 1];
		if (last && last.token === style.token && !!last.bold === !!style.bold && !!last.italic === !!style.italic) {
			last.text += text;
			return;
		}
		const segment: Segment = { text, token: style.token };
		if (style.bold) segment.bold = true;
		if (style.italic) segment.italic = true;
		this.segments.push(segment);
	}
}

export interface WrapOptions {
	/** Drawn before the first row (a list marker, a quote bar). */
	firstPrefix?: Segment[];
	/** Drawn before every later row (the hanging indent). */
	restPrefix?: Segment[];
	/** Break anywhere at the width, keeping every space (code); default is word wrapping. */
	hard?: boolean;
}

/**
 * Wraps one logical line of styled text into rows no wider than `width` columns (minimum 1).
 * Word mode breaks at spaces (dropping the spaces at a break) and hard-breaks words longer than a
 * row. A prefix never takes more than half the width: a wider one loses columns from its left, so
 * list markers and quote bars survive while indentation shrinks. A cluster wider than the room left
 * on an empty row (a wide character at width 1) becomes `?`. Text is cleaned as by `sanitize`,
 * with newlines read as spaces and tabs expanded. Always returns at least one row.
 */
export function wrapSegments(segments: readonly Segment[], width: number, options: WrapOptions = {}): StyledLine[] {
	const columns = Math.max(1, Math.floor(Number.isFinite(width) ? width : 1));
	const firstPrefix = fitPrefix(options.firstPrefix ?? [], columns);
	const restPrefix = fitPrefix(options.restPrefix ?? [], columns);
	const restPrefixWidth = restPrefix.reduce((sum, piece) => sum + piece.width, 0);

	// The text as one string; styles[i] applies from starts[i] to starts[i + 1].
	let flat = '';
	const starts: number[] = [];
	const styles: Style[] = [];
	for (const segment of segments) {
		const text = cleanInline(segment.text);
		if (text === '') continue;
		starts.push(flat.length);
		styles.push(segment);
		flat += text;
	}
	const ascii = PRINTABLE_ASCII.test(flat);
	let row = startRow(firstPrefix);
	// Fast path: it all fits on the first row (word mode would only have dropped trailing spaces).
	if (ascii && row.width + flat.length <= columns && (options.hard || !flat.endsWith(' '))) {
		for (let index = 0; index < starts.length; index++) row.add(flat.slice(starts[index]!, starts[index + 1] ?? flat.length), styles[index]!);
		return [row.segments];
	}
	const measure = (from: number, to: number): number => (ascii ? to - from : displayWidth(flat.slice(from, to)));
	const rows: StyledLine[] = [];
	// Ranges are added in increasing order, so the style lookup only ever moves forward.
	let styleIndex = 0;
	const styleAt = (position: number): number => {
		while (styleIndex + 1 < starts.length && starts[styleIndex + 1]! <= position) styleIndex++;
		return styleIndex;
	};
	const addRange = (from: number, to: number, columnsUsed: number): void => {
		let position = from;
		for (let index = styleAt(from); position < to; index++) {
			const end = Math.min(to, starts[index + 1] ?? flat.length);
			row.add(flat.slice(position, end), styles[index]!);
			position = end;
		}
		row.width += columnsUsed;
		row.hasContent = true;
	};
	const newRow = (): void => {
		rows.push(row.segments);
		row = startRow(restPrefix);
	};
	const placeBroken = (from: number, to: number): void => {
		if (ascii) {
			while (from < to) {
				const room = columns - row.width;
				if (room <= 0) {
					newRow();
					continue;
				}
				const take = Math.min(room, to - from);
				addRange(from, from + take, take);
				from += take;
			}
			return;
		}
		let runStart = from;
		let runWidth = 0;
		for (const { segment: cluster, index } of segmenter.segment(flat.slice(from, to))) {
			const clusterStart = from + index;
			const clusterColumns = clusterWidth(cluster);
			if (row.width + runWidth + clusterColumns > columns) {
				if (clusterStart > runStart) addRange(runStart, clusterStart, runWidth);
				if (row.hasContent) newRow();
				runStart = clusterStart;
				runWidth = 0;
				if (row.width + clusterColumns > columns) {
					row.add('?', styles[styleAt(clusterStart)]!);
					row.width += 1;
					row.hasContent = true;
					runStart = clusterStart + cluster.length;
					continue;
				}
			}
			runWidth += clusterColumns;
		}
		if (to > runStart) addRange(runStart, to, runWidth);
	};

	if (options.hard) {
		placeBroken(0, flat.length);
		rows.push(row.segments);
		return rows;
	}

	let spaceStart = 0;
	let spaceEnd = 0;
	let position = 0;
	while (position < flat.length) {
		if (flat.charCodeAt(position) === 0x20) {
			spaceStart = position;
			while (position < flat.length && flat.charCodeAt(position) === 0x20) position++;
			spaceEnd = position;
			continue;
		}
		let wordEnd = flat.indexOf(' ', position);
		if (wordEnd < 0) wordEnd = flat.length;
		const wordWidth = measure(position, wordEnd);
		const spaceWidth = row.hasContent || rows.length === 0 ? spaceEnd - spaceStart : 0;
		if (row.width + spaceWidth + wordWidth <= columns) {
			if (spaceWidth > 0) addRange(spaceStart, spaceEnd, spaceWidth);
			addRange(position, wordEnd, wordWidth);
		} else if (row.hasContent && restPrefixWidth + wordWidth <= columns) {
			newRow();
			addRange(position, wordEnd, wordWidth);
		} else {
			if (spaceWidth > 0 && row.width + spaceWidth < columns) addRange(spaceStart, spaceEnd, spaceWidth);
			placeBroken(position, wordEnd);
		}
		spaceStart = spaceEnd = position = wordEnd;
	}
	rows.push(row.segments);
	return rows;

	function startRow(prefix: readonly Fragment[]): RowBuilder {
		const builder = new RowBuilder();
		for (const piece of prefix) {
			builder.add(piece.text, piece.style);
			builder.width += piece.width;
		}
		return builder;
	}
}

function toFragment(text: string, style: Style): Fragment {
	return { text, style, width: displayWidth(text) };
}

/** Cleans a prefix and cuts columns from its left until it takes at most half of `columns`. */
function fitPrefix(prefix: readonly Segment[], columns: number): Fragment[] {
	const limit = Math.floor(columns / 2);
	const pieces = prefix.map((segment) => toFragment(cleanInline(segment.text), segment));
	let total = 0;
	for (const piece of pieces) total += piece.width;
	// Plain spaces (the usual indentation) are cut without splitting into clusters.
	while (total > limit && pieces.length > 0 && /^ +$/.test(pieces[0]!.text)) {
		const first = pieces[0]!;
		const cut = Math.min(first.text.length, total - limit);
		total -= cut;
		if (cut === first.text.length) pieces.shift();
		else pieces[0] = { text: first.text.slice(cut), style: first.style, width: first.width - cut };
	}
	while (total > limit && pieces.length > 0) {
		const first = pieces[0]!;
		const clusters = Array.from(segmenter.segment(first.text), (part) => part.segment);
		let dropped = 0;
		let index = 0;
		while (index < clusters.length && total - dropped > limit) dropped += clusterWidth(clusters[index++]!);
		total -= dropped;
		if (index === clusters.length) pieces.shift();
		else pieces[0] = { text: clusters.slice(index).join(''), style: first.style, width: first.width - dropped };
	}
	return pieces;
}

/**
 * Word-wraps plain text to `width` columns. Sanitises it, expands tabs, keeps every newline, and
 * indents continuation rows like the line's own leading whitespace (capped at half the width).
 * Whitespace-only lines become ''. Never returns a row wider than `width`.
 */
export function wrapText(text: string, width: number): string[] {
	const rows: string[] = [];
	for (const raw of sanitize(text).split('\n')) {
		const line = expandTabs(raw);
		const indentLength = line.length - line.trimStart().length;
		const content = line.slice(indentLength).trimEnd();
		if (content === '') {
			rows.push('');
			continue;
		}
		const indent: Segment[] = indentLength > 0 ? [{ text: line.slice(0, indentLength), token: 'text' }] : [];
		for (const row of wrapSegments([{ text: content, token: 'text' }], width, { firstPrefix: indent, restPrefix: indent })) {
			rows.push(row.map((segment) => segment.text).join(''));
		}
	}
	return rows;
}
