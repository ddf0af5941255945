import type { SlashCommand } from './command.ts';

/** `/quit` — asks the UI to end the program. */
export const quitCommand: SlashCommand = {
	name: 'quit',
	summary: 'Quit Orbit',
	run: () => ({ kind: 'quit' }),
};
