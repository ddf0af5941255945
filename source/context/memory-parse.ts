/**
 * Memory files as entries: every list item (at any depth) and every paragraph outside a list is
 * one entry, labelled with the headings above it (a level-1 heading on the first line is the
 * document's title and labels nothing). Headings, thematic breaks, HTML comments and front matter
 * are structure, not entries. Line-based and forgiving: any text parses; a fenced code
 * block stays inside the entry it starts in (or is a paragraph of its own).
 */

/** One searchable unit of a memory file. */
export interface MemoryEntry {
	/** The entry's text: a list item without its marker, continuation lines dedented; trimmed. */
	text: string;
	/** The headings above it, outermost first, joined with ` › `; undefined before the first heading. */
	heading?: string;
	/** The text of the list items it is nested in, outermost first (empty for a top-level item or a paragraph). */
	parents: string[];
	kind: 'item' | 'paragraph';
	/** First line (0-based) and the line after its last one, in the file's lines. */
	start: number;
	end: number;
	/** True when list items are nested under it. */
	hasChildren: boolean;
}

interface OpenItem {
	entry: MemoryEntry;
	/** Column where the item's content starts: deeper lines belong to it. */
	contentIndent: number;
	/** The raw lines, for the text. */
	lines: string[];
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const COMMENT = /^[ \t]*<!--/;

/** Splits text into lines as the parser counts them (`\n` or `\r\n`). */
export function splitLines(text: string): string[] {
	const lines = text.split(/\r?\n/);
	if (lines.length > 1 && lines.at(-1) === '') lines.pop();
	return text === '' ? [] : lines;
}

/** The entries of a memory file, in file order. Pure; never throws. */
export function parseMemory(text: string): MemoryEntry[] {
	const lines = splitLines(text);
	const entries: MemoryEntry[] = [];
	const headings: string[] = [];
	/** Items whose content may still continue, outermost first. */
	const stack: OpenItem[] = [];
	let paragraph: { entry: MemoryEntry; lines: string[] } | undefined;
	let fence: string | undefined;
	let blank = false;
	let index = 0;

	/** The label of entries under the current headings. */
	let heading: string | undefined;
	const setHeading = (level: number, text: string) => {
		headings.length = level;
		for (let at = 0; at < level - 1; at++) headings[at] ??= '';
		headings[level - 1] = text;
		while (headings.length > 0 && headings.at(-1) === '') headings.pop();
		heading = headings.filter((part) => part !== '').join(' › ') || undefined;
	};
	const finishParagraph = () => {
		if (!paragraph) return;
		paragraph.entry.text = paragraph.lines.join('\n').trim();
		if (paragraph.entry.text !== '') entries.push(paragraph.entry);
		paragraph = undefined;
	};
	const finishItems = (keep = 0) => {
		while (stack.length > keep) {
			const item = stack.pop()!;
			item.entry.text = dedent(item.lines, item.contentIndent).trim();
		}
	};
	const finishAll = () => {
		finishParagraph();
		finishItems();
	};
	const current = (): { lines: string[]; entry: MemoryEntry } | undefined => paragraph ?? stack.at(-1);

	if (lines[0] !== undefined && /^---[ \t]*$/.test(lines[0])) {
		const close = lines.findIndex((line, at) => at > 0 && /^(---|\.\.\.)[ \t]*$/.test(line));
		if (close > 0) index = close + 1;
	}

	for (; index < lines.length; index++) {
		const line = lines[index]!;
		if (fence !== undefined) {
			const open = current();
			if (open) {
				open.lines.push(line);
				open.entry.end = index + 1;
			}
			if (new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
			continue;
		}
		if (line.trim() === '') {
			blank = true;
			finishParagraph();
			continue;
		}
		const indent = columns(line);
		const first = line.charAt(line.length - line.trimStart().length);
		const owner = ownerOf(stack, line, first, indent, blank);
		const inside = owner >= 0 && indent >= stack[owner]!.contentIndent;

		if (first === '<' && COMMENT.test(line) && owner < 0) {
			finishAll();
			while (index < lines.length && !lines[index]!.includes('-->')) index++;
			blank = false;
			continue;
		}
		const atx = first === '#' ? ATX_HEADING.exec(line) : null;
		if (atx && !inside) {
			finishAll();
			// A level-1 heading on the first line is the document's title (`# Memory`), not a section.
			if (atx[1]!.length === 1 && entries.length === 0 && headings.length === 0 && lines.slice(0, index).every((before) => before.trim() === '')) {
				headings.length = 0;
				continue;
			}
			setHeading(atx[1]!.length, (atx[2] ?? '').trim());
			blank = false;
			continue;
		}
		const setext = (first === '=' || first === '-') && paragraph && !blank && stack.length === 0 ? SETEXT_UNDERLINE.exec(line) : null;
		if (setext && paragraph) {
			setHeading(setext[1]![0] === '=' ? 1 : 2, paragraph.lines.join(' ').trim());
			paragraph = undefined;
			continue;
		}
		if ((first === '-' || first === '*' || first === '_') && THEMATIC_BREAK.test(line) && !inside) {
			finishAll();
			blank = false;
			continue;
		}
		const item = first === '-' || first === '*' || first === '+' || (first >= '0' && first <= '9') ? LIST_ITEM.exec(line) : null;
		const innermost = stack.at(-1);
		if (item && !(innermost && indent >= innermost.contentIndent + 4)) {
			finishParagraph();
			// Close the items this one is not nested in.
			let keep = stack.length;
			while (keep > 0 && indent < stack[keep - 1]!.contentIndent) keep--;
			finishItems(keep);
			const parent = stack.at(-1);
			if (parent) parent.entry.hasChildren = true;
			const markerEnd = indent + item[2]!.length;
			const gap = item[4] === '' ? 1 : widthFrom(markerEnd, item[3]!);
			const entry: MemoryEntry = {
				text: '',
				heading,
				parents: stack.map((open) => dedent(open.lines, open.contentIndent).trim()),
				kind: 'item',
				start: index,
				end: index + 1,
				hasChildren: false,
			};
			entries.push(entry);
			stack.push({ entry, contentIndent: markerEnd + (gap > 4 ? 1 : gap), lines: [' '.repeat(markerEnd + (gap > 4 ? 1 : gap)) + item[4]!] });
			const opensFence = FENCE.exec(item[4]!);
			if (opensFence) fence = opensFence[1];
			blank = false;
			continue;
		}
		if (owner >= 0) {
			finishParagraph();
			finishItems(owner + 1);
			const open = stack.at(-1)!;
			if (blank) open.lines.push('');
			open.lines.push(line);
			open.entry.end = index + 1;
		} else {
			finishItems();
			if (!paragraph) {
				paragraph = {
					entry: { text: '', heading, parents: [], kind: 'paragraph', start: index, end: index + 1, hasChildren: false },
					lines: [],
				};
			}
			paragraph.lines.push(line);
			paragraph.entry.end = index + 1;
		}
		const opened = first === '`' || first === '~' ? FENCE.exec(line) : null;
		if (opened) fence = opened[1];
		blank = false;
	}
	finishAll();
	entries.sort((a, b) => a.start - b.start);
	return entries.filter((entry) => entry.text !== '');
}

/**
 * The index in `stack` of the item a non-list line belongs to, or -1: right after an item's text
 * (no blank line) a line continues the innermost item lazily unless it starts another block;
 * otherwise the deepest item whose content column the line reaches.
 */
function ownerOf(stack: OpenItem[], line: string, first: string, indent: number, blank: boolean): number {
	if (stack.length === 0) return -1;
	if (!blank && !startsBlock(line, first)) return stack.length - 1;
	for (let at = stack.length - 1; at >= 0; at--) if (indent >= stack[at]!.contentIndent) return at;
	return -1;
}

/** Whether a line (whose first non-blank character is `first`) starts a block that ends a list item's lazy continuation. */
function startsBlock(line: string, first: string): boolean {
	switch (first) {
		case '#':
			return ATX_HEADING.test(line);
		case '-':
		case '*':
		case '_':
			return THEMATIC_BREAK.test(line);
		case '`':
		case '~':
			return FENCE.test(line);
		case '<':
			return COMMENT.test(line);
		default:
			return false;
	}
}

/** The width of a line's leading whitespace, tabs to the next multiple of 4. */
function columns(line: string): number {
	let width = 0;
	for (const char of line) {
		if (char === ' ') width += 1;
		else if (char === '\t') width += 4 - (width % 4);
		else break;
	}
	return width;
}

/** How many columns `whitespace` spans when it starts at `column`. */
function widthFrom(column: number, whitespace: string): number {
	let at = column;
	for (const char of whitespace) at += char === '\t' ? 4 - (at % 4) : 1;
	return at - column;
}

/** Removes up to `indent` columns of leading whitespace from every line. */
function dedent(lines: string[], indent: number): string {
	return lines
		.map((line) => {
			let width = 0;
			let cut = 0;
			while (cut < line.length && width < indent) {
				const char = line[cut]!;
				if (char === ' ') width += 1;
				else if (char === '\t') width += 4 - (width % 4);
				else break;
				cut++;
			}
			return line.slice(cut).trimEnd();
		})
		.join('\n');
}
