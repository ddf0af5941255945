import { errorMessage, type EventBus } from './events.ts';
import type { ChatMessage, ModelClient, ToolCallRequest, ToolSchema, Usage } from './model.ts';

export interface ModelTurnResult {
	text: string;
	toolCalls: ToolCallRequest[];
	interrupted: boolean;
	usage?: Usage;
	/** What the call cost in US dollars; absent when the serving model's price is unknown. */
	costUsd?: number;
	/** Set when the model failed after its retries; nothing of the attempt is kept. */
	error?: string;
}

/**
 * One streamed model call. Emits `text-delta`, `model-retry` and `model-fallback` as they come; a
 * retry or a fallback voids what the failed attempt produced. Never throws: an abort returns what streamed so far as interrupted,
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
	let costUsd: number | undefined;
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
					costUsd = event.costUsd;
					break;
				case 'retry':
					text = '';
					toolCalls = [];
					bus.emit({ type: 'model-retry', turn, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
					break;
				case 'fallback':
					text = '';
					toolCalls = [];
					bus.emit({ type: 'model-fallback', turn, from: event.from, to: event.to, reason: event.reason });
					break;
				case 'done':
					break;
			}
		}
	} catch (error) {
		if (!signal.aborted) return { text: '', toolCalls: [], interrupted: false, error: errorMessage(error) };
	}
	const cost = costUsd === undefined ? {} : { costUsd };
	if (signal.aborted) return { text, toolCalls: [], interrupted: true, usage, ...cost };
	return { text, toolCalls, interrupted: false, usage, ...cost };
}
