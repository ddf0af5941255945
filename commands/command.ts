import type { ContextItem } from '../source/runtime/context-item.ts';
import type { Usage } from '../source/runtime/model.ts';
import type { Plan } from '../source/runtime/plan.ts';

/**
 * What a slash command answers. `notice` is shown to the person (never sent to the model); `quit`
 * asks the UI to end the program as Ctrl+C twice would; `none` means the command's effect is its answer.
 */
export type CommandResult = { kind: 'notice'; text: string; tone?: 'info' | 'warning' | 'error' } | { kind: 'quit' } | { kind: 'none' };

/**
 * What a command may read and do, handed over by whoever runs it (the TUI), so commands never import
 * the UI. Getters are read when the command runs; the plain fields are a snapshot taken for that call.
 */
export interface CommandContext {
	/** The agent's current plan (steps may be empty). */
	plan(): Plan;
	/** Items waiting in the context bucket, in injection order. */
	bucket(): readonly ContextItem[];
	/** Token usage of the session so far. */
	usage(): Usage;
	sessionId: string;
	/** The model's name as the status line shows it. */
	model: string;
	/** The permission mode (`read-only`, `ask`, `auto`, `full`). */
	permission: string;
	/** Names of the themes that can be chosen. */
	themes: string[];
	/** The name of the theme in use. */
	theme: string;
	/** Switches to the theme `name`; called only with a name from `themes`. */
	setTheme(name: string): void;
	/** Clears the thread as shown on screen; the agent's conversation (and its memory of it) is untouched. */
	clearThread(): void;
	/** Every registered command, in registry order (for /help). */
	listCommands(): SlashCommand[];
	/** Timers set with /remind (for /remind); absent where reminders are not available. */
	reminders?: import('../source/runtime/triggers/reminders.ts').ReminderControl;
	/** The project memory (for /memory); absent when the session has none. */
	memory?: import('../source/context/memory.ts').ProjectMemory;
	/** The session's log file, `.orbit/sessions/<id>.jsonl` (for /export); absent when the session is not recorded. */
	sessionLog?: string;
	/** The session's AGENT.md files (for /context); absent when discovery is off. */
	projectContext?: import('../source/context/agent-files.ts').ProjectContext;
	/**
	 * Where the session's checkpoints live (for /undo): the repository root, and whether the agent is
	 * in a loop now (a turn's changes are undone only while none runs). Absent where undo is not available.
	 */
	checkpoints?: { root: string; busy(): boolean };
	/** The models the session can switch to (for /model); absent where switching is not available. */
	models?: ModelSwitch;
	/**
	 * For /login: the environment (it names the user's config folder and token store), the session's
	 * active profile, and how to show a notice later (the sign-in ends after the command has answered).
	 * Absent where signing in is not available.
	 */
	signIn?: { env: NodeJS.ProcessEnv; profile?: string; notify(text: string, tone?: 'info' | 'warning' | 'error'): void };
}

/** What /model reads and does. */
export interface ModelSwitch {
	/** The provider profile in use, when one is. */
	profile(): string | undefined;
	/** The fallback models of the endpoint in use, in order. */
	fallbacks(): readonly string[];
	/** The provider profiles configured (any of them can be switched to). */
	profiles(): readonly string[];
	/** Switches to profile `target` when one has that name, else to model `target` on the endpoint in use; returns what it did. Throws with a message for the person. */
	switchTo(target: string): string;
}

/**
 * A slash command: data (name without the slash, a one-line summary, optional usage such as
 * `/theme [name]`) plus one function. `run` receives the text after the name, trimmed ("" when none);
 * it never throws for bad arguments — it answers with an error notice instead.
 */
export interface SlashCommand {
	name: string;
	summary: string;
	usage?: string;
	run(args: string, ctx: CommandContext): Promise<CommandResult> | CommandResult;
}

/** A notice with the given tone ('info' unless given). */
export function notice(text: string, tone: 'info' | 'warning' | 'error' = 'info'): CommandResult {
	return { kind: 'notice', text, tone };
}
