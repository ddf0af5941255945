import { writeSync } from 'node:fs';

const ENTER = '\u001B[?1049h\u001B[?2004h\u001B[H';
const LEAVE = '\u001B[?2004l\u001B[?1049l\u001B[?25h';

/**
 * Switches to the alternate screen with bracketed paste, and guarantees the switch back on every
 * way out: a normal exit, SIGTERM/SIGHUP, an uncaught exception. Restoring writes synchronously,
 * so it also works from `process.on('exit')`. `restore` is idempotent.
 */
export function enterFullScreen(stdout: NodeJS.WriteStream, onSignal: (signal: NodeJS.Signals) => void): { restore(): void } {
	let active = true;
	const restore = () => {
		if (!active) return;
		active = false;
		try {
			writeSync((stdout as { fd?: number }).fd ?? 1, LEAVE);
		} catch {
			// The terminal is gone; nothing to restore.
		}
		process.off('exit', restore);
		for (const signal of SIGNALS) process.off(signal, handlers[signal]);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
	};
	const SIGNALS = ['SIGTERM', 'SIGHUP'] as const;
	const handlers = Object.fromEntries(SIGNALS.map((signal) => [signal, () => onSignal(signal)])) as Record<(typeof SIGNALS)[number], () => void>;
	const onCrash = (error: unknown) => {
		restore();
		process.stderr.write(`orbit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};
	stdout.write(ENTER);
	process.on('exit', restore);
	for (const signal of SIGNALS) process.on(signal, handlers[signal]);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	return { restore };
}
