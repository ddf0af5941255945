import * as z from 'zod';
import { errorMessage } from '../source/runtime/events.ts';
import { defineTool, MAX_TOOL_OUTPUT_CHARS, type ToolResult } from '../source/runtime/tool.ts';
import { listRepositoryFiles } from './file-list.ts';
import { globMatcher } from './glob-pattern.ts';

/** The most paths listed; the rest are counted in a marker. */
export const GLOB_MAX_RESULTS = 500;
/** Long paths stop the list earlier, so the marker survives the runtime's truncation. */
const OUTPUT_BUDGET = MAX_TOOL_OUTPUT_CHARS - 1000;

/** glob: repository files (never .gitignored ones) matching a pattern, sorted, capped with a marker. */
export const globTool = defineTool({
	name: 'glob',
	description: 'List repository files matching a glob; a pattern without / matches names at any depth. Respects .gitignore.',
	parameters: z.object({
		pattern: z.string(),
	}),
	access: 'read',
	async execute({ pattern }, ctx): Promise<ToolResult> {
		if (pattern.trim() === '') return { content: 'The pattern is empty; give a glob.', isError: true };
		let isMatch: (path: string) => boolean;
		try {
			isMatch = globMatcher(pattern, ctx.root);
		} catch (error) {
			return { content: `Invalid glob pattern: ${errorMessage(error)}`, isError: true };
		}
		const matches = (await listRepositoryFiles(ctx.root, ctx.signal)).filter(isMatch);
		if (matches.length === 0) return { content: `No files match ${pattern}.`, details: { pattern, count: 0 } };
		const shown: string[] = [];
		let chars = 0;
		for (const path of matches) {
			if (shown.length >= GLOB_MAX_RESULTS || chars + path.length + 1 > OUTPUT_BUDGET) break;
			shown.push(path);
			chars += path.length + 1;
		}
		const rest = matches.length - shown.length;
		const marker = rest > 0 ? `\n[${rest} more files not shown; use a narrower pattern]` : '';
		return { content: shown.join('\n') + marker, details: { pattern, count: matches.length } };
	},
});
