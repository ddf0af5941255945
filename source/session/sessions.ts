import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sessionsFolder } from './event-log.ts';
import { readSessionLog, SessionLogError } from './read-log.ts';
import { foldSession, type SessionStatus } from './session-state.ts';

/** One recorded session of a repository, as `orbit sessions` lists it. */
export interface SessionSummary {
	id: string;
	path: string;
	/** When the session was created (the header), ISO time. */
	createdAt: string;
	/** Time of its last logged event (else `createdAt`). */
	updatedAt: string;
	firstTask?: string;
	/** `damaged`: the log cannot be read (see `problem`); it cannot be resumed. */
	status: SessionStatus | 'damaged';
	problem?: string;
	/** Items still waiting in the bucket. */
	waiting: number;
	events: number;
	/** The last line was torn (dropped when resumed). */
	torn: boolean;
}

/** Sessions recorded in `root`'s `.orbit/sessions/`, most recently active first. [] when there are none. Never throws. */
export function listSessions(root: string): SessionSummary[] {
	const folder = sessionsFolder(root);
	let names: string[];
	try {
		names = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
	} catch {
		return [];
	}
	const list = names.map((name) => summarize(join(folder, name), name.slice(0, -'.jsonl'.length)));
	return list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
}

/**
 * The most recently active session that can be resumed, if any. Files are tried newest
 * modification first (a log is modified by every event), so only the chosen one is read in full.
 */
export function latestSession(root: string): SessionSummary | undefined {
	const folder = sessionsFolder(root);
	let files: { name: string; modified: number }[];
	try {
		files = readdirSync(folder)
			.filter((name) => name.endsWith('.jsonl'))
			.map((name) => ({ name, modified: statSync(join(folder, name)).mtimeMs }));
	} catch {
		return undefined;
	}
	files.sort((a, b) => b.modified - a.modified || b.name.localeCompare(a.name));
	for (const { name } of files) {
		const summary = summarize(join(folder, name), name.slice(0, -'.jsonl'.length));
		if (summary.status !== 'damaged') return summary;
	}
	return undefined;
}

function summarize(path: string, id: string): SessionSummary {
	try {
		const log = readSessionLog(path);
		const state = foldSession(log.events);
		return {
			id: log.header.sessionId,
			path,
			createdAt: log.header.createdAt,
			updatedAt: state.updatedAt ?? log.header.createdAt,
			...(state.firstTask !== undefined ? { firstTask: state.firstTask } : {}),
			status: state.status,
			waiting: state.waiting.length,
			events: log.events.length,
			torn: log.torn !== undefined,
		};
	} catch (error) {
		const problem = error instanceof SessionLogError ? error.message : `cannot read: ${String(error)}`;
		return { id, path, createdAt: '', updatedAt: '', status: 'damaged', problem, waiting: 0, events: 0, torn: false };
	}
}

const STATUS_TEXT: Record<SessionSummary['status'], string> = {
	ended: 'ended',
	idle: 'stopped while idle',
	interrupted: 'interrupted mid-loop',
	damaged: 'damaged',
};

/**
 * One line per session: id, local date and time, state (with waiting items), first task. `limit`
 * keeps the newest; `current` marks that id. "No sessions recorded here yet." when empty.
 */
export function formatSessionList(sessions: readonly SessionSummary[], options: { limit?: number; current?: string } = {}): string {
	if (sessions.length === 0) return 'No sessions recorded here yet.';
	const shown = options.limit === undefined ? sessions : sessions.slice(0, options.limit);
	const lines = shown.map((session) => {
		const mark = session.id === options.current ? '*' : ' ';
		const state = STATUS_TEXT[session.status] + (session.waiting > 0 ? `, ${session.waiting} waiting` : '');
		const task = session.status === 'damaged' ? (session.problem ?? '') : oneLine(session.firstTask ?? '(no task)');
		return `${mark} ${session.id}  ${formatDate(session.updatedAt)}  ${state.padEnd(22)}  ${task}`;
	});
	if (shown.length < sessions.length) lines.push(`  … and ${sessions.length - shown.length} older`);
	return lines.join('\n');
}

function formatDate(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '????-??-?? ??:??';
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function oneLine(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
