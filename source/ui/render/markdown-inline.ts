import type { Segment } from './styled-line.ts';

/** The style of a run of inline text: a token and the bold/italic flags. */
export type Style = Omit<Segment, 'text'>;

const MAX_INLINE_DEPTH = 6;

function segment(text: string, style: Style): Segment {
	const result: Segment = { text, token: style.token };
	if (style.bold) result.bold = true;
	if (style.italic) result.italic = true;
	return result;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/;
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/y;
const BARE_URL = /https?:\/\/[^\s<>`]*[^\s<>`.,;:!?'")\]*_]/y;

/**
 * Inline Markdown on one line: `code`, *italic*, **bold**, ***both*** (also with `_`, never inside
 * words), [links](url), <autolinks>, bare URLs and backslash escapes. Emphasis closes only on a run
 * of the same length. Closer searches are memoised, so the work stays linear in the line.
 */
export function parseInline(text: string, style: Style, depth = 0, allowLinks = true): Segment[] {
	const out: Segment[] = [];
	const push = (piece: string, pieceStyle: Style): void => {
		if (piece === '') return;
		const last = out[out.length - 1];
		if (last && last.token === pieceStyle.token && !!last.bold === !!pieceStyle.bold && !!last.italic === !!pieceStyle.italic) last.text += piece;
		else out.push(segment(piece, pieceStyle));
	};
	const finders = new Map<string, (from: number) => number>();
	const find = (needle: string, valid: (at: number) => boolean, from: number): number => {
		let finder = finders.get(needle);
		if (!finder) finders.set(needle, (finder = makeFinder(text, needle, valid)));
		return finder(from);
	};
	const budget = { left: 4 * text.length + 256 };
	let index = 0;
	while (index < text.length) {
		const char = text[index]!;
		const previous = index > 0 ? text[index - 1]! : ' ';
		if (char === '\\' && index + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[index + 1]!)) {
			push(text[index + 1]!, style);
			index += 2;
			continue;
		}
		if (char === '`' || char === '*' || char === '_') {
			let run = 1;
			while (text[index + run] === char) run++;
			const needle = char.repeat(run);
			const after = text[index + run];
			if (char === '`') {
				const close = find(needle, (at) => text[at - 1] !== '`' && text[at + run] !== '`', index + run);
				if (close >= 0) {
					let code = text.slice(index + run, close);
					if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
					push(code, { ...style, token: 'code' });
					index = close + run;
					continue;
				}
			} else if (run <= 3 && depth < MAX_INLINE_DEPTH && after !== undefined && !WHITESPACE.test(after) && !(char === '_' && WORD_CHAR.test(previous))) {
				const close = find(
					needle,
					(at) =>
						text[at - 1] !== char &&
						text[at + run] !== char &&
						!WHITESPACE.test(text[at - 1] ?? ' ') &&
						!(char === '_' && WORD_CHAR.test(text[at + run] ?? ' ')),
					index + run + 1,
				);
				if (close >= 0) {
					const inner: Style = {
						token: style.token === 'text' ? 'emphasis' : style.token,
						bold: style.bold || run >= 2,
						italic: style.italic || run !== 2,
					};
					for (const piece of parseInline(text.slice(index + run, close), inner, depth + 1, allowLinks)) push(piece.text, piece);
					index = close + run;
					continue;
				}
			}
			push(needle, style);
			index += run;
			continue;
		}
		if (allowLinks && (char === '[' || (char === '!' && text[index + 1] === '['))) {
			const open = char === '!' ? index + 1 : index;
			const close = find(']', () => true, open + 1);
			const link = close >= 0 && text[close + 1] === '(' ? linkTarget(text, close + 2, budget, (from) => find(')', () => true, from)) : undefined;
			if (link) {
				const label = text.slice(open + 1, close) || (char === '!' ? 'image' : link.url);
				const linkStyle: Style = { ...style, token: 'link' };
				for (const piece of parseInline(label, linkStyle, depth + 1, false)) push(piece.text, piece);
				if (link.url !== '' && link.url !== label) push(` (${link.url})`, { token: 'muted' });
				index = link.end;
				continue;
			}
		}
		if (allowLinks && char === '<') {
			AUTOLINK.lastIndex = index;
			const match = AUTOLINK.exec(text);
			if (match) {
				push(match[1]!, { ...style, token: 'link' });
				index = AUTOLINK.lastIndex;
				continue;
			}
		}
		if (allowLinks && char === 'h' && !/[\w/]/.test(previous) && text.startsWith('http', index)) {
			BARE_URL.lastIndex = index;
			if (BARE_URL.exec(text)) {
				push(text.slice(index, BARE_URL.lastIndex), { ...style, token: 'link' });
				index = BARE_URL.lastIndex;
				continue;
			}
		}
		let end = index + 1;
		while (end < text.length && !/[\\`*_[!<h]/.test(text[end]!)) end++;
		push(text.slice(index, end), style);
		index = end;
	}
	return out;
}

/**
 * The first index ≥ `from` where `needle` occurs and `valid` holds there (-1 when none). `valid`
 * must depend only on the index, so answers can be reused for any later `from` up to the result.
 */
function makeFinder(text: string, needle: string, valid: (at: number) => boolean): (from: number) => number {
	let lastFrom = Number.POSITIVE_INFINITY;
	let lastResult = -1;
	return (from) => {
		if (from >= lastFrom && (lastResult < 0 || from <= lastResult)) return lastResult;
		let at = text.indexOf(needle, from);
		while (at >= 0 && !valid(at)) at = text.indexOf(needle, at + 1);
		lastFrom = from;
		lastResult = at;
		return at;
	};
}

/**
 * Reads `url "title")` from `start` (just past the `(`): the destination ends at whitespace or at
 * the `)` that balances it; a title after whitespace runs to the next `)` (`nextParen`, memoised).
 * `budget.left` caps the characters scanned and is charged for them, so a line of many unclosed
 * `[a](` stays linear: once it is spent, links render literally.
 */
function linkTarget(
	text: string,
	start: number,
	budget: { left: number },
	nextParen: (from: number) => number,
): { url: string; end: number } | undefined {
	const limit = Math.min(text.length, start + Math.max(0, budget.left));
	let depth = 0;
	let index = start;
	for (; index < limit; index++) {
		const char = text[index]!;
		if (char === '(') depth++;
		else if (char === ')') {
			if (depth === 0) break;
			depth--;
		} else if (WHITESPACE.test(char)) break;
	}
	budget.left -= index - start + 1;
	if (index >= limit) return undefined;
	const url = text.slice(start, index).replace(/^<(.*)>$/, '$1');
	if (text[index] === ')') return { url, end: index + 1 };
	const close = nextParen(index);
	if (close < 0 || close - index > budget.left) return undefined;
	budget.left -= close - index + 1;
	return { url, end: close + 1 };
}
