import { open, stat } from 'node:fs/promises';
import * as z from 'zod';
import { defineTool, MAX_TOOL_OUTPUT_CHARS, MAX_TOOL_OUTPUT_LINES, type ToolResult } from '../source/runtime/tool.ts';
import { BINARY_SNIFF_BYTES, looksBinary } from './binary-file.ts';
import { readLineWindow } from './read-lines.ts';
import { isMissing, resolveToolPath } from './tool-path.ts';

/** Lines returned when no limit is given, and the largest limit allowed. */
export const READ_LINE_LIMIT = 2000;
/** Longer lines are cut with a marker. */
export const READ_LINE_MAX_CHARS = 2000;

/**
 * read_file: lines numbered like `cat -n`, read as a window (offset, limit) that never loads the whole
 * file. The window also stays under the runtime's output limits (characters and lines), so the hint
 * that names the next offset is always seen. Binary files are described, not shown. Reports the path as touched.
 */
export const readFileTool = defineTool({
	name: 'read_file',
	description: 'Read a text file with numbered lines. Long files come in pages: continue with offset.',
	parameters: z.object({
		path: z.string(),
		// A refinement rather than .int(): .int() puts a 16-digit maximum into the schema the model reads.
		offset: z.number().min(1).refine(Number.isInteger, 'must be a whole number').optional().describe('first line, 1-based'),
		limit: z.number().int().min(1).max(READ_LINE_LIMIT).optional(),
	}),
	access: 'read',
	async execute({ path, offset = 1, limit = READ_LINE_LIMIT }, ctx): Promise<ToolResult> {
		const target = resolveToolPath(ctx, path);
		if ('error' in target) return target.error;
		let size: number;
		try {
			const info = await stat(target.abs);
			if (info.isDirectory()) return { content: `${target.rel} is a directory, not a file. Use glob to list its files.`, isError: true };
			if (!info.isFile()) return { content: `${target.rel} is not a regular file.`, isError: true };
			size = info.size;
		} catch (error) {
			if (!isMissing(error)) throw error;
			return { content: `File not found: ${target.rel}. Use glob to find the right path.`, isError: true };
		}
		ctx.touched(target.rel);
		if (await startsBinary(target.abs)) {
			return { content: `${target.rel} is a binary file (${size} bytes); its content is not shown.`, details: { path: target.rel, binary: true, size } };
		}
		const window = await readLineWindow(target.abs, {
			offset,
			limit,
			maxLineChars: READ_LINE_MAX_CHARS,
			maxChars: MAX_TOOL_OUTPUT_CHARS - 1000,
			signal: ctx.signal,
		});
		// The runtime keeps at most MAX_TOOL_OUTPUT_LINES lines: leave one for the next-offset hint.
		if (window.more && window.lines.length >= MAX_TOOL_OUTPUT_LINES) window.lines.length = MAX_TOOL_OUTPUT_LINES - 1;
		if (window.lines.length === 0) {
			if (window.totalLines === 0) return { content: `${target.rel} is empty.`, details: { path: target.rel, totalLines: 0 } };
			return { content: `offset ${offset} is past the end of ${target.rel}, which has ${window.totalLines} lines.`, isError: true };
		}
		const lastLine = offset + window.lines.length - 1;
		const numbered = window.lines.map((line, index) => `${String(offset + index).padStart(6)}\t${line}`).join('\n');
		const footer = window.more ? `\n[more lines follow; continue with offset=${lastLine + 1}]` : '';
		return { content: numbered + footer, details: { path: target.rel, firstLine: offset, lastLine, more: window.more, totalLines: window.totalLines } };
	},
});

async function startsBinary(path: string): Promise<boolean> {
	const handle = await open(path, 'r');
	try {
		const { buffer, bytesRead } = await handle.read(Buffer.alloc(BINARY_SNIFF_BYTES), 0, BINARY_SNIFF_BYTES, 0);
		return looksBinary(buffer.subarray(0, bytesRead));
	} finally {
		await handle.close();
	}
}
