import { errorMessage, type EventBus } from './events.ts';
import type { ChatMessage, ModelClient, ToolCallRequest, ToolSchema, Usage } from './model.ts';

export interface ModelTurnResult {
	text: string;
	toolCalls: ToolCallRequest[];
	interrupted: boolean;
	usage?: Usage;
	/** Set when the model failed after its retries; nothing of the attempt is kept. */
	error?: string;
}

/**
 * One streamed model call. Emits `text-delta` and `model-retry` as they come; a retry voids what
 * the failed attempt produced. Never throws: an abort returns what streamed so far as interrupted,
 * a model failure returns `error`.
 */
export async function runModelTurn(
	bus: EventBus,
	model: ModelClient,
	turn: number,
	messages: ChatMessage[],
	tools: ToolSchema[],
	signal: AbortSignal,
): Promise<ModelTurnResult> {
	let text = '';
	let toolCalls: ToolCallRequest[] = [];
	let usage: Usage | undefined;
	try {
		for await (const event of model.stream({ messages, tools, signal })) {
			if (signal.aborted) break;
			switch (event.type) {
				case 'text':
					text += event.delta;
					bus.emit({ type: 'text-delta', turn, delta: event.delta });
					break;
				case 'tool-call':
					toolCalls.push(event.call);
					break;
				case 'usage':
					usage = event.usage;
					break;
				case 'retry':
					text = '';
					toolCalls = [];
					bus.emit({ type: 'model-retry', turn, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
					break;
				case 'done':
					break;
			}
		}
	} catch (error) {
		if (!signal.aborted) return { text: '', toolCalls: [], interrupted: false, error: errorMessage(error) };
	}
	if (signal.aborted) return { text, toolCalls: [], interrupted: true, usage };
	return { text, toolCalls, interrupted: false, usage };
}
