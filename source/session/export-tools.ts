import type { EventOf } from '../runtime/events.ts';
import { lineDiff } from '../ui/render/diff.ts';
import { editDetails, keyArgument } from '../ui/render/tool-summary.ts';

/** Lines of a diff, a command's output or a tool's result shown in an export before the rest is counted. */
export const MAX_DIFF_LINES = 60;
export const MAX_OUTPUT_LINES = 20;

/** Tools whose outcome another event already tells (the plan, the message to the user). */
const TOLD_ELSEWHERE = new Set(['plan_update', 'user_send_message']);

/**
 * A finished tool call as Markdown: an edit as its path, counts and a unified diff; a shell command
 * with its exit code and the end of its output; a diff tool with its diff; any other call as one
 * bullet line (`*`, so it never joins a plan's `-` task list) with its key argument and a short
 * outcome. `block` is false for such a bullet (consecutive bullets form one list). Undefined for a successful call another event tells.
 */
export function toolMarkdown(end: EventOf<'tool-end'>, args: unknown): { text: string; block: boolean } | undefined {
	const failed = end.interrupted || end.isError;
	if (TOLD_ELSEWHERE.has(end.name) && !failed) return undefined;
	const key = keyArgument(end.name, args);
	const call = `\`${end.name}\`${key === '' ? '' : ` ${inlineCode(key)}`}`;
	if (end.interrupted) return { text: `* ${call} — interrupted`, block: false };
	const edit = editDetails(end.details);
	if (edit && !end.isError) {
		const { added, removed, body } = unifiedDiff(edit.before, edit.after);
		const what = edit.before === null ? 'Created' : 'Edited';
		return { text: `**${what}** ${inlineCode(edit.path)} (+${added} −${removed})\n\n${fence(body, 'diff')}`, block: true };
	}
	if (end.name === 'shell') {
		const details = (end.details ?? {}) as { exitCode?: number | null; timedOut?: boolean };
		const outcome = details.timedOut ? 'timed out' : typeof details.exitCode === 'number' ? `exit ${details.exitCode}` : end.isError ? 'failed' : 'done';
		return { text: `**Ran** ${inlineCode(key)} — ${outcome}\n\n${fence(tail(end.content, MAX_OUTPUT_LINES), 'text')}`, block: true };
	}
	if (end.name === 'git_diff' && !end.isError && !(end.details as { empty?: boolean } | undefined)?.empty) {
		return { text: `**Diff**${key === '' ? '' : ` ${inlineCode(key)}`}\n\n${fence(head(end.content, MAX_DIFF_LINES), 'diff')}`, block: true };
	}
	return { text: `* ${call} — ${end.isError ? `failed: ${firstLine(end.content)}` : outcomeOf(end)}`, block: false };
}

/** A short outcome for a read or search, from its details when they say more than its first line. */
function outcomeOf(end: EventOf<'tool-end'>): string {
	const details = (end.details ?? {}) as Record<string, unknown>;
	if (end.name === 'read_file' && typeof details.totalLines === 'number') {
		if (details.totalLines === 0) return 'empty';
		if (typeof details.firstLine === 'number' && typeof details.lastLine === 'number') return `lines ${details.firstLine}–${details.lastLine} of ${details.totalLines}`;
	}
	if (end.name === 'grep' && typeof details.matches === 'number') {
		// `details.files` counts the files searched; the files that match are named in the shown lines.
		const shown = end.content.split('\n').map((line) => /^(.+?):\d+: /.exec(line)?.[1]).filter((file) => file !== undefined);
		const where = shown.length === details.matches && shown.length > 0 ? ` in ${plural(new Set(shown).size, 'file', 'files')}` : '';
		return `${plural(details.matches, 'match', 'matches')}${where}`;
	}
	if (end.name === 'glob' && typeof details.count === 'number') return plural(details.count, 'file', 'files');
	return firstLine(end.content);
}

/** `@@` hunks with 2 lines of context, at most MAX_DIFF_LINES lines, plus the counts. */
export function unifiedDiff(before: string | null, after: string): { added: number; removed: number; body: string } {
	const lines = lineDiff(before ?? '', after);
	const added = lines.filter((line) => line.kind === 'add').length;
	const removed = lines.filter((line) => line.kind === 'remove').length;
	const out: string[] = [];
	const context = 2;
	let index = 0;
	while (index < lines.length) {
		while (index < lines.length && lines[index]!.kind === 'context') index++;
		if (index >= lines.length) break;
		const start = Math.max(0, index - context);
		let last = index;
		for (let scan = index + 1; scan < lines.length && scan - last <= 2 * context + 1; scan++) if (lines[scan]!.kind !== 'context') last = scan;
		const end = Math.min(lines.length, last + 1 + context);
		const slice = lines.slice(start, end);
		const oldStart = slice.find((line) => line.oldLine !== undefined)?.oldLine ?? 0;
		const newStart = slice.find((line) => line.newLine !== undefined)?.newLine ?? 0;
		const oldCount = slice.filter((line) => line.kind !== 'add').length;
		const newCount = slice.filter((line) => line.kind !== 'remove').length;
		out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
		for (const line of slice) out.push(`${line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' '}${line.text}`);
		index = end;
	}
	if (out.length === 0) out.push('(no changes)');
	return { added, removed, body: head(out.join('\n'), MAX_DIFF_LINES) };
}

/** A fenced code block that `text` cannot close early: the fence is longer than any backtick run in it. */
export function fence(text: string, lang = ''): string {
	const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const marks = '`'.repeat(Math.max(3, longest + 1));
	return `${marks}${lang}\n${text.replace(/\n+$/, '')}\n${marks}`;
}

/** Inline code that survives backticks inside. */
export function inlineCode(text: string): string {
	const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const marks = '`'.repeat(longest + 1);
	const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
	return `${marks}${pad}${text}${pad}${marks}`;
}

/** The first `max` lines, and how many more there were. */
export function head(text: string, max: number): string {
	const lines = text.replace(/\n+$/, '').split('\n');
	if (lines.length <= max) return lines.join('\n');
	return `${lines.slice(0, max).join('\n')}\n… ${lines.length - max} more lines`;
}

/** The last `max` lines (leading and trailing blank lines dropped), and how many came before. */
export function tail(text: string, max: number): string {
	const lines = text.replace(/^\s*\n/, '').replace(/\n+$/, '').split('\n');
	if (lines.length <= max) return lines.join('\n');
	return `… ${lines.length - max} lines before\n${lines.slice(-max).join('\n')}`;
}

function firstLine(text: string): string {
	const line = (text.split('\n', 1)[0] ?? '').trim();
	return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function plural(count: number, one: string, many: string): string {
	return `${count} ${count === 1 ? one : many}`;
}
