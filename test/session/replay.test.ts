import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReplaySubcommand } from '../../commands/replay.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { sessionLogPath } from '../../source/session/event-log.ts';
import { readSessionLog, type SessionLog } from '../../source/session/read-log.ts';
import { MAX_GAP_MS, type ReplayClock, ReplayPlayer, replayTimeline } from '../../source/session/replay.ts';
import { createReplayHandle, REPLAY_READ_ONLY } from '../../source/session/replay-handle.ts';
import { resolveSessionLog } from '../../source/session/replay-log.ts';
import { ReplayView } from '../../source/session/replay-view.ts';
import { MESSAGE, type Recorded, recordSession } from './recorded-session.ts';

let recorded: Recorded;
beforeAll(async () => {
	recorded = await recordSession();
}, 30_000);

/** A clock the test moves by hand: timers fire, in time order, only inside `advance`. */
function manualClock(): ReplayClock & { advance(ms: number): void; waiting(): number[] } {
	let now = 1_000_000;
	let timers: { at: number; run: () => void; cancelled: boolean }[] = [];
	return {
		now: () => now,
		after(ms, run) {
			const timer = { at: now + ms, run, cancelled: false };
			timers.push(timer);
			return () => (timer.cancelled = true);
		},
		advance(ms) {
			const target = now + ms;
			for (;;) {
				timers = timers.filter((timer) => !timer.cancelled);
				const next = timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
				if (!next) break;
				timers = timers.filter((timer) => timer !== next);
				now = next.at;
				next.run();
			}
			now = target;
		},
		waiting: () => timers.filter((timer) => !timer.cancelled).map((timer) => timer.at - now),
	};
}

/** Events `ms` apart (offsets in ms from the first), with distinct ids. */
function spaced(...offsets: number[]): RuntimeEvent[] {
	const start = Date.parse('2026-01-01T10:00:00.000Z');
	return offsets.map((offset, index) => ({ type: 'state', state: 'thinking', id: `s:${index + 1}`, sessionId: 's', timestamp: new Date(start + offset).toISOString() }) as RuntimeEvent);
}

function io() {
	const out: string[] = [];
	const err: string[] = [];
	return { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) }, env: {}, out: () => out.join(''), err: () => err.join('') };
}

describe('replayTimeline', () => {
	it('offsets from the first event, shortening long pauses and ignoring times that go back or cannot be read', () => {
		const events = spaced(0, 100, 100 + 60_000, 50_000, 50_000 + 4_000);
		expect(replayTimeline(events)).toEqual([0, 100, 100 + MAX_GAP_MS, 100 + MAX_GAP_MS, 100 + 2 * MAX_GAP_MS]);
		const broken = [...spaced(0), { ...spaced(5)[0]!, timestamp: 'not a time' }, ...spaced(40)];
		expect(replayTimeline(broken)).toEqual([0, 0, 40]);
	});
});

describe('ReplayPlayer', () => {
	it('hands out the events at their recorded pace × speed, each exactly once and in order', async () => {
		const clock = manualClock();
		const events = spaced(0, 0, 400, 1_000);
		const played: string[] = [];
		const player = new ReplayPlayer(events, (event) => played.push(event.id), { speed: 2, clock });
		player.start();
		expect(played).toEqual(['s:1', 's:2']);
		expect(clock.waiting()).toEqual([200]);
		clock.advance(199);
		expect(played).toHaveLength(2);
		clock.advance(1);
		expect(played).toEqual(['s:1', 's:2', 's:3']);
		clock.advance(300);
		expect(played).toEqual(['s:1', 's:2', 's:3', 's:4']);
		expect(player.status()).toEqual({ speed: 2, paused: false, finished: true, played: 4, total: 4 });
		await player.finished;
	});

	it('changes speed mid-gap from where the playback stands', () => {
		const clock = manualClock();
		const played: string[] = [];
		const player = new ReplayPlayer(spaced(0, 1_000), (event) => played.push(event.id), { clock });
		player.start();
		clock.advance(500);
		player.setSpeed(5);
		// 500 recorded ms are left: 100 ms at 5×.
		expect(clock.waiting()).toEqual([100]);
		clock.advance(100);
		expect(played).toEqual(['s:1', 's:2']);
	});

	it('steps through the speeds with faster and slower, stopping at the ends', () => {
		const player = new ReplayPlayer(spaced(0, 1), () => {}, { clock: manualClock() });
		player.faster();
		expect(player.status().speed).toBe(2);
		for (let index = 0; index < 20; index++) player.faster();
		expect(player.status().speed).toBe(64);
		for (let index = 0; index < 20; index++) player.slower();
		expect(player.status().speed).toBe(0.25);
		expect(() => player.setSpeed(0)).toThrow(RangeError);
	});

	it('pauses without losing its place and resumes where it stopped', () => {
		const clock = manualClock();
		const played: string[] = [];
		const changes: boolean[] = [];
		const player = new ReplayPlayer(spaced(0, 1_000, 2_000), (event) => played.push(event.id), { clock });
		player.onChange(() => changes.push(player.status().paused));
		player.start();
		clock.advance(600);
		player.togglePause();
		expect(player.status().paused).toBe(true);
		clock.advance(10_000);
		expect(played).toEqual(['s:1']);
		player.togglePause();
		expect(clock.waiting()).toEqual([400]);
		clock.advance(400);
		expect(played).toEqual(['s:1', 's:2']);
		expect(changes).toContain(true);
	});

	it('skips to the end at once, and stop hands out nothing more', async () => {
		const played: string[] = [];
		const clock = manualClock();
		const player = new ReplayPlayer(spaced(0, 1_000, 2_000), (event) => played.push(event.id), { clock });
		player.start();
		player.skipToEnd();
		expect(played).toEqual(['s:1', 's:2', 's:3']);
		await player.finished;
		const stopped: string[] = [];
		const other = new ReplayPlayer(spaced(0, 1_000), (event) => stopped.push(event.id), { clock });
		other.start();
		other.stop();
		clock.advance(5_000);
		expect(stopped).toEqual(['s:1']);
		await other.finished;
	});

	it('plays a real recorded session back as exactly the recorded events', () => {
		const log = readSessionLog(recorded.logPath);
		const played: RuntimeEvent[] = [];
		new ReplayPlayer(log.events, (event) => played.push(event)).skipToEnd();
		expect(played).toEqual(recorded.events);
	});
});

describe('ReplayView', () => {
	it('folds a real session into the plan, usage and state the agent had', () => {
		const view = new ReplayView();
		for (const event of readSessionLog(recorded.logPath).events) view.apply(event);
		const lastPlan = recorded.events.findLast((event) => event.type === 'plan-updated');
		expect(view.plan()).toEqual(lastPlan?.type === 'plan-updated' ? lastPlan.plan : undefined);
		expect(view.plan().steps.map((step) => step.status)).toEqual(['Done', 'Done']);
		expect(view.usage()).toEqual({ promptTokens: 400, completionTokens: 25, totalTokens: 425 });
		expect(view.state()).toBe('stopped');
		expect(view.lastLoopEnd()).toBe('idle');
		expect(view.bucket()).toEqual([]);
	});

	it('keeps the waiting items in injection order through adds, re-prioritising, removal and injection', () => {
		const view = new ReplayView();
		const base = { sessionId: 's', timestamp: '2026-01-01T00:00:00.000Z' };
		const item = (id: string, priority: string) => ({ id, source: 'user', content: id, priority, createdAt: '' });
		const events = [
			{ ...base, id: '1', type: 'item-added', item: item('a', 'in-the-end') },
			{ ...base, id: '2', type: 'item-added', item: item('b', 'for-next-turn') },
			{ ...base, id: '3', type: 'item-added', item: item('c', 'for-next-turn') },
		] as RuntimeEvent[];
		for (const event of events) view.apply(event);
		expect(view.bucket().map((entry) => entry.id)).toEqual(['b', 'c', 'a']);
		view.apply({ ...base, id: '4', type: 'item-reprioritized', itemId: 'a', priority: 'interruption' } as RuntimeEvent);
		expect(view.bucket().map((entry) => `${entry.id}:${entry.priority}`)).toEqual(['a:interruption', 'b:for-next-turn', 'c:for-next-turn']);
		view.apply({ ...base, id: '5', type: 'item-removed', itemId: 'b' } as RuntimeEvent);
		view.apply({ ...base, id: '6', type: 'item-injected', item: item('a', 'interruption'), rule: 'interruption' } as RuntimeEvent);
		expect(view.bucket().map((entry) => entry.id)).toEqual(['c']);
	});
});

describe('createReplayHandle', () => {
	it('refuses every change with a notice, pauses on abort, and tells its subscribers what is played', async () => {
		const log = readSessionLog(recorded.logPath);
		const view = new ReplayView();
		const clock = manualClock();
		const refusals: string[] = [];
		let publish: (event: RuntimeEvent) => void = () => {};
		const player = new ReplayPlayer(log.events, (event) => (view.apply(event), publish(event)), { clock });
		const replay = createReplayHandle(log, view, player, (text) => refusals.push(text));
		publish = replay.publish;
		const heard: string[] = [];
		replay.handle.subscribe((event) => heard.push(event.id));
		expect(replay.handle.sessionId).toBe(recorded.sessionId);
		replay.handle.post('do something');
		replay.handle.trigger({ source: 'timer', content: 'x' });
		expect(replay.handle.removeItem('any')).toBe(false);
		expect(refusals).toEqual([REPLAY_READ_ONLY, REPLAY_READ_ONLY, REPLAY_READ_ONLY]);
		player.start();
		replay.handle.abort();
		expect(player.status().paused).toBe(true);
		player.skipToEnd();
		expect(heard).toEqual(log.events.map((event) => event.id));
		expect((await replay.handle.done).type).toBe('session-end');
		await replay.handle.whenIdle();
	});
});

describe('resolveSessionLog', () => {
	it('reads paths as paths and anything else as an id in .orbit/sessions', () => {
		expect(resolveSessionLog('examples/a.jsonl', '/work', '/repo')).toBe('/work/examples/a.jsonl');
		expect(resolveSessionLog('./abc', '/work', '/repo')).toBe('/work/abc');
		expect(resolveSessionLog('/tmp/x.jsonl', '/work', '/repo')).toBe('/tmp/x.jsonl');
		expect(resolveSessionLog('20260101-101010-abcdef', '/work', '/repo')).toBe(sessionLogPath('/repo', '20260101-101010-abcdef'));
	});

	it('finds a relative path missing here under the folder Orbit ships (its examples), and prefers the one here', () => {
		const shipped = mkdtempSync(join(tmpdir(), 'orbit-shipped-'));
		const here = mkdtempSync(join(tmpdir(), 'orbit-here-'));
		mkdirSync(join(shipped, 'examples'));
		writeFileSync(join(shipped, 'examples', 'demo.jsonl'), '');
		expect(resolveSessionLog('examples/demo.jsonl', here, here, shipped)).toBe(join(shipped, 'examples', 'demo.jsonl'));
		expect(resolveSessionLog('examples/other.jsonl', here, here, shipped)).toBe(join(here, 'examples', 'other.jsonl'));
		mkdirSync(join(here, 'examples'));
		writeFileSync(join(here, 'examples', 'demo.jsonl'), '');
		expect(resolveSessionLog('examples/demo.jsonl', here, here, shipped)).toBe(join(here, 'examples', 'demo.jsonl'));
	});
});

describe('orbit replay', () => {
	const run = (argv: string[], overrides: Parameters<typeof createReplaySubcommand>[0] = {}) => {
		const streams = io();
		const command = createReplaySubcommand({ cwd: () => recorded.root, interactive: () => false, ...overrides });
		return command.run(argv, streams).then((code) => ({ code, ...streams }));
	};

	it('without a terminal prints every recorded event as JSON lines, exactly as logged', async () => {
		const result = await run([recorded.sessionId]);
		expect(result.code).toBe(0);
		expect(result.err()).toBe('');
		const logged = readFileSync(recorded.logPath, 'utf8').trimEnd().split('\n').slice(1);
		expect(result.out().trimEnd().split('\n')).toEqual(logged);
	});

	it('--output text prints the messages to the person; --speed paces it and still ends', async () => {
		const text = await run([recorded.logPath, '--output', 'text']);
		expect(text.out()).toBe(`${MESSAGE}\n`);
		const paced = await run([recorded.logPath, '--output', 'text', '--speed', '64']);
		expect(paced.code).toBe(0);
		expect(paced.out()).toBe(`${MESSAGE}\n`);
	});

	it('opens the workbench at a terminal, with the speed asked for', async () => {
		const opened: { session: SessionLog; speed: number }[] = [];
		const result = await run([recorded.sessionId, '--speed', '4'], { interactive: () => true, runTui: async (session, speed) => (opened.push({ session, speed }), 0) });
		expect(result.code).toBe(0);
		expect(opened).toHaveLength(1);
		expect(opened[0]!.speed).toBe(4);
		expect(opened[0]!.session.events).toEqual(recorded.events);
	});

	it('replays a log with a torn last line, saying so on stderr', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'orbit-replay-torn-'));
		const copy = join(folder, 'torn.jsonl');
		writeFileSync(copy, readFileSync(recorded.logPath));
		appendFileSync(copy, '{"type":"text-delta","tu');
		const result = await run([copy]);
		expect(result.code).toBe(0);
		expect(result.err()).toMatch(/^orbit replay: line \d+ of .*torn\.jsonl was cut short \(a crash while writing\?\); it is left out\n$/);
		expect(result.out().trimEnd().split('\n')).toHaveLength(recorded.events.length);
	});

	it('answers bad arguments with usage (2) and an unreadable log with a message (1)', async () => {
		for (const argv of [[], ['a', 'b'], ['x', '--speed', '0'], ['x', '--speed', 'fast'], ['x', '--output', 'html'], ['x', '--nope']]) {
			const result = await run(argv);
			expect(result.code, argv.join(' ')).toBe(2);
			expect(result.err()).toMatch(/\nUsage: orbit replay <id\|file\.jsonl>/);
		}
		const missing = await run(['no-such-session']);
		expect(missing.code).toBe(1);
		expect(missing.err()).toMatch(/^orbit replay: no session log at .*no-such-session\.jsonl\n$/);
		expect(missing.out()).toBe('');
	});
});
