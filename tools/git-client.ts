import { simpleGit, type SimpleGit } from 'simple-git';
import { errorMessage } from '../source/runtime/events.ts';
import type { ToolContext, ToolResult } from '../source/runtime/tool.ts';

/**
 * Variables simple-git refuses to pass on (editors, pagers, askpass, config and exec paths), and
 * GIT_* overrides that would point git somewhere other than the repository root. Identity
 * (GIT_AUTHOR_*, GIT_COMMITTER_*) stays.
 */
const WITHHELD_FROM_GIT = /^(EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS|GIT_(?!AUTHOR_|COMMITTER_).*)$/i;

/**
 * simple-git on the repository root: stops on `ctx.signal` (killing git) and runs git, and the hooks
 * it starts, with the credential-free child environment.
 */
export function gitFor(ctx: Pick<ToolContext, 'root' | 'signal' | 'env'>): SimpleGit {
	const env = Object.fromEntries(Object.entries(ctx.env).filter(([name]) => !WITHHELD_FROM_GIT.test(name)));
	return simpleGit({ baseDir: ctx.root, abort: ctx.signal }).env(env);
}

/** A failed git command as an error result; rethrows when the failure is the user's interrupt. */
export function gitFailure(what: string, error: unknown, signal: AbortSignal): ToolResult {
	if (signal.aborted) throw error;
	const message = errorMessage(error).trim();
	if (/not a git repository/i.test(message)) {
		return { content: `${what} failed: the workspace is not a git repository.`, isError: true };
	}
	return { content: `${what} failed: ${message}`, isError: true };
}
