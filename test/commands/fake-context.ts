import { COMMANDS } from '../../commands/index.ts';
import type { CommandContext } from '../../commands/command.ts';
import type { ContextItem } from '../../source/runtime/context-item.ts';
import type { Plan } from '../../source/runtime/plan.ts';

/** A CommandContext over plain values that records, in `calls`, every method a command invokes. */
export function fakeContext(fields: { plan?: Plan; bucket?: ContextItem[]; themes?: string[]; theme?: string; model?: string } = {}): CommandContext & { calls: string[] } {
	const calls: string[] = [];
	const context = {
		calls,
		sessionId: 'session-1',
		model: fields.model ?? 'gpt-test',
		permission: 'ask',
		themes: fields.themes ?? ['dark', 'light', 'High-Contrast'],
		theme: fields.theme ?? 'dark',
		plan: () => (calls.push('plan'), fields.plan ?? { steps: [] }),
		bucket: () => (calls.push('bucket'), fields.bucket ?? []),
		usage: () => (calls.push('usage'), { promptTokens: 0, completionTokens: 0, totalTokens: 0 }),
		setTheme: (name: string) => {
			calls.push(`setTheme:${name}`);
			context.theme = name;
		},
		clearThread: () => calls.push('clearThread') && undefined,
		listCommands: () => (calls.push('listCommands'), COMMANDS),
	};
	return context;
}
