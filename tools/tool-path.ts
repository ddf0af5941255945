import { errorMessage } from '../source/runtime/events.ts';
import type { ToolContext, ToolResult } from '../source/runtime/tool.ts';
import { relativeToRoot, resolveInsideRoot, type ResolveOptions } from '../source/sandbox/paths.ts';

export interface ToolPath {
	/** The absolute real path. */
	abs: string;
	/** The same path relative to the repository root, `/`-separated. */
	rel: string;
}

/**
 * Confines a path argument to the repository (see `resolveInsideRoot`). Never throws: a refused path
 * comes back as `{ error }`, a result the tool returns as is.
 */
export function resolveToolPath(ctx: Pick<ToolContext, 'root'>, path: string, options?: ResolveOptions): ToolPath | { error: ToolResult } {
	try {
		const abs = resolveInsideRoot(ctx.root, path, options);
		return { abs, rel: relativeToRoot(ctx.root, abs) };
	} catch (error) {
		return { error: { content: errorMessage(error), isError: true } };
	}
}

/** Whether a filesystem error means "no such file". */
export function isMissing(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
