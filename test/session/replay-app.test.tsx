import { beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { readSessionLog, type SessionLog } from '../../source/session/read-log.ts';
import { ReplayPlayer } from '../../source/session/replay.ts';
import { createReplayHandle, REPLAY_READ_ONLY } from '../../source/session/replay-handle.ts';
import { ReplayView } from '../../source/session/replay-view.ts';
import { ReplayApp, replayLabel } from '../../source/ui/replay/replay-app.tsx';
import { UiStore } from '../../source/ui/store/ui-store.ts';
import { renderThemed } from '../ui/components/render-helpers.tsx';
import { MESSAGE, recordSession } from './recorded-session.ts';

let log: SessionLog;
beforeAll(async () => {
	log = readSessionLog((await recordSession()).logPath);
}, 30_000);

/** The replay workbench on a recorded session, at a speed slow enough that nothing past the first moment plays unasked. */
function mount() {
	const view = new ReplayView();
	const store = new UiStore({ bucket: view.bucket, plan: view.plan, usage: view.usage, state: view.state }, 5);
	let publish: (event: RuntimeEvent) => void = () => {};
	// A day between events: only the keys move the playback on.
	const events = log.events.map((event, index) => ({ ...event, timestamp: new Date(Date.parse('2026-01-01T00:00:00Z') + index * 86_400_000).toISOString() }));
	const player = new ReplayPlayer(events, (event) => (view.apply(event), store.apply(event), publish(event)), { maxGapMs: 86_400_000 });
	const replay = createReplayHandle(log, view, player, (text) => store.notice(text, 'warning'));
	publish = replay.publish;
	const commands: string[] = [];
	const app = renderThemed(<ReplayApp agent={replay.handle} store={store} player={player} model="scripted" runCommand={(line) => commands.push(line)} />);
	player.start();
	return { app, player, commands };
}

describe('the replay workbench', () => {
	it('shows the speed in the status line and honours +, - and space while the draft is empty', async () => {
		const { app, player } = mount();
		try {
			await app.waitForFrame((frame) => frame.includes('replay 1×') && frame.includes('space pause'), 'status at 1×');
			app.stdin.write('+');
			await app.waitForFrame((frame) => frame.includes('replay 2×'), 'faster');
			expect(player.status().speed).toBe(2);
			app.stdin.write('-');
			app.stdin.write('-');
			await app.waitForFrame((frame) => frame.includes('replay 0.5×'), 'slower');
			app.stdin.write(' ');
			await app.waitForFrame((frame) => frame.includes('replay paused') && frame.includes('space resumes'), 'paused');
			expect(player.status().paused).toBe(true);
			app.stdin.write(' ');
			await app.waitForFrame((frame) => frame.includes('replay 0.5×'), 'resumed');
			// With text in the draft the same keys type.
			app.stdin.write('a+b');
			await app.waitForFrame((frame) => frame.includes('a+b'), 'typed');
			expect(player.status().speed).toBe(0.5);
		} finally {
			player.stop();
			app.unmount();
		}
	});

	it('plays to the end with > and shows the thread; a typed message is refused, a slash command runs', async () => {
		const { app, player, commands } = mount();
		try {
			await app.waitForFrame((frame) => frame.includes('replay 1×'), 'first frame');
			app.stdin.write('>');
			await app.waitForFrame((frame) => frame.includes('✓ shell node check.js') && frame.includes(MESSAGE) && frame.includes('replay ended'), 'the whole thread');
			app.stdin.write('hello');
			await app.waitForFrame((frame) => frame.includes('› hello'), 'draft');
			app.stdin.write('\r');
			await app.waitForFrame((frame) => frame.includes(REPLAY_READ_ONLY.slice(0, 30)), 'refused');
			app.stdin.write('/export');
			await app.waitForFrame((frame) => frame.includes('› /export'), 'command typed');
			app.stdin.write('\r');
			await app.waitForFrame(() => commands.length === 1, 'command run');
			expect(commands).toEqual(['/export']);
		} finally {
			player.stop();
			app.unmount();
		}
	});
});

describe('replayLabel', () => {
	it('names speed, progress and keys, then the end', () => {
		expect(replayLabel({ speed: 0.25, paused: false, finished: false, played: 1, total: 3 })).toBe('replay 0.25× 33% · +/- speed · space pause');
		expect(replayLabel({ speed: 8, paused: true, finished: false, played: 3, total: 4 })).toBe('replay paused 75% at 8× · space resumes');
		expect(replayLabel({ speed: 8, paused: false, finished: true, played: 4, total: 4 })).toBe('replay ended · /export · Ctrl+C twice quits');
	});
});
