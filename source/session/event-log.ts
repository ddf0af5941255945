import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOrbitGitignore } from '../context/memory-files.ts';
import type { EventType, RuntimeEvent } from '../runtime/events.ts';

/** Version of the log format; the header's `version`. */
export const SESSION_LOG_VERSION = 1;

/** The first line of every session log. One runtime event (JSON) per line follows. */
export interface SessionHeader {
	type: 'orbit-session';
	version: number;
	sessionId: string;
	createdAt: string;
	root: string;
	cwd: string;
	model: string;
}

/** Events after which the log is fsync'ed: what must survive a power cut, not only a killed process. */
export const FSYNC_EVENTS: ReadonlySet<EventType> = new Set<EventType>(['item-injected', 'item-added', 'tool-start', 'tool-end', 'loop-end', 'session-end']);

export function sessionsFolder(root: string): string {
	return join(root, '.orbit', 'sessions');
}

export function sessionLogPath(root: string, sessionId: string): string {
	return join(sessionsFolder(root), `${sessionId}.jsonl`);
}

export interface EventLogOptions {
	root: string;
	cwd: string;
	model: string;
	sessionId: string;
	/**
	 * Append to an existing log (a resumed session). `validBytes` (from `readSessionLog`) cuts a torn
	 * last line off first, so the next event starts on a line of its own.
	 */
	append?: { validBytes: number };
	/** Told once when the log cannot be written; the session goes on unrecorded from there. */
	onWarning?: (message: string) => void;
	/** False skips the fsync points (benchmarks only). */
	fsync?: boolean;
}

export interface EventLog {
	readonly path: string;
	/** A bus listener: writes the event synchronously (and fsyncs at `FSYNC_EVENTS`) before it returns. Never throws. */
	write(event: RuntimeEvent): void;
	/** Closes the file; later events are dropped. Idempotent. */
	close(): void;
}

/**
 * The session log writer. The file is created (with its header) at the first event, so a builder
 * never started leaves nothing behind; `.orbit/sessions/` is git-ignored. Every write is `writeSync`
 * from the listener: when the bus moves on, the event is in the file. A failed write is reported once
 * through `onWarning` and stops the log (a half-written line must stay the last one).
 */
export function createEventLog(options: EventLogOptions): EventLog {
	const path = sessionLogPath(options.root, options.sessionId);
	const sync = options.fsync ?? true;
	let fd: number | undefined;
	let failed = false;
	let closed = false;

	const fail = (error: unknown) => {
		failed = true;
		const reason = error instanceof Error ? error.message : String(error);
		options.onWarning?.(`session log ${path} cannot be written (${reason}); this session is no longer recorded and cannot be resumed past this point`);
		if (fd !== undefined) {
			try {
				closeSync(fd);
			} catch {
				// Already reported.
			}
			fd = undefined;
		}
	};

	/** Opens the file; returns the descriptor and what must precede the first event (the header, for a new log). */
	const open = (): { fd: number; prefix: string } => {
		mkdirSync(sessionsFolder(options.root), { recursive: true });
		try {
			ensureOrbitGitignore(options.root);
		} catch (error) {
			options.onWarning?.(`could not update .orbit/.gitignore: ${error instanceof Error ? error.message : String(error)}`);
		}
		if (options.append) {
			const handle = openSync(path, 'r+');
			// The torn tail goes, the acknowledged lines stay.
			ftruncateSync(handle, options.append.validBytes);
			closeSync(handle);
			return { fd: openSync(path, 'a'), prefix: '' };
		}
		const header: SessionHeader = {
			type: 'orbit-session',
			version: SESSION_LOG_VERSION,
			sessionId: options.sessionId,
			createdAt: new Date().toISOString(),
			root: options.root,
			cwd: options.cwd,
			model: options.model,
		};
		return { fd: openSync(path, 'wx'), prefix: `${JSON.stringify(header)}\n` };
	};

	return {
		path,
		write(event) {
			if (failed || closed) return;
			try {
				let line = `${JSON.stringify(event)}\n`;
				if (fd === undefined) {
					const opened = open();
					fd = opened.fd;
					// Header and first event in one write: a log never holds a header alone.
					line = opened.prefix + line;
				}
				writeAll(fd, line);
				if (sync && FSYNC_EVENTS.has(event.type)) fsyncSync(fd);
			} catch (error) {
				fail(error);
			}
		},
		close() {
			if (closed) return;
			closed = true;
			if (fd === undefined) return;
			try {
				if (sync) fsyncSync(fd);
				closeSync(fd);
			} catch {
				// Nothing left to lose: every event was written when it happened.
			}
			fd = undefined;
		},
	};
}

/** writeSync may write less than asked (a full disk, a signal); loop until all of it is written. */
function writeAll(fd: number, text: string): void {
	const buffer = Buffer.from(text, 'utf8');
	let offset = 0;
	while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}
