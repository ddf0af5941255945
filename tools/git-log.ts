import * as z from 'zod';
import { errorMessage } from '../source/runtime/events.ts';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { gitFailure, gitFor } from './git-client.ts';

export const GIT_LOG_DEFAULT = 20;
export const GIT_LOG_MAX = 200;

/** git_log: the latest commits of HEAD, one line each: short hash, date, author, subject. */
export const gitLogTool = defineTool({
	name: 'git_log',
	description: 'List recent commits.',
	parameters: z.object({
		limit: z.number().int().min(1).max(GIT_LOG_MAX).optional().describe(`default ${GIT_LOG_DEFAULT}`),
	}),
	access: 'read',
	async execute({ limit = GIT_LOG_DEFAULT }, ctx): Promise<ToolResult> {
		try {
			const log = await gitFor(ctx).log({ maxCount: limit });
			if (log.all.length === 0) return { content: 'No commits yet.', details: { commits: [] } };
			const lines = log.all.map((commit) => `${commit.hash.slice(0, 7)} ${commit.date.slice(0, 10)} ${commit.author_name}: ${commit.message}`);
			return { content: lines.join('\n'), details: { commits: log.all.map(({ hash, date, author_name, message }) => ({ hash, date, author: author_name, message })) } };
		} catch (error) {
			if (/does not have any commits yet|unknown revision/i.test(errorMessage(error))) return { content: 'No commits yet.', details: { commits: [] } };
			return gitFailure('git log', error, ctx.signal);
		}
	},
});
