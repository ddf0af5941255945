import { render } from 'ink';
import type { ReactElement } from 'react';
import type { CommandContext } from '../../commands/command.ts';
import { COMMANDS, parseSlash } from '../../commands/index.ts';
import { ThreadPainterContext } from './components/thread-pane.tsx';
import { inkStdout } from './ink-stdout.ts';
import type { UiStore } from './store/ui-store.ts';
import { enterFullScreen } from './terminal-screen.ts';
import { listThemes, loadTheme, type Theme } from './theme.ts';
import { ThemeContext } from './theme-context.tsx';
import { ThreadPainter } from './thread-painter.ts';

/** What the host fills in of a command's context; themes, /clear and /help come from the host. */
export type HostCommandFields = Omit<CommandContext, 'themes' | 'theme' | 'setTheme' | 'clearThread' | 'listCommands'>;

export interface WorkbenchHostOptions {
	store: UiStore;
	/** The theme to start with, and its name. */
	theme: Theme;
	themeName: string;
	/** Read whenever a slash command runs. */
	commandFields(): HostCommandFields;
	/** The screen, given the slash-command runner. */
	app(runCommand: (line: string) => void): ReactElement;
}

/**
 * Runs a workbench screen on the terminal — the live agent's or a replay's: the alternate screen
 * (restored on every way out), the theme (switched by /theme) and the slash commands, whose notices
 * go to the thread. Resolves when the screen closes; `signalled` is true when SIGTERM/SIGHUP closed
 * it rather than the person.
 */
export async function hostWorkbench(options: WorkbenchHostOptions): Promise<{ signalled: boolean }> {
	const { store } = options;
	let themeName = options.themeName;
	let theme = options.theme;
	let signalled = false;
	const screen = enterFullScreen(process.stdout, () => {
		signalled = true;
		instance.unmount();
	});
	const commandContext = (): CommandContext => ({
		...options.commandFields(),
		themes: listThemes(),
		theme: themeName,
		setTheme: (name) => {
			theme = loadTheme(name);
			themeName = name;
			instance.rerender(tree());
		},
		clearThread: () => store.clearThread(),
		listCommands: () => COMMANDS,
	});
	const runCommand = (line: string) => {
		const parsed = parseSlash(line);
		if (!parsed) return;
		if ('error' in parsed) {
			store.notice(parsed.error, 'error');
			return;
		}
		void Promise.resolve(parsed.command.run(parsed.args, commandContext())).then(
			(result) => {
				if (result.kind === 'notice') store.notice(result.text, result.tone ?? 'info');
				if (result.kind === 'quit') instance.unmount();
			},
			(error: unknown) => store.notice(`${line} failed: ${error instanceof Error ? error.message : String(error)}`, 'error'),
		);
	};
	// The thread's rows are painted beside Ink (see ThreadPainter); Ink writes through a stream that
	// puts them back after each of its frames.
	const painter = new ThreadPainter(process.stdout);
	const unsubscribe = store.subscribeThread(painter.threadChanged);
	const stdout = inkStdout(process.stdout, () => painter.overlay());
	const tree = () => (
		<ThemeContext.Provider value={theme}>
			<ThreadPainterContext.Provider value={painter}>{options.app(runCommand)}</ThreadPainterContext.Provider>
		</ThemeContext.Provider>
	);
	const instance = render(tree(), { stdout, exitOnCtrlC: false, patchConsole: true, incrementalRendering: process.env.ORBIT_INCREMENTAL !== '0', maxFps: 30 });
	await instance.waitUntilExit();
	unsubscribe();
	painter.detach();
	screen.restore();
	store.dispose();
	return { signalled };
}
