import * as z from 'zod';
import { errorMessage } from '../source/runtime/events.ts';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { gitFailure, gitFor } from './git-client.ts';
import { resolveToolPath } from './tool-path.ts';

/**
 * git_commit: with `paths`, stages exactly those paths (new, changed or deleted) and commits only
 * them, leaving anything else that was staged staged; without, stages everything (`git add -A`) and
 * commits. Reports the new hash, the summary and the files. Nothing to commit and a missing author
 * identity are error results the model can explain to the user.
 */
export const gitCommitTool = defineTool({
	name: 'git_commit',
	description: 'Commit the given paths, or all changes (git add -A) when paths is omitted.',
	parameters: z.object({
		message: z.string(),
		paths: z.array(z.string()).optional(),
	}),
	access: 'write',
	async execute({ message, paths }, ctx): Promise<ToolResult> {
		if (message.trim() === '') return { content: 'The commit message is empty; write one.', isError: true };
		if (paths !== undefined && paths.length === 0) return { content: 'paths is empty; list the paths to commit, or omit paths to commit everything.', isError: true };
		const pathspec: string[] = [];
		for (const path of paths ?? []) {
			const target = resolveToolPath(ctx, path);
			if ('error' in target) return target.error;
			pathspec.push(target.rel);
		}
		const git = gitFor(ctx);
		const only = pathspec.length > 0 ? ['--', ...pathspec] : [];
		try {
			await git.raw(['add', '-A', ...only]);
			const staged = await git.raw(['diff', '--cached', '--name-only', ...only]);
			if (staged.trim() === '') {
				return { content: `Nothing to commit${pathspec.length > 0 ? ' in those paths' : ''}: no changes. Check git_status.`, isError: true };
			}
			await git.raw(['commit', '-m', message, ...only]);
			const hash = (await git.revparse(['HEAD'])).trim();
			const branch = (await git.raw(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
			const stat = (await git.raw(['show', '--format=', '--shortstat', 'HEAD'])).trim();
			const files = (await git.raw(['show', '--format=', '--name-status', 'HEAD'])).trim();
			const subject = message.trim().split('\n')[0] ?? '';
			return {
				content: `Committed ${hash.slice(0, 7)} on ${branch}: ${subject}\n${stat}\n${files}`,
				details: { hash, branch, summary: stat, files: files.split('\n') },
			};
		} catch (error) {
			if (/Please tell me who you are|unable to auto-detect email|empty ident|no email was given/i.test(errorMessage(error))) {
				return {
					content: 'git has no author identity (user.name and user.email are not set), so nothing was committed; the changes stay staged. Ask the user to configure git.',
					isError: true,
				};
			}
			return gitFailure('git commit', error, ctx.signal);
		}
	},
});
