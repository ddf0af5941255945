/**
 * The contract between the runtime and any model. The runtime speaks only this; `source/model`
 * implements it over an OpenAI-compatible endpoint, tests implement it with a script.
 */

/** Chat messages in the OpenAI chat-completions shape, so the client maps them one to one. */
export type ChatMessage =
	| { role: 'system'; content: string }
	| { role: 'user'; content: string }
	| { role: 'assistant'; content: string | null; tool_calls?: ToolCallRequest[] }
	| { role: 'tool'; tool_call_id: string; content: string };

export interface ToolCallRequest {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

/** A tool as the model sees it: name, description, JSON schema of its arguments. */
export interface ToolSchema {
	type: 'function';
	function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface Usage {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
}

export interface ModelRequest {
	messages: ChatMessage[];
	tools: ToolSchema[];
	signal: AbortSignal;
}

/**
 * What a model stream yields, in order. `retry` means everything yielded since the request began
 * (or since the previous `retry`) is void: the attempt failed and a new one follows after `delayMs`.
 * `fallback` voids the same way: model `from` failed after its retries and model `to` answers the
 * request instead (see `createFallbackModel`). `usage.costUsd` is what the call cost in US dollars,
 * absent when the model's price is unknown. The stream ends with exactly one `done` on success;
 * failures after all retries throw `ModelError`; an abort throws the signal's reason (an `AbortError`).
 */
export type ModelStreamEvent =
	| { type: 'text'; delta: string }
	| { type: 'tool-call'; call: ToolCallRequest }
	| { type: 'usage'; usage: Usage; costUsd?: number }
	| { type: 'retry'; attempt: number; delayMs: number; reason: string }
	| { type: 'fallback'; from: string; to: string; reason: string }
	| { type: 'done'; finishReason: string };

export interface ModelClient {
	/** The model's name as shown in the status line and events (a fallback client: the model serving now). */
	readonly name: string;
	stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

/** A model failure after retries were exhausted, or one that retrying cannot fix (401, 400, …). */
export class ModelError extends Error {
	constructor(
		message: string,
		readonly status?: number,
		readonly retryable = false,
	) {
		super(message);
		this.name = 'ModelError';
	}
}
