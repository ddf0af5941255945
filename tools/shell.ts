import * as z from 'zod';
import { defineTool, type ToolResult } from '../source/runtime/tool.ts';
import { HeadTailBuffer, renderHeadTail, type OutputLimits } from './head-tail-buffer.ts';
import { runInProcessGroup, type GroupRunResult } from './process-group.ts';

export const SHELL_DEFAULT_TIMEOUT_MS = 120_000;
export const SHELL_MAX_TIMEOUT_MS = 600_000;

/**
 * What the model sees of the output. It stays under the runtime's truncation limits, which keep only
 * the beginning: the end of a long output (errors, the exit line) is what matters most.
 */
const SHELL_OUTPUT_LIMITS: OutputLimits = { maxChars: 25_000, maxLines: 1_500, headChars: 8_000, headLines: 400, tailChars: 16_000, tailLines: 1_000 };

/** Ends a failed sandboxed command, so the model knows why and does not try to get around it. */
export const SANDBOX_NOTE = '[sandbox: only the repository is writable (its .git is read-only: use the git tools); /tmp and HOME are private and empty; no network unless the user started orbit with --allow-network]';

export interface ShellDetails {
	command: string;
	exitCode: number | null;
	timedOut: boolean;
	/** Present when the command ran in the OS sandbox. */
	sandboxed?: true;
}

/**
 * shell: `bash -c command` in the working directory with the credential-free environment, in its own
 * process group that is killed whole on interrupt or timeout. Output (stdout and stderr interleaved)
 * is kept in bounded memory, then shown whole or as beginning and end around a marker, followed by
 * a status line such as `[exit code 1]`. A non-zero exit is an error result. With `ctx.sandbox` the
 * command runs inside it (no network), and a failure ends with a line saying what the sandbox forbids.
 */
export const shellTool = defineTool({
	name: 'shell',
	description: 'Run a bash command in the working directory; returns combined stdout/stderr and the exit code.',
	parameters: z.object({
		command: z.string(),
		timeout_ms: z.number().int().min(1).max(SHELL_MAX_TIMEOUT_MS).optional().describe(`default ${SHELL_DEFAULT_TIMEOUT_MS}`),
	}),
	access: 'execute',
	async execute({ command, timeout_ms }, ctx): Promise<ToolResult> {
		const timeoutMs = timeout_ms ?? SHELL_DEFAULT_TIMEOUT_MS;
		const output = new HeadTailBuffer();
		const { sandbox } = ctx;
		const wrap = sandbox && ((script: string) => sandbox.wrap(script, { cwd: ctx.cwd, root: ctx.root, network: false }));
		const run = await runInProcessGroup({ command, cwd: ctx.cwd, env: ctx.env, timeoutMs, signal: ctx.signal, output, wrap });
		const details: ShellDetails = { command, exitCode: run.exitCode, timedOut: run.timedOut, ...(sandbox ? { sandboxed: true as const } : {}) };
		if (run.startError !== undefined) {
			return { content: `The command could not start in ${ctx.cwd}: ${run.startError}`, details, isError: true };
		}
		const text = output.totalBytes === 0 ? '(no output)' : renderHeadTail(output, SHELL_OUTPUT_LIMITS).replace(/\n$/, '');
		const note = sandbox && run.exitCode !== null && run.exitCode !== 0 ? `\n${SANDBOX_NOTE}` : '';
		return { content: `${text}\n${statusLine(run, timeoutMs)}${note}`, details, isError: run.exitCode !== 0 };
	},
});

function statusLine(run: GroupRunResult, timeoutMs: number): string {
	if (run.timedOut) return `[timed out after ${timeoutMs} ms; process group killed]`;
	if (run.aborted) return '[interrupted; process group killed]';
	const status = run.exitCode !== null ? `[exit code ${run.exitCode}]` : `[killed by ${run.exitSignal ?? 'a signal'}]`;
	return run.outputLeftOpen ? `${status}\n[background processes are still running; their later output is not captured]` : status;
}
