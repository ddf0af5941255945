import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage } from '../runtime/events.ts';
import { isSecretPath, resolveInsideRoot } from '../sandbox/paths.ts';
import { type Budget, formatBytes } from './agent-file-budget.ts';
import { readHead, statOrUndefined } from './agent-file-read.ts';
import type { AgentFileRecord, ContextWarning } from './agent-file-records.ts';
import { scanImports } from './markdown-imports.ts';

/** How deep imports nest: a file loaded for itself imports at depth 1, and nothing is imported at depth 6. */
export const MAX_IMPORT_DEPTH = 5;

/** Where loaded files go. One sink is shared by every file of a load (start-up, or one touch). */
export interface LoadSink {
	budget: Budget;
	/** Whether a real path is already before the model: each file goes in once. */
	has(abs: string): boolean;
	/** Records a file as loaded under its real path. */
	add(abs: string, record: AgentFileRecord): void;
	warn(warning: ContextWarning): void;
	/** Called with every path read or looked for, so that a later change can be noticed. */
	track?(abs: string): void;
}

/** Where a file lives: its imports stay inside `confine` (a real folder); `label` names a real path for people and the model. */
export interface FileScope {
	confine: string;
	/** Names `confine` in messages: "the repository", "the global AGENT.md's folder". */
	name: string;
	label(abs: string): string;
}

/** A file that was read: the head `text` of a file of `size` bytes at the real path `abs`. */
export interface ReadFile {
	abs: string;
	text: string;
	size: number;
}

/**
 * Renders a file with its `@path` imports expanded: each imported file follows the line that names it,
 * between `--- <path> (imported by <file>) ---` and `--- end of <path> ---`, its own imports expanded
 * likewise. Every byte is taken from the sink's budget; where the budget runs out the text ends with
 * a visible notice saying what was left out. Records the file and each import in the sink. A refused
 * import (a cycle, a path leaving `scope.confine`, nesting deeper than `MAX_IMPORT_DEPTH`, a secret
 * file such as `.env`) stays as written, followed by a one-line note, and is reported as a warning;
 * a missing one is left as text (and reported when it looks like a path: it has a `/` or a `.`).
 * An import already loaded is not repeated. Never throws.
 */
export function renderAgentFile(sink: LoadSink, scope: FileScope, file: ReadFile, reason: string): string {
	return render(sink, scope, file, reason, [file.abs]);
}

function render(sink: LoadSink, scope: FileScope, file: ReadFile, reason: string, stack: string[]): string {
	const label = scope.label(file.abs);
	const record: AgentFileRecord = { path: label, reason, bytes: 0, size: file.size, truncated: false };
	sink.add(file.abs, record);
	const out: string[] = [];
	let cut = false;
	lines: for (const line of scanImports(file.text)) {
		const taken = sink.budget.take(line.text);
		out.push(taken.text);
		record.bytes += Buffer.byteLength(taken.text);
		if (taken.cut) {
			cut = true;
			break;
		}
		for (const path of line.imports) {
			const block = importBlock(sink, scope, file.abs, label, path, stack);
			if (block === undefined) {
				cut = true;
				break lines;
			}
			if (block === '') continue;
			if (!out.at(-1)!.endsWith('\n')) out.push('\n');
			out.push(block);
		}
	}
	if (cut || record.bytes < file.size) {
		record.truncated = true;
		const left = file.size - record.bytes;
		const cap = formatBytes(sink.budget.max);
		const what = record.bytes === 0 && left > 0 ? `${label} (${formatBytes(left)}) is left out` : `The rest of ${label} (${left > 0 ? formatBytes(left) : 'its imports'}) is left out`;
		sink.warn({ kind: 'truncated', file: label, message: `${what} by the size cap (${cap} for all AGENT.md files and imports).` });
		if (out.length > 0 && !out.at(-1)!.endsWith('\n')) out.push('\n');
		out.push(`[Orbit: ${what}: AGENT.md files and their imports are capped at ${cap} in all. Read it with read_file if you need it.]\n`);
	}
	return out.join('');
}

/**
 * The text that follows the line naming an import. Orbit's own lines (headers, notes) are charged
 * to the budget too; undefined when they no longer fit (the importing file is cut there).
 */
function importBlock(sink: LoadSink, scope: FileScope, importer: string, importerLabel: string, path: string, stack: string[]): string | undefined {
	const charge = (text: string): boolean => {
		const bytes = Buffer.byteLength(text);
		if (bytes > sink.budget.remaining) return false;
		sink.budget.used += bytes;
		return true;
	};
	const note = (kind: ContextWarning['kind'], message: string, why: string) => {
		sink.warn({ kind, file: importerLabel, message });
		const text = `[Orbit: @${path} not imported: ${why}.]\n`;
		return charge(text) ? text : undefined;
	};
	const target = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : resolve(dirname(importer), path);
	if (!isInside(scope.confine, target)) return note('escape', `${importerLabel}: @${path} points outside ${scope.name}; imports stay inside ${scope.confine}.`, `outside ${scope.name}`);
	let real: string;
	try {
		real = resolveInsideRoot(scope.confine, target);
	} catch (error) {
		return note('escape', `${importerLabel}: @${path} refused: ${errorMessage(error)}`, `outside ${scope.name}`);
	}
	sink.track?.(real);
	const stat = statOrUndefined(real);
	if (stat === undefined || !stat.isFile()) {
		const looksLikePath = /[./]/.test(path);
		if (looksLikePath) sink.warn({ kind: 'missing', file: importerLabel, message: `${importerLabel}: @${path} is ${stat ? 'not a file' : 'not found'} (${scope.label(real)}); left as text.` });
		return '';
	}
	const label = scope.label(real);
	if (isSecretPath(relative(scope.confine, real))) return note('secret', `${importerLabel}: @${path} refused: ${label} looks like a secret file.`, 'it looks like a secret file');
	if (stack.includes(real)) {
		const chain = [...stack.slice(stack.indexOf(real)), real].map((abs) => scope.label(abs)).join(' → ');
		return note('cycle', `${importerLabel}: import cycle ${chain}; @${path} not imported again.`, 'import cycle');
	}
	if (stack.length > MAX_IMPORT_DEPTH) {
		return note('depth', `${importerLabel}: @${path} not imported: imports nest at most ${MAX_IMPORT_DEPTH} deep.`, `imports nest at most ${MAX_IMPORT_DEPTH} deep`);
	}
	if (sink.has(real)) {
		const text = `[Orbit: ${label} is already loaded.]\n`;
		return charge(text) ? text : undefined;
	}
	const header = `--- ${label} (imported by ${importerLabel}) ---\n`;
	const footer = `--- end of ${label} ---\n`;
	if (!charge(header + footer)) return undefined;
	let file: ReadFile;
	try {
		file = { abs: real, ...readHead(real, sink.budget.remaining) };
	} catch (error) {
		sink.budget.used -= Buffer.byteLength(header + footer);
		return note('unreadable', `${importerLabel}: @${path} could not be read: ${errorMessage(error)}`, 'unreadable');
	}
	const body = render(sink, scope, file, `imported by ${importerLabel}`, [...stack, real]);
	return `${header}${body}${body === '' || body.endsWith('\n') ? '' : '\n'}${footer}`;
}

/** Whether `abs` is `folder` or inside it (lexically). */
export function isInside(folder: string, abs: string): boolean {
	const rel = relative(folder, abs);
	return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
