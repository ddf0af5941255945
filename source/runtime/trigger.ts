import type { Priority } from './context-item.ts';

export interface TriggerFire {
	source: string;
	content: string;
	/** A priority the producer asks for (the user's keys choose one explicitly); triage decides. */
	priority?: Priority;
}

export interface TriggerContext {
	/** Emits a `trigger` event; triage turns it into an item. A trigger never talks to the model. */
	fire(trigger: TriggerFire): void;
	root: string;
	cwd: string;
	readonly signal: AbortSignal;
}

/** Something that happens outside the agent: the user's keys, a file change, a timer. */
export interface Trigger {
	name: string;
	start(context: TriggerContext): void | (() => void | Promise<void>);
}
