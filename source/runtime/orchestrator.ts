import type { Bucket } from './bucket.ts';
import type { ContextItem, Priority } from './context-item.ts';
import type { EventBus, InjectionRule } from './events.ts';

/** Where the loop stands when it asks what is due. */
export type LoopPoint =
	/** The agent was idle and a loop starts: everything waiting is due. */
	| 'loop-start'
	/** After a model response or a tool batch, before the next model call. */
	| 'safe-point'
	/** The loop would stop: the model made no tool call. */
	| 'loop-end';

const DUE: Record<LoopPoint, readonly Priority[]> = {
	'loop-start': ['interruption', 'for-next-turn', 'in-the-end'],
	'safe-point': ['interruption', 'for-next-turn'],
	'loop-end': ['interruption', 'for-next-turn', 'in-the-end'],
};

export interface OrchestratorHooks {
	/** True while a loop runs (a model call, a tool batch or the steps between). */
	isBusy(): boolean;
	/** Starts a loop; called only when not busy. */
	startLoop(): void;
	/** Aborts the in-flight model request and running tools of the current turn. */
	abortTurn(reason: string, itemId: string): void;
}

/**
 * The injection orchestrator of PRODUCT §1, with no AI: it reacts to new items (start a loop when
 * idle; abort the turn for an Interruption when busy) and hands the loop the items due at each point,
 * recording each injection with the rule that made it due. Deterministic: same inputs, same events.
 */
export class Orchestrator {
	constructor(
		private readonly bucket: Bucket,
		private readonly bus: EventBus,
		private readonly hooks: OrchestratorHooks,
	) {}

	/** Called after an item entered the bucket (or changed priority). */
	onItemWaiting(item: ContextItem): void {
		if (!this.hooks.isBusy()) {
			this.hooks.startLoop();
			return;
		}
		if (item.priority === 'interruption') {
			this.bus.emit({ type: 'abort-requested', reason: 'interruption', itemId: item.id });
			this.hooks.abortTurn('interruption', item.id);
		}
	}

	/** Removes the items due at `point` from the bucket, in injection order, and records each injection. */
	takeDue(point: LoopPoint): ContextItem[] {
		const items = this.bucket.take(DUE[point]);
		for (const item of items) this.bus.emit({ type: 'item-injected', item, rule: ruleFor(point, item) });
		return items;
	}
}

function ruleFor(point: LoopPoint, item: ContextItem): InjectionRule {
	if (point === 'loop-start') return 'idle-start';
	if (item.priority === 'interruption') return 'interruption';
	if (item.priority === 'in-the-end') return 'loop-end';
	return 'safe-point';
}
