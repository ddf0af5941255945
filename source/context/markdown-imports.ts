/** One line of a Markdown file with the `@path` imports written on it. */
export interface ScannedLine {
	/** The line as written, with its line ending (none on a last line without one). */
	text: string;
	/** Import paths in order of appearance, without the `@`. */
	imports: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * An import is `@` at the start of a line or after a space or an opening bracket, followed by a path
 * (no spaces, quotes, brackets, `,`, `;`, `|` or `:` — so URLs and `user@host` are not imports).
 */
const IMPORT = /(^|[\s([{])@([^\s`'"<>()[\]{}|,;:]+)/gu;

/**
 * Splits Markdown into lines and finds the `@path` imports on each. Imports inside fenced code blocks
 * (``` or ~~~, closed by a fence of the same character at least as long) and inside code spans are
 * not imports; a code span is taken within one line. Trailing `.`, `!` and `?` (the end of a
 * sentence) are not part of the path. Pure; never throws.
 */
export function scanImports(text: string): ScannedLine[] {
	const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
	const scanned: ScannedLine[] = [];
	let fence: { char: string; length: number } | undefined;
	for (const line of lines) {
		const body = line.replace(/\r?\n$/, '');
		const marker = FENCE.exec(body);
		if (fence) {
			if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && marker[2]!.trim() === '') fence = undefined;
			scanned.push({ text: line, imports: [] });
			continue;
		}
		if (marker && !(marker[1]![0] === '`' && marker[2]!.includes('`'))) {
			fence = { char: marker[1]![0]!, length: marker[1]!.length };
			scanned.push({ text: line, imports: [] });
			continue;
		}
		scanned.push({ text: line, imports: importsOnLine(body) });
	}
	return scanned;
}

function importsOnLine(line: string): string[] {
	if (!line.includes('@')) return [];
	const spans = codeSpans(line);
	const found: string[] = [];
	for (const match of line.matchAll(IMPORT)) {
		const at = match.index + match[1]!.length;
		if (spans.some(([start, end]) => at >= start && at < end)) continue;
		const path = match[2]!.replace(/[.!?]+$/, '');
		if (path !== '' && !found.includes(path)) found.push(path);
	}
	return found;
}

/** [start, end) ranges of the code spans on a line: a run of n backticks up to the next run of exactly n. */
function codeSpans(line: string): [number, number][] {
	const spans: [number, number][] = [];
	const runs = [...line.matchAll(/`+/g)].map((match) => ({ start: match.index, length: match[0].length }));
	for (let index = 0; index < runs.length; index++) {
		const open = runs[index]!;
		const close = runs.findIndex((run, later) => later > index && run.length === open.length);
		if (close === -1) continue;
		spans.push([open.start, runs[close]!.start + open.length]);
		index = close;
	}
	return spans;
}
