import type { Priority } from './context-item.ts';
import type { Listener } from './events.ts';

export interface TriggerFire {
	source: string;
	content: string;
	/** A priority the producer asks for (the user's keys choose one explicitly); triage decides. */
	priority?: Priority;
}

export interface TriggerContext {
	/** Emits a `trigger` event; triage turns it into an item. A trigger never talks to the model. */
	fire(trigger: TriggerFire): void;
	/** Watches the runtime's events (a file watcher learns which changes are the agent's own). */
	subscribe(listener: Listener): () => void;
	/** Reports a problem that is not fatal (an `error` event with `fatal: false`). */
	note(message: string): void;
	root: string;
	cwd: string;
	readonly signal: AbortSignal;
}

/** Something that happens outside the agent: the user's keys, a file change, a timer. */
export interface Trigger {
	name: string;
	start(context: TriggerContext): void | (() => void | Promise<void>);
}
