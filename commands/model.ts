import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/** `/model` — names the model in use. Switching arrives with provider profiles; with an argument it says so and changes nothing. */
export const modelCommand: SlashCommand = {
	name: 'model',
	summary: 'Show the model in use',
	run(args, ctx) {
		const current = `Model: ${ctx.model}.`;
		const howToChoose = 'Switching models inside a session arrives with provider profiles; for now start Orbit with --model <name> (or ORBIT_MODEL).';
		if (args === '') return notice(`${current} ${howToChoose}`);
		return notice(`${current} Nothing was changed: ${howToChoose}`, 'warning');
	},
};
