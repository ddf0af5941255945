import { existsSync } from 'node:fs';
import type { RuntimeEvent } from '../runtime/events.ts';
import { sessionLogPath } from './event-log.ts';
import { readSessionLog, type SessionLog, SessionLogError } from './read-log.ts';
import { foldSession, type SessionState } from './session-state.ts';
import { formatSessionList, latestSession, listSessions } from './sessions.ts';

/** A logged session read back, ready to resume (`createProjectAgent({ resume })` or `builder.resume(id, state)`). */
export interface LoadedSession {
	sessionId: string;
	log: SessionLog;
	state: SessionState;
	/** Said to the person before going on (a torn last line that was dropped), else undefined. */
	notice?: string;
}

/** Which session to resume: an id (a unique prefix will do), or the latest of the repository. */
export type ResumeRequest = { id: string } | { latest: true };

/** Ids must look like ours: no path separators or dots, so an id never names a file outside the folder. */
const ID_PATTERN = /^[\w-]+$/;

/**
 * Reads and folds the session to resume. Never throws: an unknown, ambiguous or damaged session is
 * `{ error }`, a message for the person that lists recent sessions where that helps.
 */
export function loadSession(root: string, request: ResumeRequest): LoadedSession | { error: string } {
	let id: string;
	if ('latest' in request) {
		const latest = latestSession(root);
		if (!latest) return { error: 'no session to continue in this repository (none recorded yet)' };
		id = latest.id;
	} else {
		const found = findSessionId(root, request.id);
		if ('error' in found) return found;
		id = found.id;
	}
	try {
		const log = readSessionLog(sessionLogPath(root, id));
		const state = foldSession(log.events);
		const notice = log.torn ? `session ${id}: the last line of its log was cut off when Orbit stopped (${log.torn.bytes} bytes, line ${log.torn.line}); it was dropped` : undefined;
		return { sessionId: log.header.sessionId, log, state, ...(notice ? { notice } : {}) };
	} catch (error) {
		if (error instanceof SessionLogError) return { error: `cannot resume session ${id}: ${error.message}` };
		throw error;
	}
}

/** The events of a logged session as written (redacted), for a screen to show the restored thread; throws `SessionLogError`. */
export function loggedEvents(root: string, sessionId: string): RuntimeEvent[] {
	return readSessionLog(sessionLogPath(root, sessionId)).events;
}

function findSessionId(root: string, wanted: string): { id: string } | { error: string } {
	if (ID_PATTERN.test(wanted) && existsSync(sessionLogPath(root, wanted))) return { id: wanted };
	const sessions = listSessions(root);
	const recent = () => (sessions.length === 0 ? 'No sessions are recorded in this repository.' : `Recent sessions:\n${formatSessionList(sessions, { limit: 10 })}`);
	if (wanted === '') return { error: `--resume needs a session id (orbit --continue takes the latest).\n${recent()}` };
	if (!ID_PATTERN.test(wanted)) return { error: `"${wanted}" is not a session id.\n${recent()}` };
	const matches = sessions.filter((session) => session.id.startsWith(wanted));
	if (matches.length === 1) return { id: matches[0]!.id };
	if (matches.length > 1) return { error: `"${wanted}" matches ${matches.length} sessions; give more of the id.\n${formatSessionList(matches, { limit: 10 })}` };
	return { error: `no session "${wanted}" in this repository.\n${recent()}` };
}
