import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/**
 * `/model` — names the model in use (its profile and fallbacks, and the profiles configured);
 * `/model NAME` switches to the profile NAME when one is configured, else to the model NAME on the
 * same endpoint, from the next request on.
 */
export const modelCommand: SlashCommand = {
	name: 'model',
	summary: 'Show the model in use, or switch: /model <model or profile>',
	usage: '/model [model | profile]',
	run(args, ctx) {
		const models = ctx.models;
		if (args === '') {
			if (!models) return notice(`Model: ${ctx.model}.`);
			const profile = models.profile();
			const fallbacks = models.fallbacks();
			const profiles = models.profiles();
			return notice(
				[
					`Model: ${ctx.model}${profile ? ` (profile ${profile})` : ''}.`,
					fallbacks.length > 0 ? `Fallbacks, in order: ${fallbacks.join(', ')}.` : 'No fallback models.',
					profiles.length > 0 ? `Profiles: ${profiles.join(', ')}. /model <profile> switches to one; /model <model> changes the model.` : '/model <model> changes the model; provider profiles go under "profiles" in your config.',
				].join('\n'),
			);
		}
		if (!models) return notice(`Model: ${ctx.model}. Switching is not available here. Nothing was changed.`, 'warning');
		try {
			return notice(models.switchTo(args));
		} catch (error) {
			return notice(`${error instanceof Error ? error.message : String(error)} Nothing was changed.`, 'error');
		}
	},
};
