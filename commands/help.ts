import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/** `/help` — every command with its summary, one per line, in registry order. */
export const helpCommand: SlashCommand = {
	name: 'help',
	summary: 'List the slash commands',
	run(_args, ctx) {
		const commands = ctx.listCommands();
		const labels = commands.map((command) => command.usage ?? `/${command.name}`);
		const width = Math.max(...labels.map((label) => label.length));
		const lines = commands.map((command, index) => `${(labels[index] ?? '').padEnd(width)}  ${command.summary}`);
		return notice(['Slash commands:', ...lines].join('\n'));
	},
};
