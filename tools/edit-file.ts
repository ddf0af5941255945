import { readFile, stat, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { isMissing, resolveToolPath } from './tool-path.ts';
import type { FileChangeDetails } from './write-file.ts';

/**
 * edit_file: replaces an exact string (no patterns, no `$` substitutions). Refuses when the string is
 * absent, when it occurs several times without `replace_all`, or when nothing would change.
 * Reports the number of replacements; details carry the diff.
 */
export const editFileTool = defineTool({
	name: 'edit_file',
	description: 'Replace an exact string in a file; it must occur once unless replace_all is true.',
	parameters: z.object({
		path: z.string(),
		old_string: z.string(),
		new_string: z.string(),
		replace_all: z.boolean().optional(),
	}),
	access: 'write',
	async execute({ path, old_string, new_string, replace_all = false }, ctx): Promise<ToolResult> {
		if (old_string === '') return { content: 'old_string is empty. To create a file, use write_file.', isError: true };
		if (old_string === new_string) return { content: 'old_string and new_string are the same; nothing would change.', isError: true };
		const target = resolveToolPath(ctx, path, { forWrite: true });
		if ('error' in target) return target.error;
		let before: string;
		try {
			if ((await stat(target.abs)).isDirectory()) return { content: `${target.rel} is a directory, not a file.`, isError: true };
			before = await readFile(target.abs, 'utf8');
		} catch (error) {
			if (!isMissing(error)) throw error;
			return { content: `File not found: ${target.rel}. Use glob to find it, or write_file to create it.`, isError: true };
		}
		const pieces = before.split(old_string);
		const count = pieces.length - 1;
		if (count === 0) {
			return { content: `old_string was not found in ${target.rel}. Read the file again and copy the text exactly, including whitespace.`, isError: true };
		}
		if (count > 1 && !replace_all) {
			return {
				content: `old_string occurs ${count} times in ${target.rel}. Add surrounding lines to make it unique, or set replace_all to replace every occurrence.`,
				isError: true,
			};
		}
		const after = pieces.join(new_string);
		ctx.touched(target.rel, true);
		await writeFile(target.abs, after);
		const details: FileChangeDetails = { path: target.rel, before, after };
		return { content: `Edited ${target.rel}: ${count} replacement${count === 1 ? '' : 's'}.`, details };
	},
});
