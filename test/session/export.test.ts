import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExportCommand, createExportSubcommand } from '../../commands/export.ts';
import type { CommandContext } from '../../commands/command.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { exportMarkdown } from '../../source/session/export.ts';
import { fence, inlineCode, unifiedDiff } from '../../source/session/export-tools.ts';
import { readSessionLog } from '../../source/session/read-log.ts';
import { fakeContext } from '../commands/fake-context.ts';
import { MESSAGE, type Recorded, recordSession, TASK } from './recorded-session.ts';

let recorded: Recorded;
beforeAll(async () => {
	recorded = await recordSession();
}, 30_000);

function io() {
	const out: string[] = [];
	const err: string[] = [];
	return { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, env: {}, out: () => out.join(''), err: () => err.join('') };
}

describe('exportMarkdown', () => {
	it('turns a real recorded session into a readable transcript, in order', () => {
		const markdown = exportMarkdown(readSessionLog(recorded.logPath));
		expect(markdown.startsWith(`# Orbit session ${recorded.sessionId}\n`)).toBe(true);
		expect(markdown).toContain('- Model: scripted');
		expect(markdown).toContain(`- Repository: ${recorded.root}`);
		const parts = [
			`## You\n\n> ${TASK}`,
			'> **Thinking:** Let me look at the function first.',
			'**Plan:**\n\n- [ ] rename the function *(active)*\n- [ ] run the check',
			'* `read_file` `src/math.js` — lines 1–3 of 3',
			'> **Thinking:** Renaming it.',
			'**Edited** `src/math.js` (+1 −1)\n\n```diff\n@@ -1,3 +1,3 @@\n-export function calcTotal(items) {\n+export function computeTotal(items) {\n',
			'**Ran** `node check.js` — exit 0\n\n```text\ntotal 2',
			'**Plan:**\n\n- [x] rename the function\n- [x] run the check',
			`## Orbit → you\n\n${MESSAGE}`,
			'> **Thinking:** Done.',
			'*Session ended (done) at ',
		];
		let at = 0;
		for (const part of parts) {
			const found = markdown.indexOf(part, at);
			expect(found, `"${part}" after offset ${at} in:\n${markdown}`).toBeGreaterThanOrEqual(0);
			at = found + part.length;
		}
		expect(markdown).toMatch(/5 model turns, 425 tokens \(400 prompt, 25 completion\)\.\*\n$/);
		// The tools another event already tells are not listed twice; no raw JSON leaks in.
		expect(markdown).not.toContain('user_send_message');
		expect(markdown).not.toContain('"type"');
	});

	it('says when the log ends without the session end, naming a torn last line', () => {
		const session = readSessionLog(recorded.logPath);
		const cut = session.events.slice(0, session.events.findIndex((event) => event.type === 'tool-end'));
		const markdown = exportMarkdown({ ...session, events: cut, torn: { line: cut.length + 2, bytes: 17 } });
		expect(markdown).toContain(`*The log ends without the session's end (its last line, ${cut.length + 2}, was cut short).`);
		expect(markdown).toContain('> **Thinking:** Let me look at the function first.');
	});

	it('shows streamed text of a turn the log cut before its assistant message', () => {
		const header = readSessionLog(recorded.logPath).header;
		const base = { sessionId: 's', timestamp: '2026-01-01T00:00:00.000Z' };
		const events = [
			{ ...base, id: 's:1', type: 'turn-start', turn: 1, model: 'm' },
			{ ...base, id: 's:2', type: 'text-delta', turn: 1, delta: 'half a tho' },
		] as RuntimeEvent[];
		expect(exportMarkdown({ path: 'x', header, events, validBytes: 0 })).toContain('> **Thinking:** half a tho');
	});

	it('marks where a resumed session went on', () => {
		const session = readSessionLog(recorded.logPath);
		const start = session.events.find((event) => event.type === 'session-start')!;
		const again = { ...start, id: 'again', timestamp: '2026-02-03T04:05:06.000Z', resumedFrom: 'x' } as RuntimeEvent;
		const markdown = exportMarkdown({ ...session, events: [...session.events, again] });
		expect(markdown).toContain('---\n\n*Resumed at 2026-02-03 04:05:06 UTC.*');
		expect(markdown.split('Resumed at')).toHaveLength(2);
	});

	it('keeps code fences and inline code intact around backticks', () => {
		expect(fence('a ``` b', 'text')).toBe('````text\na ``` b\n````');
		expect(inlineCode('echo `date`')).toBe('`` echo `date` ``');
		expect(inlineCode('plain')).toBe('`plain`');
	});

	it('renders a new file as all added lines, and an unchanged one as no changes', () => {
		expect(unifiedDiff(null, 'a\nb\n')).toEqual({ added: 2, removed: 0, body: '@@ -0,0 +1,2 @@\n+a\n+b' });
		expect(unifiedDiff('same\n', 'same\n').body).toBe('(no changes)');
	});
});

describe('/export', () => {
	const context = (sessionLog?: string): CommandContext => ({ ...fakeContext(), ...(sessionLog ? { sessionLog } : {}) });

	it('writes .orbit/exports/<id>.md in the repository by default, and a named file when given', async () => {
		const command = createExportCommand(() => recorded.root);
		const result = await command.run('', context(recorded.logPath));
		expect(result).toEqual({ kind: 'notice', tone: 'info', text: `Exported the session to .orbit/exports/${recorded.sessionId}.md.` });
		const written = readFileSync(join(recorded.root, '.orbit', 'exports', `${recorded.sessionId}.md`), 'utf8');
		expect(written).toBe(exportMarkdown(readSessionLog(recorded.logPath)));
		const named = await command.run('notes/transcript.md', context(recorded.logPath));
		expect(named).toMatchObject({ kind: 'notice', text: 'Exported the session to notes/transcript.md.' });
		expect(readFileSync(join(recorded.root, 'notes', 'transcript.md'), 'utf8')).toBe(written);
	});

	it('refuses, writing nothing, when the session is not recorded or the log is unreadable', async () => {
		const command = createExportCommand(() => recorded.root);
		expect(await command.run('', context())).toMatchObject({ kind: 'notice', tone: 'warning', text: 'This session is not recorded, so there is nothing to export.' });
		const result = await command.run('out.md', context(join(recorded.root, 'missing.jsonl')));
		expect(result).toMatchObject({ tone: 'error', text: expect.stringMatching(/^Could not export the session: no session log at .*missing\.jsonl/) });
		expect(existsSync(join(recorded.root, 'out.md'))).toBe(false);
	});
});

describe('orbit export', () => {
	it('finds a session by id, writes the default file and names it; -o - prints the transcript', async () => {
		const command = createExportSubcommand(() => recorded.root);
		const first = io();
		expect(await command.run([recorded.sessionId], first)).toBe(0);
		expect(first.out()).toBe(`Exported session ${recorded.sessionId} to .orbit/exports/${recorded.sessionId}.md\n`);
		const second = io();
		expect(await command.run([recorded.logPath, '-o', '-'], second)).toBe(0);
		expect(second.out()).toBe(exportMarkdown(readSessionLog(recorded.logPath)));
	});

	it('exports a log with a torn last line, saying so', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'orbit-export-'));
		const copy = join(folder, 'copy.jsonl');
		writeFileSync(copy, readFileSync(recorded.logPath));
		appendFileSync(copy, '{"type":"text-delta","tur');
		const run = io();
		expect(await createExportSubcommand(() => folder).run([copy, '-o', 'out.md'], run)).toBe(0);
		expect(run.err()).toMatch(/line \d+ of .*copy\.jsonl was cut short; it is left out/);
		expect(readFileSync(join(folder, 'out.md'), 'utf8')).toContain(`## Orbit → you\n\n${MESSAGE}`);
	});

	it('answers bad arguments with usage (2) and a missing or foreign log with a message (1)', async () => {
		const command = createExportSubcommand(() => recorded.root);
		const none = io();
		expect(await command.run([], none)).toBe(2);
		expect(none.err()).toMatch(/say which session.*\nUsage: orbit export/);
		const unknown = io();
		expect(await command.run(['x', '--bogus'], unknown)).toBe(2);
		const missing = io();
		expect(await command.run(['no-such-session'], missing)).toBe(1);
		expect(missing.err()).toMatch(/^orbit export: no session log at .*\.orbit\/sessions\/no-such-session\.jsonl\n$/);
		const foreign = join(recorded.root, 'package.json');
		const notLog = io();
		expect(await command.run([foreign], notLog)).toBe(1);
		expect(notLog.err()).toMatch(/does not start with a session header/);
	});
});
