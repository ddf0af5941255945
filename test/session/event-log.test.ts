import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { createEventLog, sessionLogPath } from '../../source/session/event-log.ts';
import { parseSessionLog, readSessionLog, SessionLogError } from '../../source/session/read-log.ts';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'orbit-log-'));

let sequence = 0;
function event(payload: Record<string, unknown>, sessionId = 's1'): RuntimeEvent {
	sequence += 1;
	return { ...payload, id: `${sessionId}:${sequence}`, sessionId, timestamp: new Date().toISOString() } as RuntimeEvent;
}

describe('session event log (writer)', () => {
	it('creates .orbit/sessions/<id>.jsonl with a versioned header, then one event per line, on disk when write returns', () => {
		const root = tempRoot();
		const log = createEventLog({ root, cwd: join(root, 'src'), model: 'm1', sessionId: 's1' });
		expect(existsSync(log.path)).toBe(false);
		const start = event({ type: 'session-start', cwd: root, model: 'm1', permission: 'ask', version: '1' });
		log.write(start);
		const lines = readFileSync(sessionLogPath(root, 's1'), 'utf8').split('\n');
		expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'orbit-session', version: 1, sessionId: 's1', root, cwd: join(root, 'src'), model: 'm1' });
		expect(typeof JSON.parse(lines[0]!).createdAt).toBe('string');
		expect(JSON.parse(lines[1]!)).toEqual(start);
		const added = event({ type: 'item-added', item: { id: 'i1', source: 'user', content: 'fix it', priority: 'for-next-turn', createdAt: 'x' } });
		log.write(added);
		expect(readSessionLog(log.path).events).toEqual([start, added]);
		log.close();
		log.write(event({ type: 'state', state: 'idle' }));
		expect(readSessionLog(log.path).events).toHaveLength(2);
	});

	it('git-ignores the sessions folder even when the memory never ran', () => {
		const root = tempRoot();
		const log = createEventLog({ root, cwd: root, model: 'm', sessionId: 's1' });
		log.write(event({ type: 'state', state: 'idle' }));
		expect(readFileSync(join(root, '.orbit', '.gitignore'), 'utf8').split('\n')).toContain('sessions/');
	});

	it('turns a write failure into one warning and never throws into the runtime', () => {
		const root = tempRoot();
		writeFileSync(join(root, '.orbit'), 'a file where the folder should be');
		const warnings: string[] = [];
		const log = createEventLog({ root, cwd: root, model: 'm', sessionId: 's1', onWarning: (message) => warnings.push(message) });
		expect(() => log.write(event({ type: 'state', state: 'idle' }))).not.toThrow();
		expect(() => log.write(event({ type: 'state', state: 'thinking' }))).not.toThrow();
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/session log .*s1\.jsonl cannot be written .*no longer recorded/);
	});

	it('appending to a resumed log first cuts off a torn last line', () => {
		const root = tempRoot();
		const first = createEventLog({ root, cwd: root, model: 'm', sessionId: 's1' });
		const kept = event({ type: 'state', state: 'thinking' });
		first.write(kept);
		first.close();
		appendFileSync(first.path, '{"type":"text-delta","turn":1,"del');
		const read = readSessionLog(first.path);
		expect(read.torn).toEqual({ line: 3, bytes: 34 });
		const again = createEventLog({ root, cwd: root, model: 'm', sessionId: 's1', append: { validBytes: read.validBytes } });
		const next = event({ type: 'state', state: 'idle' });
		again.write(next);
		const after = readSessionLog(first.path);
		expect(after.torn).toBeUndefined();
		expect(after.events).toEqual([kept, next]);
	});
});

describe('session event log (reader)', () => {
	const header = JSON.stringify({ type: 'orbit-session', version: 1, sessionId: 's1', createdAt: 'now', root: '/r', cwd: '/r', model: 'm' });
	const line = (payload: Record<string, unknown>) => JSON.stringify(event(payload));

	it('tolerates and reports a torn last line', () => {
		const good = line({ type: 'state', state: 'idle' });
		const text = `${header}\n${good}\n{"type":"tool-st`;
		const log = parseSessionLog(Buffer.from(text), 'x.jsonl');
		expect(log.events).toEqual([JSON.parse(good)]);
		expect(log.torn).toEqual({ line: 3, bytes: 16 });
		expect(log.validBytes).toBe(Buffer.byteLength(`${header}\n${good}\n`));
	});

	it('reads a log without a torn line as complete', () => {
		const log = parseSessionLog(Buffer.from(`${header}\n${line({ type: 'state', state: 'idle' })}\n`));
		expect(log.torn).toBeUndefined();
		expect(log.events).toHaveLength(1);
	});

	it('rejects a damaged line in the middle, naming the file and the line', () => {
		const text = `${header}\n${line({ type: 'state', state: 'idle' })}\n{"type":"tool-st\n${line({ type: 'state', state: 'idle' })}\n`;
		expect(() => parseSessionLog(Buffer.from(text), 'x.jsonl')).toThrow(new SessionLogError('x.jsonl line 3 is damaged (not a JSON event): {"type":"tool-st'));
	});

	it('rejects what is not a session log, another version, and a missing file, with clear messages', () => {
		expect(() => parseSessionLog(Buffer.from('{"hello":1}\n'), 'a.jsonl')).toThrow(/a\.jsonl does not start with a session header/);
		expect(() => parseSessionLog(Buffer.from(''), 'a.jsonl')).toThrow(/a\.jsonl is empty/);
		expect(() => parseSessionLog(Buffer.from(header.replace('"version":1', '"version":7') + '\n'), 'a.jsonl')).toThrow(/version 7 session log; this Orbit reads version 1/);
		const root = tempRoot();
		mkdirSync(join(root, 'x'));
		expect(() => readSessionLog(join(root, 'nope.jsonl'))).toThrow(/no session log at .*nope\.jsonl/);
	});
});
