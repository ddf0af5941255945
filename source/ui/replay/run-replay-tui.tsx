import { render } from 'ink';
import { COMMANDS, parseSlash } from '../../../commands/index.ts';
import type { CommandContext } from '../../../commands/command.ts';
import { EXIT } from '../../exit-codes.ts';
import type { RuntimeEvent } from '../../runtime/events.ts';
import { ReplayPlayer } from '../../session/replay.ts';
import { createReplayHandle } from '../../session/replay-handle.ts';
import type { SessionLog } from '../../session/read-log.ts';
import { ReplayView } from '../../session/replay-view.ts';
import { UiStore } from '../store/ui-store.ts';
import { enterFullScreen } from '../terminal-screen.ts';
import { listThemes, loadTheme } from '../theme.ts';
import { ThemeContext } from '../theme-context.tsx';
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
	let themeName = options.theme ?? env.ORBIT_THEME ?? 'dark';
	let theme = loadTheme(themeName);
	const view = new ReplayView();
	const ui = new UiStore({ bucket: view.bucket, plan: view.plan, usage: view.usage, state: view.state });
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

	let signalled = false;
	const screen = enterFullScreen(process.stdout, () => {
		signalled = true;
		instance.unmount();
	});
	const rerender = () => instance.rerender(tree());
	const commandContext = (): CommandContext => ({
		plan: view.plan,
		bucket: view.bucket,
		usage: view.usage,
		sessionId: session.header.sessionId,
		model: session.header.model,
		permission: 'replay',
		themes: listThemes(),
		theme: themeName,
		setTheme: (name) => {
			theme = loadTheme(name);
			themeName = name;
			rerender();
		},
		clearThread: () => ui.clearThread(),
		listCommands: () => COMMANDS,
		sessionLog: session.path,
	});
	const runCommand = (line: string) => {
		const parsed = parseSlash(line);
		if (!parsed) return;
		if ('error' in parsed) {
			ui.notice(parsed.error, 'error');
			return;
		}
		void Promise.resolve(parsed.command.run(parsed.args, commandContext())).then(
			(result) => {
				if (result.kind === 'notice') ui.notice(result.text, result.tone ?? 'info');
				if (result.kind === 'quit') instance.unmount();
			},
			(error: unknown) => ui.notice(`${line} failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
		);
	};
	const tree = () => (
		<ThemeContext.Provider value={theme}>
			<ReplayApp agent={agent} store={ui} player={player} model={session.header.model || 'unknown model'} runCommand={runCommand} onQuit={() => {}} />
		</ThemeContext.Provider>
	);
	const instance = render(tree(), { exitOnCtrlC: false, patchConsole: true, incrementalRendering: process.env.ORBIT_INCREMENTAL !== '0', maxFps: 30 });
	player.start();
	await instance.waitUntilExit();
	player.stop();
	screen.restore();
	ui.dispose();
	process.stdout.write(`Replay of session ${session.header.sessionId} closed.\n`);
	return signalled ? EXIT.terminated : EXIT.done;
}
