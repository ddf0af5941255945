import { spawn } from 'node:child_process';
import { errorMessage } from '../source/runtime/events.ts';
import { type SandboxSpawn, startSandboxed } from '../source/sandbox/sandbox.ts';
import type { HeadTailBuffer } from './head-tail-buffer.ts';

export interface GroupRunOptions {
	/** A bash script, run with `bash -c`. */
	command: string;
	cwd: string;
	env: Record<string, string>;
	timeoutMs: number;
	signal: AbortSignal;
	/** Receives stdout and stderr, interleaved in the order they were written. */
	output: HeadTailBuffer;
	/** Between SIGTERM and SIGKILL to the process group, when stopping it. */
	graceMs?: number;
	/** After the shell exits, how long to wait for processes it left behind to close the output pipe. */
	drainMs?: number;
	/**
	 * Confines the script (e.g. `sandbox.wrap`): given the bash script, the program to spawn instead
	 * of `bash -c script`. The group kill reaches the sandbox, which takes everything inside with it.
	 */
	wrap?: (script: string) => SandboxSpawn;
}

export interface GroupRunResult {
	exitCode: number | null;
	/** The signal that ended the shell, if one did. */
	exitSignal: NodeJS.Signals | null;
	timedOut: boolean;
	aborted: boolean;
	/** Background processes still held the output open when the shell exited; their later output is lost. */
	outputLeftOpen: boolean;
	/** Set when the shell could not start. */
	startError?: string;
}

/**
 * Runs `bash -c command` in a process group of its own (detached), stdin closed, stderr merged into
 * stdout. On abort or timeout the WHOLE group gets SIGTERM, then SIGKILL after `graceMs`, so
 * grandchildren die too; the promise settles as soon as the shell is gone. Background processes
 * started by a command that exits normally are left running (unconfined; a sandbox with a PID
 * namespace ends them with the command). Never rejects.
 */
export function runInProcessGroup(options: GroupRunOptions): Promise<GroupRunResult> {
	const { command, cwd, env, timeoutMs, signal, output, graceMs = 500, drainMs = 200 } = options;
	return new Promise((resolve) => {
		const result: GroupRunResult = { exitCode: null, exitSignal: null, timedOut: false, aborted: false, outputLeftOpen: false };
		if (signal.aborted) {
			resolve({ ...result, aborted: true });
			return;
		}
		// `exec 2>&1` first, so stdout and stderr share one pipe and keep their true order. Same line,
		// so bash's line numbers in error messages stay those of the command.
		const script = `exec 2>&1; ${command}`;
		const spawned = options.wrap?.(script) ?? { file: 'bash', args: ['-c', script] };
		const child = startSandboxed(spawned, (file, args) => spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
		const killGroup = (name: NodeJS.Signals): void => {
			if (child.pid === undefined) return;
			try {
				process.kill(-child.pid, name);
			} catch {
				// ESRCH: the group is already gone.
			}
		};
		let killTimer: NodeJS.Timeout | undefined;
		const stop = (): void => {
			if (killTimer) return;
			killGroup('SIGTERM');
			killTimer = setTimeout(() => killGroup('SIGKILL'), graceMs);
		};
		const onAbort = (): void => {
			result.aborted = true;
			stop();
		};
		const timeout = setTimeout(() => {
			result.timedOut = true;
			stop();
		}, timeoutMs);
		signal.addEventListener('abort', onAbort, { once: true });

		let openStreams = 2;
		let drainTimer: NodeJS.Timeout | undefined;
		let settled = false;
		const settle = (): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timeout);
			clearTimeout(drainTimer);
			signal.removeEventListener('abort', onAbort);
			child.stdout.destroy();
			child.stderr.destroy();
			resolve(result);
		};
		for (const stream of [child.stdout, child.stderr]) {
			stream.on('data', (chunk: Buffer) => output.push(chunk));
			stream.on('close', () => {
				openStreams -= 1;
				if (openStreams === 0 && drainTimer) settle();
			});
		}
		child.on('error', (error) => {
			result.startError = errorMessage(error);
			settle();
		});
		child.on('exit', (code, exitSignal) => {
			result.exitCode = code;
			result.exitSignal = exitSignal;
			if (openStreams === 0) return settle();
			drainTimer = setTimeout(() => {
				result.outputLeftOpen = !result.aborted && !result.timedOut;
				settle();
			}, drainMs);
		});
	});
}
