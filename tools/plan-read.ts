import * as z from 'zod';
import { formatPlan } from '../source/runtime/plan.ts';
import { defineTool } from '../source/runtime/tool.ts';

/** plan_read: the agent's current plan, one line per step. */
export const planReadTool = defineTool({
	name: 'plan_read',
	description: 'Show your current plan.',
	parameters: z.object({}),
	access: 'read',
	async execute(_args, ctx) {
		return { content: formatPlan(ctx.getPlan()) };
	},
});
