import type { ContextItem } from './context-item.ts';
import type { ChatMessage, ToolCallRequest } from './model.ts';

/** One entry of the inner thread. Only the orchestrator (items) and the loop (the rest) append. */
export type ThreadEntry =
	| { kind: 'item'; item: ContextItem }
	| { kind: 'assistant'; text: string; toolCalls: ToolCallRequest[]; interrupted: boolean }
	| { kind: 'tool-result'; callId: string; name: string; content: string; isError: boolean; interrupted: boolean };

export const INTERRUPTED_MARK = '[interrupted]';

/** How an injected item reads to the model: the user's own words plainly, everything else labelled with its source. */
export function formatItem(item: ContextItem): string {
	const labels = [item.source === 'user' ? '' : item.source, item.priority === 'interruption' ? 'interruption' : ''].filter(Boolean);
	return labels.length > 0 ? `[${labels.join(', ')}] ${item.content}` : item.content;
}

/** The chat message an entry becomes; one entry, one message. */
export function toMessage(entry: ThreadEntry): ChatMessage {
	switch (entry.kind) {
		case 'item':
			return { role: 'user', content: formatItem(entry.item) };
		case 'tool-result':
			return { role: 'tool', tool_call_id: entry.callId, content: entry.content };
		case 'assistant': {
			const text = entry.interrupted ? `${entry.text}${entry.text ? '\n' : ''}${INTERRUPTED_MARK}` : entry.text;
			if (entry.toolCalls.length === 0) return { role: 'assistant', content: text };
			return { role: 'assistant', content: text || null, tool_calls: entry.toolCalls };
		}
	}
}

/**
 * The inner thread. Every tool call in it is followed by its result (the loop records calls that never
 * ran as such), so the messages are always a valid conversation. Messages are built once per entry.
 */
export class Thread {
	private readonly list: ThreadEntry[] = [];
	private readonly messages: ChatMessage[] = [];

	get entries(): readonly ThreadEntry[] {
		return this.list;
	}

	append(entry: ThreadEntry): void {
		this.list.push(entry);
		this.messages.push(toMessage(entry));
	}

	/** The system prompt followed by the thread's messages; a fresh array the caller may keep. */
	toMessages(systemPrompt: string): ChatMessage[] {
		return [{ role: 'system', content: systemPrompt }, ...this.messages];
	}
}
