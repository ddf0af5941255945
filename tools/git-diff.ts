import * as z from 'zod';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { gitFailure, gitFor } from './git-client.ts';
import { resolveToolPath } from './tool-path.ts';

/** git_diff: unstaged changes (or staged ones), optionally for one path; the runtime truncates it. */
export const gitDiffTool = defineTool({
	name: 'git_diff',
	description: 'Show unstaged changes, or staged ones.',
	parameters: z.object({
		staged: z.boolean().optional(),
		path: z.string().optional(),
	}),
	access: 'read',
	async execute({ staged = false, path }, ctx): Promise<ToolResult> {
		const args = ['--no-color', '--no-ext-diff'];
		if (staged) args.push('--cached');
		if (path !== undefined && path !== '') {
			const target = resolveToolPath(ctx, path);
			if ('error' in target) return target.error;
			args.push('--', target.rel);
		}
		try {
			const diff = await gitFor(ctx).diff(args);
			if (diff.trim() === '') {
				return { content: staged ? 'No staged changes.' : 'No unstaged changes (new untracked files are not shown; see git_status).', details: { staged, path, empty: true } };
			}
			return { content: diff.replace(/\n$/, ''), details: { staged, path, empty: false } };
		} catch (error) {
			return gitFailure('git diff', error, ctx.signal);
		}
	},
});
