import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { isMissing, resolveToolPath } from './tool-path.ts';

/** What the UI needs to show a diff of a file change; `before` is null for a new file. */
export interface FileChangeDetails {
	path: string;
	before: string | null;
	after: string;
}

/**
 * write_file: creates or replaces a whole file inside the repository (never inside `.git`), creating
 * missing parent folders. Reports created/overwritten and the line count; details carry the diff.
 */
export const writeFileTool = defineTool({
	name: 'write_file',
	description: 'Create or overwrite a file.',
	parameters: z.object({
		path: z.string(),
		content: z.string(),
	}),
	access: 'write',
	async execute({ path, content }, ctx): Promise<ToolResult> {
		const target = resolveToolPath(ctx, path, { forWrite: true });
		if ('error' in target) return target.error;
		let before: string | null = null;
		try {
			if ((await stat(target.abs)).isDirectory()) {
				return { content: `${target.rel} is a directory; give a file path.`, isError: true };
			}
			before = await readFile(target.abs, 'utf8');
		} catch (error) {
			if (!isMissing(error)) throw error;
		}
		// Reported before the write, so a file watcher knows the change is the agent's own.
		ctx.touched(target.rel, true);
		await mkdir(dirname(target.abs), { recursive: true });
		await writeFile(target.abs, content);
		const details: FileChangeDetails = { path: target.rel, before, after: content };
		const lines = countLines(content);
		return { content: `${before === null ? 'Created' : 'Overwrote'} ${target.rel} (${lines} line${lines === 1 ? '' : 's'}).`, details };
	},
});

/** Lines as an editor counts them: a final line break does not start another line. */
export function countLines(text: string): number {
	if (text === '') return 0;
	const breaks = text.split('\n').length - 1;
	return text.endsWith('\n') ? breaks : breaks + 1;
}
