import { readFileSync } from 'node:fs';
import type { RuntimeEvent } from '../runtime/events.ts';
import { SESSION_LOG_VERSION, type SessionHeader } from './event-log.ts';

/** A session log that cannot be read: not there, not a session log, or damaged before its last line. */
export class SessionLogError extends Error {
	override name = 'SessionLogError';
}

export interface SessionLog {
	path: string;
	header: SessionHeader;
	/** The logged events, redacted as they were written, in order. */
	events: RuntimeEvent[];
	/** The last line was cut off (the process died while writing it): dropped, and reported here. */
	torn?: { line: number; bytes: number };
	/** Bytes of the file up to the end of the last complete line (where a resumed session appends). */
	validBytes: number;
}

/** Reads and checks a session log. Throws `SessionLogError` with a message naming the file (and line). */
export function readSessionLog(path: string): SessionLog {
	let buffer: Buffer;
	try {
		buffer = readFileSync(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new SessionLogError(code === 'ENOENT' ? `no session log at ${path}` : `cannot read ${path}: ${(error as Error).message}`);
	}
	return parseSessionLog(buffer, path);
}

/**
 * Parses a session log: a header line, then one event per line. A last line without its newline is torn
 * (dropped and reported in `torn`); a complete line that does not parse is an error naming the line.
 */
export function parseSessionLog(buffer: Buffer, path = 'session log'): SessionLog {
	const end = buffer.lastIndexOf(0x0a) + 1;
	const text = buffer.toString('utf8', 0, end);
	const lines = text.split('\n');
	lines.pop();
	const validBytes = end;
	const torn = end < buffer.length ? { line: lines.length + 1, bytes: buffer.length - end } : undefined;
	if (lines.length === 0) throw new SessionLogError(`${path} is ${torn ? 'torn inside its header' : 'empty'}: not a session log`);
	const header = parseHeader(lines[0]!, path);
	const events = parseEvents(text, lines, path);
	return { path, header, events, validBytes, ...(torn ? { torn } : {}) };
}

/**
 * One `JSON.parse` of all event lines joined as an array (JSON text holds no raw newline, so the
 * lines join safely), checked event by event; when that fails, line by line to name the bad line.
 */
function parseEvents(text: string, lines: readonly string[], path: string): RuntimeEvent[] {
	if (lines.length === 1) return [];
	try {
		const body = text.slice(lines[0]!.length + 1, text.length - 1);
		const all = JSON.parse(`[${body.replaceAll('\n', ',')}]`) as unknown[];
		if (all.length === lines.length - 1 && all.every(isEvent)) return all as RuntimeEvent[];
	} catch {
		// Found below, with its line number.
	}
	const events: RuntimeEvent[] = [];
	for (let index = 1; index < lines.length; index += 1) {
		const line = lines[index]!;
		const event = parseEvent(line);
		// A write cut short never reaches its newline, so a complete line that does not parse is damage.
		if (!event) throw new SessionLogError(`${path} line ${index + 1} is damaged (not a JSON event): ${clip(line)}`);
		events.push(event);
	}
	return events;
}

function isEvent(value: unknown): boolean {
	return typeof value === 'object' && value !== null && typeof (value as RuntimeEvent).type === 'string' && typeof (value as RuntimeEvent).id === 'string';
}

function parseHeader(line: string, path: string): SessionHeader {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new SessionLogError(`${path} does not start with a session header: ${clip(line)}`);
	}
	const header = value as Partial<SessionHeader> | null;
	if (header?.type !== 'orbit-session' || typeof header.sessionId !== 'string') throw new SessionLogError(`${path} does not start with a session header: ${clip(line)}`);
	if (header.version !== SESSION_LOG_VERSION) throw new SessionLogError(`${path} is a version ${String(header.version)} session log; this Orbit reads version ${SESSION_LOG_VERSION}`);
	return header as SessionHeader;
}

function parseEvent(line: string): RuntimeEvent | undefined {
	try {
		const value: unknown = JSON.parse(line);
		return isEvent(value) ? (value as RuntimeEvent) : undefined;
	} catch {
		return undefined;
	}
}

function clip(text: string): string {
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
