import { EXIT } from '../../exit-codes.ts';
import type { RuntimeEvent } from '../../runtime/events.ts';
import { ReplayPlayer } from '../../session/replay.ts';
import { createReplayHandle } from '../../session/replay-handle.ts';
import type { SessionLog } from '../../session/read-log.ts';
import { ReplayView } from '../../session/replay-view.ts';
import { UiStore } from '../store/ui-store.ts';
import { loadTheme } from '../theme.ts';
import { hostWorkbench } from '../workbench-host.tsx';
import { ReplayApp } from './replay-app.tsx';

export interface ReplayTuiOptions {
	session: SessionLog;
	/** Playback speed to start with (1 = the recorded pace). */
	speed: number;
	theme?: string;
}

/**
 * The workbench replaying a recorded session: no agent is built, no model is called and no tool
 * runs; the player feeds the logged events to the screen at their recorded pace × speed. Resolves
 * with the exit code once the person quits; the terminal is restored on every way out.
 */
export async function runReplayTui(options: ReplayTuiOptions, env: NodeJS.ProcessEnv): Promise<number> {
	const { session } = options;
	const themeName = options.theme ?? env.ORBIT_THEME ?? 'dark';
	const theme = loadTheme(themeName);
	const view = new ReplayView();
	const ui = new UiStore({ bucket: view.bucket, plan: view.plan, usage: view.usage, cost: view.cost, state: view.state });
	let publish: (event: RuntimeEvent) => void = () => {};
	const player = new ReplayPlayer(
		session.events,
		(event) => {
			view.apply(event);
			ui.apply(event);
			publish(event);
		},
		{ speed: options.speed },
	);
	const replay = createReplayHandle(session, view, player, (text) => ui.notice(text, 'warning'));
	publish = replay.publish;
	const agent = replay.handle;
	const recorded = session.header.createdAt ? ` (recorded ${session.header.createdAt.slice(0, 16).replace('T', ' ')})` : '';
	ui.notice(`Replaying session ${session.header.sessionId}${recorded}: no model is called and nothing runs. Keys: + faster, - slower, space pause, > to the end, Ctrl+C twice to quit.`, 'info');
	if (session.torn) ui.notice(`The log's last line (line ${session.torn.line}) was cut short, probably by a crash; it is left out.`, 'warning');

	player.start();
	const { signalled } = await hostWorkbench({
		store: ui,
		theme,
		themeName,
		commandFields: () => ({
			plan: view.plan,
			bucket: view.bucket,
			usage: view.usage,
			sessionId: session.header.sessionId,
			model: session.header.model,
			permission: 'replay',
			sessionLog: session.path,
		}),
		app: (runCommand) => <ReplayApp agent={agent} store={ui} player={player} model={session.header.model || 'unknown model'} runCommand={runCommand} />,
	});
	player.stop();
	process.stdout.write(`Replay of session ${session.header.sessionId} closed.\n`);
	return signalled ? EXIT.terminated : EXIT.done;
}
