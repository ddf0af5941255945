import { clearCommand } from './clear.ts';
import { closestName } from './closest-name.ts';
import type { SlashCommand } from './command.ts';
import { contextCommand } from './context.ts';
import { exportCommand } from './export.ts';
import { helpCommand } from './help.ts';
import { loginCommand } from './login.ts';
import { memoryCommand } from './memory.ts';
import { modelCommand } from './model.ts';
import { planCommand } from './plan.ts';
import { quitCommand } from './quit.ts';
import { remindCommand } from './remind.ts';
import { sessionsCommand } from './sessions.ts';
import { themeCommand } from './theme.ts';
import { undoCommand } from './undo.ts';

export type { CommandContext, CommandResult, SlashCommand } from './command.ts';

/** Every slash command, in the order /help lists them (PRODUCT §8's order). */
export const COMMANDS: SlashCommand[] = [
	helpCommand,
	planCommand,
	memoryCommand,
	contextCommand,
	remindCommand,
	undoCommand,
	sessionsCommand,
	loginCommand,
	modelCommand,
	themeCommand,
	exportCommand,
	clearCommand,
	quitCommand,
];

/**
 * Reads a line of input as a slash command. Undefined when it is not one — it does not start with "/",
 * or its first word holds another "/" (a path such as "/etc/hosts is wrong" is a message, not a
 * command). Names match without regard to case; `args` is the rest of the line, trimmed. An unknown
 * name (or a bare "/") gives an error naming the closest command, if any, and pointing to /help.
 * Never throws.
 */
export function parseSlash(input: string, commands: readonly SlashCommand[] = COMMANDS): { command: SlashCommand; args: string } | { error: string } | undefined {
	if (!input.startsWith('/')) return undefined;
	const match = /^\/(\S*)\s*([\s\S]*)$/.exec(input);
	const name = match?.[1] ?? '';
	const args = (match?.[2] ?? '').trim();
	if (name.includes('/')) return undefined;
	if (name === '') return { error: 'Type a command name after "/" — /help lists them.' };
	const command = commands.find((candidate) => candidate.name === name.toLowerCase());
	if (command) return { command, args };
	const closest = closestName(
		name,
		commands.map((candidate) => candidate.name),
	);
	const suggestion = closest ? ` Did you mean /${closest}?` : '';
	return { error: `Unknown command /${name}.${suggestion} /help lists every command.` };
}
