import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { errorMessage } from '../source/runtime/events.ts';
import { defineTool, MAX_TOOL_OUTPUT_CHARS, type ToolResult } from '../source/runtime/tool.ts';
import { looksBinary } from './binary-file.ts';
import { listRepositoryFiles } from './file-list.ts';
import { globMatcher } from './glob-pattern.ts';
import { isMissing, resolveToolPath } from './tool-path.ts';

/** The most matching lines listed; the rest are counted in a marker. */
export const GREP_MAX_MATCHES = 200;
/** Files larger than this are skipped (and the skip is reported). */
export const GREP_MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_LINE_CHARS = 300;
const OUTPUT_BUDGET = MAX_TOOL_OUTPUT_CHARS - 1000;
const PARALLEL_READS = 16;

/**
 * grep: a JavaScript RegExp over the repository's files (the same list as glob, so .gitignored files
 * never appear), optionally within one folder or file and filtered by a glob. Skips binary files,
 * files over 5 MB and symbolic links. Output `path:line: text`, long lines cut, capped with a marker.
 */
export const grepTool = defineTool({
	name: 'grep',
	description: 'Search file contents with a JavaScript regex, optionally only under path and in files matching glob; prints path:line: text. Respects .gitignore.',
	parameters: z.object({
		pattern: z.string(),
		path: z.string().optional(),
		glob: z.string().optional(),
	}),
	access: 'read',
	async execute({ pattern, path, glob }, ctx): Promise<ToolResult> {
		if (pattern === '') return { content: 'The pattern is empty; give a regular expression.', isError: true };
		let regex: RegExp;
		try {
			regex = new RegExp(pattern);
		} catch (error) {
			return {
				content: `Invalid regular expression: ${errorMessage(error)}. The pattern is a JavaScript RegExp; escape ( ) [ ] { } . * + ? | \\ with a backslash to match them literally.`,
				isError: true,
			};
		}
		let files: string[];
		if (path === undefined || path === '' || path === '.') {
			files = await listRepositoryFiles(ctx.root, ctx.signal);
		} else {
			const target = resolveToolPath(ctx, path);
			if ('error' in target) return target.error;
			try {
				const info = await stat(target.abs);
				ctx.touched(target.rel);
				files = info.isDirectory()
					? (await listRepositoryFiles(ctx.root, ctx.signal)).filter((file) => target.rel === '.' || file.startsWith(`${target.rel}/`))
					: [target.rel];
			} catch (error) {
				if (!isMissing(error)) throw error;
				return { content: `Not found: ${target.rel}. Use glob to find the right path.`, isError: true };
			}
		}
		if (glob !== undefined && glob !== '') {
			try {
				files = files.filter(globMatcher(glob, ctx.root));
			} catch (error) {
				return { content: `Invalid glob: ${errorMessage(error)}`, isError: true };
			}
		}

		const shown: string[] = [];
		let chars = 0;
		let total = 0;
		let tooLarge = 0;
		for (let index = 0; index < files.length; index += PARALLEL_READS) {
			ctx.signal.throwIfAborted();
			const batch = files.slice(index, index + PARALLEL_READS);
			const texts = await Promise.all(batch.map((file) => readSearchable(join(ctx.root, file))));
			batch.forEach((file, position) => {
				const read = texts[position];
				if (read === TOO_LARGE) tooLarge += 1;
				if (typeof read !== 'string') return;
				const lines = read.split('\n');
				for (let line = 0; line < lines.length; line += 1) {
					const content = (lines[line] ?? '').replace(/\r$/, '');
					if (!regex.test(content)) continue;
					total += 1;
					const entry = `${file}:${line + 1}: ${cut(content)}`;
					if (shown.length < GREP_MAX_MATCHES && chars + entry.length + 1 <= OUTPUT_BUDGET) {
						shown.push(entry);
						chars += entry.length + 1;
					}
				}
			});
		}
		const notes: string[] = [];
		if (total > shown.length) notes.push(`[${total - shown.length} more matches not shown; narrow the pattern, path or glob]`);
		if (tooLarge > 0) notes.push(`[${tooLarge} files over ${GREP_MAX_FILE_BYTES / 1024 / 1024} MB not searched]`);
		const body = shown.length > 0 ? shown.join('\n') : `No matches in ${files.length} files.`;
		return { content: [body, ...notes].join('\n'), details: { pattern, matches: total, files: files.length } };
	},
});

const TOO_LARGE = Symbol('too large');

/**
 * The file's text; TOO_LARGE, or null for a binary, unreadable or special file. Never follows a
 * symbolic link, which could lead outside the repository.
 */
async function readSearchable(path: string): Promise<string | typeof TOO_LARGE | null> {
	let handle;
	try {
		handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	} catch {
		return null;
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) return null;
		if (info.size > GREP_MAX_FILE_BYTES) return TOO_LARGE;
		const bytes = await handle.readFile();
		return looksBinary(bytes) ? null : bytes.toString('utf8');
	} catch {
		return null;
	} finally {
		await handle.close();
	}
}

function cut(line: string): string {
	return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}… [line cut]`;
}
