/**
 * The replay workbench in a real terminal: `orbit replay examples/refactor-session.jsonl` run by the
 * built binary in tmux, driven by keys, with a model endpoint configured that must hear nothing.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { CLI, createRepo } from '../fixtures/run-orbit.ts';
import { checkTmux, startTmux, type TmuxSession } from '../fixtures/tmux.ts';
import { statusLine, threadRow } from './tui-harness.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../examples/refactor-session.jsonl');
const TASK = 'Rename calcTotal to computeTotal everywhere';

let fake: FakeOpenAI;
let repo: string;
const sessions: TmuxSession[] = [];
beforeAll(async () => {
	const tmux = checkTmux();
	if (!tmux.available) throw new Error(tmux.reason);
	fake = await startFakeOpenAI();
	repo = createRepo({ 'README.md': '# demo\n' });
});
afterEach(async () => {
	await Promise.all(sessions.splice(0).map((session) => session.kill()));
});
afterAll(async () => {
	await fake?.close();
	if (repo) rmSync(repo, { recursive: true, force: true });
});

async function openReplay(...args: string[]): Promise<TmuxSession> {
	const session = await startTmux({
		command: [process.execPath, CLI, 'replay', EXAMPLE, ...args],
		cwd: repo,
		env: { OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model', OPENAI_API_KEY: 'sk-test-replay' },
		width: 120,
		height: 40,
	});
	sessions.push(session);
	return session;
}

/** The whole percent the status line shows the replay at. */
function percent(screen: string): number {
	const match = /replay (?:paused )?(?:[\d.]+× )?(\d+)%/.exec(statusLine(screen));
	if (!match) throw new Error(`no replay progress in the status line:\n${statusLine(screen)}`);
	return Number(match[1]);
}

describe('orbit replay in the workbench', () => {
	it('shows the recorded thread and honours the speed and pause keys, calling no model', async () => {
		const session = await openReplay('--speed', '0.25');
		// The log holds the task at its start: it shows at once, the speed in the status line.
		let screen = await session.waitFor((text) => threadRow(`› ${TASK}`).test(text) && /replay 0\.25× \d+%/.test(statusLine(text)), 10_000, 'the task and the starting speed');
		expect(screen).toContain('Replaying session 20261122-');

		await session.sendKeys('Space');
		screen = await session.waitFor((text) => /replay paused \d+% at 0\.25×/.test(statusLine(text)), 10_000, 'paused');
		const pausedAt = percent(screen);
		// A change the screen must show proves frames go on; the playback must not have moved.
		await session.type('+');
		screen = await session.waitFor((text) => /replay paused \d+% at 0\.5×/.test(statusLine(text)), 10_000, 'faster while paused');
		expect(percent(screen)).toBe(pausedAt);
		expect(screen).not.toContain('Renamed `calcTotal`');

		await session.sendKeys('Space');
		await session.waitFor((text) => /replay 0\.5× \d+%/.test(statusLine(text)), 10_000, 'resumed at 0.5×');
		await session.type('-');
		await session.waitFor((text) => /replay 0\.25× \d+%/.test(statusLine(text)), 10_000, 'slower');
		// Up to 64×: the rest of the session (about 30 s at 0.25×) now plays in well under a second.
		for (let step = 0; step < 8; step++) await session.type('+');
		// The status line's label and the panes are separate renders (the panes follow within a frame).
		screen = await session.waitFor((text) => statusLine(text).includes('replay ended') && /Plan 3\/3/.test(text), 15_000, 'the end of the replay');
		expect(screen).toMatch(/Renamed .?calcTotal.? to .?computeTotal.? in 3 files/);

		await session.type('please also add a test');
		await session.sendKeys('Enter');
		await session.waitForText('This is a replay of a recorded session', 10_000);
		expect(fake.requests).toHaveLength(0);

		await session.sendKeys('C-c');
		await session.waitForText('press Ctrl+C again to quit', 10_000);
		await session.sendKeys('C-c');
		expect(await session.waitForExit(10_000)).toBe(0);
		expect(await session.capture()).toMatch(/Replay of session 20261122-\S+ closed\./);
	});
});
