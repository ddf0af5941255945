/**
 * Pure text edits of a memory file: appending an entry as a bullet and removing entries, touching
 * nothing else in the file (hand-written structure, comments and line endings stay as they are).
 */
import type { MemoryFile } from './memory-files.ts';
import { type MemoryEntry, parseMemory, splitLines } from './memory-parse.ts';

/** The longest entry accepted: memory holds short facts, one per entry. */
export const MAX_ENTRY_CHARS = 2_000;

/** What a new file starts with. */
const TITLES: Record<MemoryFile, string> = { MEMORY: '# Memory', AGREEMENTS: '# Agreements' };

/**
 * The text of a new entry as it will be stored: trimmed, `\r\n` made `\n`, a leading list marker
 * (`- `, `* `, `1. `) removed, trailing spaces and runs of blank lines squeezed. An error message
 * when nothing is left or it is longer than `MAX_ENTRY_CHARS`.
 */
export function normaliseEntry(text: string): { text: string } | { error: string } {
	const cleaned = text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim()
		.replace(/^(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/, '')
		.trim();
	if (cleaned === '') return { error: 'The text is empty; give the fact or rule to remember.' };
	if (cleaned.length > MAX_ENTRY_CHARS) {
		return { error: `The text has ${cleaned.length} characters; an entry holds one short fact or rule (at most ${MAX_ENTRY_CHARS}). Split it or shorten it.` };
	}
	return { text: cleaned };
}

/** How entries compare when matching: case, spacing, a list marker and a final full stop do not count. */
export function comparable(text: string): string {
	return text
		.replace(/^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+/, '')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/\.$/, '')
		.toLowerCase();
}

/**
 * The file's text with `entry` (already normalised) appended as a bullet at the end: right after a
 * list that ends the file, else after a blank line. A missing or empty file first gets its title.
 * Continuation lines are indented under the bullet. The file's line ending (`\n` or `\r\n`) is kept.
 * `parsed` is `parseMemory(fileText)` when the caller has it.
 */
export function appendEntry(fileText: string, file: MemoryFile, entry: string, parsed: readonly MemoryEntry[] = parseMemory(fileText)): string {
	const eol = fileText.includes('\r\n') ? '\r\n' : '\n';
	const bullet = entry
		.split('\n')
		.map((line, at) => (at === 0 ? `- ${line}` : line === '' ? '' : `  ${line}`))
		.join(eol);
	if (fileText.trim() === '') return `${TITLES[file]}${eol}${eol}${bullet}${eol}`;
	const base = fileText.endsWith('\n') ? fileText : `${fileText}${eol}`;
	const lines = splitLines(base);
	let lastText = lines.length - 1;
	while (lastText >= 0 && lines[lastText]!.trim() === '') lastText--;
	const last = parsed.at(-1);
	const endsWithList = last?.kind === 'item' && last.end === lastText + 1;
	const separated = lastText < lines.length - 1;
	return `${base}${endsWithList || separated ? '' : eol}${bullet}${eol}`;
}

export type RemovalPlan = { entries: MemoryEntry[] } | { error: string };

/**
 * Which entries `text` designates in `fileText`: every entry equal to it (ignoring case, spacing, a
 * list marker and a final full stop), else the one entry that contains it. An error message (for
 * the model) when none does, when several do, or when the entry has entries nested under it.
 * `entries` is `parseMemory(fileText)` when the caller has it.
 */
export function planRemoval(fileText: string, rel: string, text: string, entries: readonly MemoryEntry[] = parseMemory(fileText)): RemovalPlan {
	const wanted = comparable(text);
	if (wanted === '') return { error: 'The text is empty; give the text of the entry to remove.' };
	let found = entries.filter((entry) => comparable(entry.text) === wanted);
	if (found.length === 0) {
		found = entries.filter((entry) => comparable(entry.text).includes(wanted));
		if (found.length > 1) {
			const shown = found.slice(0, 5).map((entry) => `- ${oneLine(entry.text)}`);
			const more = found.length > 5 ? `\n(and ${found.length - 5} more)` : '';
			return { error: `"${oneLine(text)}" is part of ${found.length} entries in ${rel}; give the whole text of the one to remove:\n${shown.join('\n')}${more}` };
		}
	}
	if (found.length === 0) {
		return { error: `No entry in ${rel} matches "${oneLine(text)}". Search with memory_search and give the entry's text.` };
	}
	const parent = found.find((entry) => entry.hasChildren);
	if (parent) {
		return { error: `The entry "${oneLine(parent.text)}" in ${rel} has entries nested under it; remove those first, or leave the file to the user.` };
	}
	return { entries: found };
}

/**
 * The file's text without the lines of `entries` (and, where an entry stood alone between blank
 * lines, one of those blank lines). Everything else is kept byte for byte.
 */
export function removeEntries(fileText: string, entries: readonly MemoryEntry[]): string {
	const starts = lineStarts(fileText);
	const lineCount = starts.length - 1;
	const blankLine = (line: number) => line >= 0 && line < lineCount && fileText.slice(starts[line], starts[line + 1]).trim() === '';
	const cuts = entries.map((entry) => {
		let end = entry.end;
		const blankBefore = entry.start === 0 || blankLine(entry.start - 1);
		if (blankBefore && blankLine(end)) end += 1;
		return [starts[entry.start]!, starts[Math.min(end, lineCount)]!] as const;
	});
	cuts.sort((a, b) => b[0] - a[0]);
	let text = fileText;
	for (const [from, to] of cuts) text = text.slice(0, from) + text.slice(to);
	return text;
}

/** Offsets where each line starts, plus the text's length at the end. */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
	if (starts.at(-1) !== text.length) starts.push(text.length);
	return starts;
}

function oneLine(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}
