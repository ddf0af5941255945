import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/**
 * `/theme` lists the themes and names the current one; `/theme <name>` switches (names match without
 * regard to case). An unknown name is an error notice and changes nothing.
 */
export const themeCommand: SlashCommand = {
	name: 'theme',
	summary: 'List the themes, or switch to one',
	usage: '/theme [name]',
	run(args, ctx) {
		const available = ctx.themes.join(', ') || '(none)';
		if (args === '') return notice(`Theme: ${ctx.theme}. Available: ${available}.`);
		const chosen = ctx.themes.find((name) => name === args) ?? ctx.themes.find((name) => name.toLowerCase() === args.toLowerCase());
		if (chosen === undefined) return notice(`Unknown theme "${args}". Available: ${available}.`, 'error');
		if (chosen === ctx.theme) return notice(`Theme ${chosen} is already in use.`);
		ctx.setTheme(chosen);
		return notice(`Theme set to ${chosen}.`);
	},
};
