import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/**
 * A command whose capability is not built yet. It answers, as a warning, which upcoming capability
 * brings it and that nothing was changed; it never touches the context.
 */
export function notBuiltYet(fields: { name: string; summary: string; usage?: string; arrivesWith: string; meanwhile?: string }): SlashCommand {
	const meanwhile = fields.meanwhile ? ` ${fields.meanwhile}` : '';
	return {
		name: fields.name,
		summary: `${fields.summary} (not built yet)`,
		...(fields.usage ? { usage: fields.usage } : {}),
		run: () => notice(`/${fields.name} arrives with ${fields.arrivesWith}; nothing was changed.${meanwhile}`, 'warning'),
	};
}
