import { formatPlan } from '../source/runtime/plan.ts';
import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/** `/plan` — the agent's plan as text, one step per line; "No plan yet." when it has none. */
export const planCommand: SlashCommand = {
	name: 'plan',
	summary: "Show the agent's plan",
	run(_args, ctx) {
		const plan = ctx.plan();
		if (plan.steps.length === 0) return notice('No plan yet — the agent writes one when a task has several steps.');
		return notice(`Plan:\n${formatPlan(plan)}`);
	},
};
