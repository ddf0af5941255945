import * as z from 'zod';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { gitFailure, gitFor } from './git-client.ts';

/** git_status: the branch line and one `XY path` line per changed file, as in `git status --short`. */
export const gitStatusTool = defineTool({
	name: 'git_status',
	description: 'Show the branch and changed files, like git status --short.',
	parameters: z.object({}),
	access: 'read',
	async execute(_args, ctx): Promise<ToolResult> {
		try {
			const status = await gitFor(ctx).status();
			const branch = status.detached ? 'HEAD (detached)' : (status.current ?? 'HEAD');
			const tracking = status.tracking ? ` tracking ${status.tracking}` : '';
			const drift = [status.ahead > 0 ? `ahead ${status.ahead}` : '', status.behind > 0 ? `behind ${status.behind}` : ''].filter(Boolean).join(', ');
			const head = `## ${branch}${tracking}${drift ? ` [${drift}]` : ''}`;
			const files = status.files.map((file) => `${file.index}${file.working_dir} ${file.from ? `${file.from} -> ` : ''}${file.path}`);
			const content = [head, ...(files.length > 0 ? files : ['(working tree clean)'])].join('\n');
			return { content, details: { branch, tracking: status.tracking, ahead: status.ahead, behind: status.behind, files: status.files } };
		} catch (error) {
			return gitFailure('git status', error, ctx.signal);
		}
	},
});
