import * as z from 'zod';

export const PLAN_STATUSES = ['New', 'Active', 'Done'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanStep {
	index: number;
	content: string;
	status: PlanStatus;
}

export interface Plan {
	steps: PlanStep[];
}

export const planStepInput = z.object({
	content: z.string().min(1).describe('what the step does'),
	status: z.enum(PLAN_STATUSES),
});

export type PlanStepInput = z.infer<typeof planStepInput>;

/** Builds a plan from steps; returns an error message (for the model) when more than one step is Active. */
export function buildPlan(steps: PlanStepInput[]): Plan | { error: string } {
	const active = steps.filter((step) => step.status === 'Active').length;
	if (active > 1) return { error: `At most one step may be Active; got ${active}.` };
	return { steps: steps.map((step, index) => ({ index: index + 1, content: step.content.trim(), status: step.status })) };
}

export function hasOpenSteps(plan: Plan): boolean {
	return plan.steps.some((step) => step.status !== 'Done');
}

/** One line per step, as the model and headless output read it; "(no plan)" when empty. */
export function formatPlan(plan: Plan): string {
	if (plan.steps.length === 0) return '(no plan)';
	return plan.steps.map((step) => `${step.index}. [${step.status}] ${step.content}`).join('\n');
}
