import type { Segment, StyledLine, Token } from './styled-line.ts';
import { displayWidth, expandTabs, sanitize, wrapSegments } from './wrap.ts';

/**
 * Line diffs for showing file edits (Myers, with unique-line anchoring for large changes) and a
 * unified-diff style renderer with hunks and line numbers.
 */

export interface DiffLine {
	kind: 'context' | 'add' | 'remove';
	text: string;
	/** 1-based line number in `before` (context and remove lines). */
	oldLine?: number;
	/** 1-based line number in `after` (context and add lines). */
	newLine?: number;
}

/** Myers gives up past this many edits (its trace takes O(D²) memory). */
const MAX_EDIT_DISTANCE = 1_000;
/** How deep anchoring on unique lines may recurse before a gap is simply shown as replaced. */
const MAX_ANCHOR_DEPTH = 2;
/** Changed regions bigger than this (both sides' lines) are anchored instead, Myers filling the gaps. */
const ANCHOR_FIRST_LINES = 2_000;

/** Lines of a text; a final newline does not start another line, and '' has none. */
function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split('\n');
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

/**
 * Every line of `before` and `after` in order, each kept, removed or added; within a changed block
 * removals come before additions. After trimming the common prefix and suffix, a small middle is
 * diffed by Myers' algorithm (minimal when it differs by at most 1,000 lines). A large middle
 * (over 2,000 lines), or one Myers gives up on, is anchored on lines that occur exactly once on each
 * side (as patience diff does) and the gaps between anchors are diffed the same way; what has no
 * such anchor, or is still too different two levels down, is shown as replaced. Lines compare exactly; whether the text ends with a newline is
 * ignored. Never throws.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
	const oldLines = splitLines(before);
	const newLines = splitLines(after);
	const result: DiffLine[] = [];
	let oldIndex = 0;
	let newIndex = 0;
	let pendingAdds: DiffLine[] = [];
	const flushAdds = (): void => {
		for (const line of pendingAdds) result.push(line);
		pendingAdds = [];
	};
	for (const edit of diffRange(oldLines, newLines, 0)) {
		if (edit === 'add') {
			pendingAdds.push({ kind: 'add', text: newLines[newIndex]!, newLine: newIndex + 1 });
			newIndex++;
		} else if (edit === 'remove') {
			result.push({ kind: 'remove', text: oldLines[oldIndex]!, oldLine: oldIndex + 1 });
			oldIndex++;
		} else {
			flushAdds();
			result.push({ kind: 'context', text: oldLines[oldIndex]!, oldLine: oldIndex + 1, newLine: newIndex + 1 });
			oldIndex++;
			newIndex++;
		}
	}
	flushAdds();
	return result;
}

type Edit = 'keep' | 'add' | 'remove';

function diffRange(oldLines: readonly string[], newLines: readonly string[], depth: number): Edit[] {
	let prefix = 0;
	while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
	let suffix = 0;
	while (
		suffix < oldLines.length - prefix &&
		suffix < newLines.length - prefix &&
		oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
	) {
		suffix++;
	}
	const oldMiddle = oldLines.slice(prefix, oldLines.length - suffix);
	const newMiddle = newLines.slice(prefix, newLines.length - suffix);
	const anchor = (): Edit[] | undefined => (depth < MAX_ANCHOR_DEPTH ? anchored(oldMiddle, newMiddle, depth) : undefined);
	const exact = (): Edit[] | undefined => myers(oldMiddle, newMiddle);
	const middle =
		(oldMiddle.length + newMiddle.length > ANCHOR_FIRST_LINES ? anchor() : (exact() ?? anchor())) ??
		replaced(oldMiddle.length, newMiddle.length);
	const edits: Edit[] = new Array<Edit>(prefix).fill('keep');
	for (const edit of middle) edits.push(edit);
	for (let index = 0; index < suffix; index++) edits.push('keep');
	return edits;
}

function replaced(removed: number, added: number): Edit[] {
	return [...new Array<Edit>(removed).fill('remove'), ...new Array<Edit>(added).fill('add')];
}

/**
 * Keeps the longest in-order run of lines unique on both sides and diffs the gaps between them;
 * undefined when there is no such line.
 */
function anchored(oldLines: readonly string[], newLines: readonly string[], depth: number): Edit[] | undefined {
	const uniqueIndex = (lines: readonly string[]): Map<string, number> => {
		const index = new Map<string, number>();
		lines.forEach((line, at) => index.set(line, index.has(line) ? -1 : at));
		return index;
	};
	const inOld = uniqueIndex(oldLines);
	const inNew = uniqueIndex(newLines);
	const pairs: Array<[oldAt: number, newAt: number]> = [];
	newLines.forEach((line, newAt) => {
		const oldAt = inOld.get(line) ?? -1;
		if (oldAt >= 0 && inNew.get(line) === newAt) pairs.push([oldAt, newAt]);
	});
	if (pairs.length === 0) return undefined;

	// Longest increasing subsequence of old positions (patience sorting), O(k log k).
	const tails: number[] = [];
	const previous = new Int32Array(pairs.length).fill(-1);
	pairs.forEach(([oldAt], at) => {
		let low = 0;
		let high = tails.length;
		while (low < high) {
			const mid = (low + high) >> 1;
			if (pairs[tails[mid]!]![0] < oldAt) low = mid + 1;
			else high = mid;
		}
		if (low > 0) previous[at] = tails[low - 1]!;
		tails[low] = at;
	});
	const anchors: Array<[number, number]> = [];
	for (let at = tails[tails.length - 1]!; at >= 0; at = previous[at]!) anchors.push(pairs[at]!);
	anchors.reverse();

	const edits: Edit[] = [];
	let oldFrom = 0;
	let newFrom = 0;
	for (const [oldAt, newAt] of [...anchors, [oldLines.length, newLines.length] as [number, number]]) {
		if (oldAt > oldFrom || newAt > newFrom) {
			for (const edit of diffRange(oldLines.slice(oldFrom, oldAt), newLines.slice(newFrom, newAt), depth + 1)) edits.push(edit);
		}
		if (oldAt < oldLines.length) edits.push('keep');
		oldFrom = oldAt + 1;
		newFrom = newAt + 1;
	}
	return edits;
}

/** Myers' O((N+M)·D) shortest edit script; undefined when D exceeds MAX_EDIT_DISTANCE. */
function myers(oldLines: readonly string[], newLines: readonly string[]): Edit[] | undefined {
	const n = oldLines.length;
	const m = newLines.length;
	if (n === 0 || m === 0) return replaced(n, m);
	const ids = new Map<string, number>();
	const intern = (line: string): number => {
		let id = ids.get(line);
		if (id === undefined) ids.set(line, (id = ids.size));
		return id;
	};
	const a = Int32Array.from(oldLines, intern);
	const b = Int32Array.from(newLines, intern);
	const maxD = Math.min(n + m, MAX_EDIT_DISTANCE);
	const offset = maxD + 1;
	const v = new Int32Array(2 * maxD + 3);
	// trace[d] holds v[k] for k in -d..d after step d, at index k + d.
	const trace: Int32Array[] = [];
	let found = -1;
	for (let d = 0; d <= maxD && found < 0; d++) {
		for (let k = -d; k <= d; k += 2) {
			let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
			let y = x - k;
			while (x < n && y < m && a[x] === b[y]) {
				x++;
				y++;
			}
			v[offset + k] = x;
			if (x >= n && y >= m) found = d;
		}
		trace.push(v.slice(offset - d, offset + d + 1));
	}
	if (found < 0) return undefined;

	const edits: Edit[] = [];
	let x = n;
	let y = m;
	for (let d = found; d > 0; d--) {
		const previous = trace[d - 1]!;
		const k = x - y;
		const at = (diagonal: number): number => previous[diagonal + d - 1]!;
		const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
		const previousK = down ? k + 1 : k - 1;
		const previousX = at(previousK);
		const previousY = previousX - previousK;
		while (x > previousX && y > previousY) {
			edits.push('keep');
			x--;
			y--;
		}
		edits.push(down ? 'add' : 'remove');
		x = previousX;
		y = previousY;
	}
	while (x > 0 && y > 0) {
		edits.push('keep');
		x--;
		y--;
	}
	return edits.reverse();
}

export interface RenderDiffOptions {
	/** Unchanged lines shown around each change (default 3). */
	context?: number;
	/** Most rows returned, header and "… N more lines" row included (default 80, minimum 2). */
	maxLines?: number;
}

/**
 * Renders the change from `before` to `after` (`before === null`: a new file, all added) as rows no
 * wider than `width`: one header row with the path (cut from the left when long) and `+N -M`, then
 * hunks (`@@ -a,b +c,d @@`, `diffHunk`) of `+` (`diffAdd`), `-` (`diffRemove`) and context
 * (`muted`) rows, each with its line number (the old one for removals, the new one otherwise).
 * Long lines continue on the next row under the text. At most `maxLines` rows: what does not fit
 * becomes a muted "… N more lines" row, N counting the diff lines not shown. Text is sanitised.
 * Never throws.
 */
export function renderDiff(path: string, before: string | null, after: string, width: number, options: RenderDiffOptions = {}): StyledLine[] {
	const columns = Math.max(1, Math.floor(Number.isFinite(width) ? width : 1));
	const context = Math.max(0, Math.floor(options.context ?? 3));
	const maxLines = Math.max(2, Math.floor(options.maxLines ?? 80));
	const lines = lineDiff(before ?? '', after);
	let added = 0;
	let removed = 0;
	for (const line of lines) {
		if (line.kind === 'add') added++;
		else if (line.kind === 'remove') removed++;
	}

	const rows: StyledLine[] = [headerRow(path, added, removed, before === null, columns)];
	if (added === 0 && removed === 0) {
		rows.push(...wrapSegments([{ text: '(no changes)', token: 'muted' }], columns, { hard: true }).slice(0, 1));
		return rows;
	}

	const numberWidth = String(Math.max(lines.length - added, lines.length - removed)).length;
	const body = hunks(lines, context);
	let remaining = body.reduce((sum, hunk) => sum + hunk.lines.length, 0);
	for (const hunk of body) {
		for (const [index, line] of hunk.lines.entries()) {
			const produced = renderLine(line, numberWidth, columns);
			if (index === 0) produced.unshift(...wrapSegments([{ text: hunk.header, token: 'diffHunk' }], columns, { hard: true }).slice(0, 1));
			const reserve = remaining > 1 ? 1 : 0;
			if (rows.length + produced.length + reserve > maxLines) {
				rows.push(...wrapSegments([{ text: `… ${remaining} more lines`, token: 'muted' }], columns, { hard: true }).slice(0, 1));
				return rows;
			}
			rows.push(...produced);
			remaining--;
		}
	}
	return rows;
}

function headerRow(path: string, added: number, removed: number, isNew: boolean, columns: number): StyledLine {
	const counts: Segment[] = [
		{ text: ` +${added}`, token: 'diffAdd' },
		{ text: ` -${removed}`, token: 'diffRemove' },
	];
	if (isNew) counts.push({ text: ' (new file)', token: 'muted' });
	const countsWidth = counts.reduce((sum, segment) => sum + displayWidth(segment.text), 0);
	let shownPath = expandTabs(sanitize(path).replace(/\n/g, ' '));
	const room = columns - countsWidth;
	if (room >= 8 && displayWidth(shownPath) > room) {
		const clusters = [...new Intl.Segmenter().segment(shownPath)].map((part) => part.segment);
		let used = 1;
		let first = clusters.length;
		while (first > 0 && used + displayWidth(clusters[first - 1]!) <= room) used += displayWidth(clusters[--first]!);
		shownPath = `…${clusters.slice(first).join('')}`;
	}
	return wrapSegments([{ text: shownPath, token: 'title', bold: true }, ...counts], columns, { hard: true })[0]!;
}

interface Hunk {
	header: string;
	lines: DiffLine[];
}

/** Groups changes with up to `context` unchanged lines around them; groups closer than 2·context merge. */
function hunks(lines: readonly DiffLine[], context: number): Hunk[] {
	const result: Hunk[] = [];
	let oldSeen = 0;
	let newSeen = 0;
	let counted = 0;
	let index = 0;
	while (index < lines.length) {
		while (index < lines.length && lines[index]!.kind === 'context') index++;
		if (index >= lines.length) break;
		const start = Math.max(0, index - context);
		let lastChange = index;
		for (let scan = index + 1; scan < lines.length && scan - lastChange <= 2 * context + 1; scan++) {
			if (lines[scan]!.kind !== 'context') lastChange = scan;
		}
		const end = Math.min(lines.length, lastChange + 1 + context);
		for (; counted < start; counted++) {
			if (lines[counted]!.kind !== 'add') oldSeen++;
			if (lines[counted]!.kind !== 'remove') newSeen++;
		}
		const slice = lines.slice(start, end);
		result.push({ header: hunkHeader(slice, oldSeen, newSeen), lines: slice });
		index = end;
	}
	return result;
}

/** `@@ -a,b +c,d @@`; an empty side is numbered by the line before it, as unified diffs do. */
function hunkHeader(slice: readonly DiffLine[], oldBefore: number, newBefore: number): string {
	let oldCount = 0;
	let newCount = 0;
	for (const line of slice) {
		if (line.kind !== 'add') oldCount++;
		if (line.kind !== 'remove') newCount++;
	}
	const oldStart = oldCount > 0 ? oldBefore + 1 : oldBefore;
	const newStart = newCount > 0 ? newBefore + 1 : newBefore;
	return `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`;
}

const LINE_STYLE: Record<DiffLine['kind'], { sign: string; token: Token }> = {
	add: { sign: '+', token: 'diffAdd' },
	remove: { sign: '-', token: 'diffRemove' },
	context: { sign: ' ', token: 'muted' },
};

function renderLine(line: DiffLine, numberWidth: number, columns: number): StyledLine[] {
	const { sign, token } = LINE_STYLE[line.kind];
	const number = String((line.kind === 'remove' ? line.oldLine : line.newLine) ?? '').padStart(numberWidth);
	return wrapSegments([{ text: line.text, token }], columns, {
		firstPrefix: [
			{ text: `${number} `, token: 'muted' },
			{ text: `${sign} `, token },
		],
		restPrefix: [{ text: ' '.repeat(numberWidth + 3), token: 'text' }],
		hard: true,
	});
}
