import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionsSubcommand } from '../../commands/sessions.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { createEventLog, sessionLogPath } from '../../source/session/event-log.ts';
import { loadSession } from '../../source/session/resume.ts';
import { formatSessionList, latestSession, listSessions } from '../../source/session/sessions.ts';

function record(root: string, sessionId: string, at: string, payloads: Record<string, unknown>[]): void {
	const log = createEventLog({ root, cwd: root, model: 'm', sessionId });
	payloads.forEach((payload, index) => log.write({ ...payload, id: `${sessionId}:${index + 1}`, sessionId, timestamp: at } as RuntimeEvent));
	log.close();
}

const item = (id: string, content: string, source = 'user') => ({ type: 'item-added', item: { id, source, content, priority: 'for-next-turn', createdAt: 'x' } });

function repoWithSessions(): string {
	const root = mkdtempSync(join(tmpdir(), 'orbit-sessions-'));
	record(root, '20261120-100000-aaaaaa', '2026-11-20T10:00:00.000Z', [
		{ type: 'session-start', cwd: root, model: 'm', permission: 'ask', version: '1' },
		item('i1', 'rename calcTotal'),
		{ type: 'loop-start', loop: 1 },
		{ type: 'item-injected', item: item('i1', 'rename calcTotal').item, rule: 'idle-start' },
		{ type: 'loop-end', loop: 1, reason: 'idle' },
		{ type: 'session-end', reason: 'done' },
	]);
	record(root, '20261121-090000-bbbbbb', '2026-11-21T09:00:00.000Z', [
		{ type: 'session-start', cwd: root, model: 'm', permission: 'ask', version: '1' },
		item('i2', 'a note from the watcher', 'file-watch'),
		item('i3', 'add tests\nfor the cart'),
		{ type: 'loop-start', loop: 1 },
	]);
	writeFileSync(sessionLogPath(root, '20261122-080000-cccccc'), 'not a log\n');
	return root;
}

describe('recorded sessions', () => {
	it('lists sessions newest first with first task and state; a damaged log is listed, never resumed', () => {
		const root = repoWithSessions();
		const list = listSessions(root);
		expect(list.map((session) => [session.id, session.status, session.firstTask ?? null])).toEqual([
			['20261121-090000-bbbbbb', 'interrupted', 'add tests\nfor the cart'],
			['20261120-100000-aaaaaa', 'ended', 'rename calcTotal'],
			['20261122-080000-cccccc', 'damaged', null],
		]);
		expect(list[0]!.waiting).toBe(2);
		expect(list[2]!.problem).toMatch(/does not start with a session header/);
		expect(latestSession(root)?.id).toBe('20261121-090000-bbbbbb');
		const text = formatSessionList(list, { current: '20261120-100000-aaaaaa' });
		const lines = text.split('\n');
		expect(lines[0]).toMatch(/^ {2}20261121-090000-bbbbbb {2}2026-11-\d\d \d\d:\d\d {2}interrupted mid-loop, 2 waiting {2}add tests for the cart$/);
		expect(lines[1]).toMatch(/^\* 20261120-100000-aaaaaa .* ended .* rename calcTotal$/);
		expect(lines[2]).toMatch(/damaged .*not a log/);
		expect(formatSessionList([])).toBe('No sessions recorded here yet.');
		expect(listSessions(mkdtempSync(join(tmpdir(), 'orbit-none-')))).toEqual([]);
	});

	it('finds a session by id or unique prefix; a missing, unknown or ambiguous id is an error listing recent sessions', () => {
		const root = repoWithSessions();
		const byPrefix = loadSession(root, { id: '20261120' });
		expect('error' in byPrefix ? byPrefix.error : byPrefix.sessionId).toBe('20261120-100000-aaaaaa');
		const missing = loadSession(root, { id: '' });
		expect('error' in missing && missing.error).toMatch(/^--resume needs a session id \(orbit --continue takes the latest\)\.\nRecent sessions:\n.*20261121-090000-bbbbbb/);
		const unknown = loadSession(root, { id: 'nope' });
		expect('error' in unknown && unknown.error).toMatch(/^no session "nope" in this repository\.\nRecent sessions:\n(.*\n){2}.*20261122-080000-cccccc/);
		const ambiguous = loadSession(root, { id: '2026112' });
		expect('error' in ambiguous && ambiguous.error).toMatch(/"2026112" matches 3 sessions; give more of the id/);
		const outside = loadSession(root, { id: '../../etc/passwd' });
		expect('error' in outside && outside.error).toMatch(/is not a session id/);
		const damaged = loadSession(root, { id: '20261122-080000-cccccc' });
		expect('error' in damaged && damaged.error).toMatch(/cannot resume session 20261122-080000-cccccc: .* does not start with a session header/);
		const none = loadSession(mkdtempSync(join(tmpdir(), 'orbit-none-')), { latest: true });
		expect('error' in none && none.error).toBe('no session to continue in this repository (none recorded yet)');
	});

	it('`orbit sessions` prints the list and refuses unknown arguments', async () => {
		const root = repoWithSessions();
		const out: string[] = [];
		const err: string[] = [];
		const io = { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, env: {} };
		const cwd = process.cwd();
		process.chdir(root);
		try {
			expect(await sessionsSubcommand.run([], io)).toBe(0);
			expect(await sessionsSubcommand.run(['--bogus'], io)).toBe(2);
		} finally {
			process.chdir(cwd);
		}
		expect(out.join('')).toMatch(/20261121-090000-bbbbbb.*\n.*20261120-100000-aaaaaa.*\n.*\nGo on with one: orbit --resume <id>/);
		expect(err.join('')).toBe('orbit sessions: unknown argument "--bogus" (orbit sessions takes only --all)\n');
	});
});

describe('/sessions', () => {
	it('lists the sessions of the repository around the working directory and marks the current one', async () => {
		const { sessionsCommand } = await import('../../commands/sessions.ts');
		const root = repoWithSessions();
		const cwd = process.cwd();
		process.chdir(root);
		try {
			const result = await sessionsCommand.run('', { sessionId: '20261120-100000-aaaaaa' } as never);
			expect(result).toMatchObject({ kind: 'notice', tone: 'info' });
			const text = result.kind === 'notice' ? result.text : '';
			expect(text.split('\n')[1]).toMatch(/^\* 20261120-100000-aaaaaa/);
			expect(text).toMatch(/Go on with one: orbit --resume <id>/);
		} finally {
			process.chdir(cwd);
		}
	});
});
