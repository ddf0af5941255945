import { formatPlan, hasOpenSteps, type Plan } from '../plan.ts';
import type { Submind } from '../submind.ts';

export interface PlanDriftOptions {
	/** Tool calls (other than plan_read/plan_update) since the last plan update that earn a reminder. Default 8. */
	toolCalls?: number;
	/** Reminders of each kind in one loop. Default 1. */
	perLoop?: number;
	/** Reminders in a row without a plan update in between; the count restarts when the plan is updated. Default 3. */
	perPlan?: number;
	/** Also remind after `toolCalls` calls when there is no plan at all. Default true. */
	withoutPlan?: boolean;
}

/** Tool calls that read or write the plan: they are not "work without touching the plan". */
const PLAN_TOOLS = new Set(['plan_read', 'plan_update']);

/**
 * The plan-drift monitor (PRODUCT §1, no AI). It adds a ForNextTurn reminder, source
 * `submind:plan-drift`, when (a) the agent made `toolCalls` tool calls without updating its plan, or
 * (b) the model answered without a tool call — the loop would end — while the plan has New or Active
 * steps. Case (b) is added before the loop decides, so the reminder is injected at the loop's end and
 * the loop goes on once more.
 *
 * Bounded so it can never keep the agent looping: at most `perLoop` reminders of each kind per loop
 * (so a model that stops again after an open-steps reminder ends the loop) and `perPlan` reminders
 * between two plan updates. The tool-call count restarts after each reminder and each update.
 */
export function createPlanDriftSubmind(options: PlanDriftOptions = {}): Submind {
	const threshold = options.toolCalls ?? 8;
	const perLoop = options.perLoop ?? 1;
	const perPlan = options.perPlan ?? 3;
	const withoutPlan = options.withoutPlan ?? true;
	return {
		name: 'plan-drift',
		start(context) {
			let callsSinceUpdate = 0;
			let sinceUpdate = 0;
			const inLoop = { drift: 0, open: 0 };
			const remind = (kind: keyof typeof inLoop, content: string) => {
				if (inLoop[kind] >= perLoop || sinceUpdate >= perPlan) return;
				inLoop[kind] += 1;
				sinceUpdate += 1;
				callsSinceUpdate = 0;
				context.addItem({ content, priority: 'for-next-turn' });
			};
			return context.subscribe((event) => {
				switch (event.type) {
					case 'loop-start':
						inLoop.drift = 0;
						inLoop.open = 0;
						return;
					case 'plan-updated':
						callsSinceUpdate = 0;
						sinceUpdate = 0;
						return;
					case 'tool-end':
						if (!PLAN_TOOLS.has(event.name) && !event.interrupted) callsSinceUpdate += 1;
						return;
					case 'turn-end': {
						if (event.interrupted || event.toolCalls === 0 || callsSinceUpdate < threshold) return;
						const plan = context.plan();
						if (plan.steps.length === 0 && !withoutPlan) return;
						remind('drift', driftReminder(callsSinceUpdate, plan));
						return;
					}
					case 'assistant-message': {
						// Emitted only for a completed answer; no tool call means the loop is about to end.
						if (event.interrupted || event.toolCalls.length > 0) return;
						const plan = context.plan();
						if (hasOpenSteps(plan)) remind('open', openStepsReminder(plan));
						return;
					}
				}
			});
		},
	};
}

function driftReminder(calls: number, plan: Plan): string {
	if (plan.steps.length === 0) {
		return `plan check: ${calls} tool calls and no plan yet. If this task has several steps, write them down with plan_update.`;
	}
	return `plan check: ${calls} tool calls since your last plan update. Is the plan still right? Mark finished steps Done and the current one Active with plan_update.\n${formatPlan(plan)}`;
}

function openStepsReminder(plan: Plan): string {
	return `plan check: you are stopping, but your plan has open steps. Go on with the next one, or update the plan with plan_update (mark steps Done, drop the ones no longer needed) before you stop.\n${formatPlan(plan)}`;
}
