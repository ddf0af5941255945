import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/** `/clear` — clears the thread on screen only; the agent keeps its memory of the conversation. */
export const clearCommand: SlashCommand = {
	name: 'clear',
	summary: 'Clear the thread view (the agent keeps the conversation)',
	run(_args, ctx) {
		ctx.clearThread();
		return notice('Cleared the thread view. The agent still remembers the conversation; only the screen was cleared.');
	},
};
