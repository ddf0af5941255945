import * as z from 'zod';
import { buildPlan, formatPlan, planStepInput } from '../source/runtime/plan.ts';
import { defineTool } from '../source/runtime/tool.ts';

/**
 * plan_update: replaces the agent's plan (access `read`: it changes only the agent's own state).
 * More than one Active step is an error result and leaves the plan as it was.
 */
export const planUpdateTool = defineTool({
	name: 'plan_update',
	description: 'Replace your plan. At most one step may be Active.',
	parameters: z.object({
		steps: z.array(planStepInput),
	}),
	access: 'read',
	async execute({ steps }, ctx) {
		const plan = buildPlan(steps);
		if ('error' in plan) return { content: `${plan.error} Mark one step Active and the others New or Done.`, isError: true };
		ctx.setPlan(plan);
		return { content: formatPlan(plan), details: { plan } };
	},
});
