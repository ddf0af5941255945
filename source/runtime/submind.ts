import type { ContextItem, Priority } from './context-item.ts';
import type { Listener } from './events.ts';
import type { Plan } from './plan.ts';
import type { ThreadEntry } from './thread.ts';

/** What a submind may do: watch, read, keep its own state, and propose items. Never write the thread. */
export interface SubmindContext {
	subscribe(listener: Listener): () => void;
	thread(): readonly ThreadEntry[];
	plan(): Plan;
	/** Puts an item in the bucket. `source` defaults to `submind:<name>`. */
	addItem(fields: { content: string; priority: Priority; source?: string }): ContextItem;
	/** Reports a problem that is not fatal (an `error` event with `fatal: false`); optional for hosts that have no bus. */
	note?(message: string): void;
	readonly signal: AbortSignal;
}

/** A pluggable helper around the core (PRODUCT §1). `start` runs once; the returned function, if any, runs at stop. */
export interface Submind {
	name: string;
	start(context: SubmindContext): void | (() => void);
}
