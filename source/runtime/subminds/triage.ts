import type { Priority } from '../context-item.ts';
import type { Submind } from '../submind.ts';

/** The priority each trigger source gets when the producer asked for none. */
export const DEFAULT_TRIAGE: Record<string, Priority> = {
	user: 'for-next-turn',
	'file-watch': 'in-the-end',
	timer: 'for-next-turn',
};

/**
 * Maps every trigger to a context item (PRODUCT §1): the user's chosen priority is kept; changes to
 * files made outside the agent wait for the end; anything else is due at the next turn.
 */
export function createTriageSubmind(defaults: Record<string, Priority> = DEFAULT_TRIAGE): Submind {
	return {
		name: 'triage',
		start(context) {
			return context.subscribe((event) => {
				if (event.type !== 'trigger') return;
				const fallback = defaults[event.source] ?? 'for-next-turn';
				const priority = event.source === 'file-watch' ? fallback : (event.priority ?? fallback);
				context.addItem({ content: event.content, priority, source: event.source });
			});
		},
	};
}
