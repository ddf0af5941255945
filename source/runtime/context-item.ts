/** Priorities of a context item, highest first. The strings are also the wire format (headless `--input jsonl`). */
export const PRIORITIES = ['interruption', 'for-next-turn', 'in-the-end'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Names shown to people (the TUI's draft label, the Context pane). */
export const PRIORITY_LABELS: Record<Priority, string> = {
	interruption: 'Interruption',
	'for-next-turn': 'ForNextTurn',
	'in-the-end': 'InTheEnd',
};

/** A piece of context waiting to reach the model. `source` names its producer: `user`, `file-watch`, `timer`, `context-file`, `submind:<name>`, … */
export interface ContextItem {
	id: string;
	source: string;
	content: string;
	priority: Priority;
	createdAt: string;
}

export function isPriority(value: unknown): value is Priority {
	return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/** Lower rank is injected first. */
export function priorityRank(priority: Priority): number {
	return PRIORITIES.indexOf(priority);
}

let counter = 0;

/** Creates an item with a fresh id, unique within the process. */
export function createItem(fields: { source: string; content: string; priority: Priority; id?: string; createdAt?: string }): ContextItem {
	counter += 1;
	return {
		id: fields.id ?? `item-${Date.now().toString(36)}-${counter}`,
		source: fields.source,
		content: fields.content,
		priority: fields.priority,
		createdAt: fields.createdAt ?? new Date().toISOString(),
	};
}
