import type OpenAI from 'openai';
import type { ModelStreamEvent, ToolCallRequest, Usage } from '../runtime/model.ts';
import { IncompleteStreamError } from './failure.ts';
import { ToolCallAssembler, type ToolCallFragment } from './tool-call-assembler.ts';

/** A complete answer: the stream reached a finish reason. */
export interface AttemptResult {
	finishReason: string;
	toolCalls: ToolCallRequest[];
	usage?: Usage;
}

export interface AttemptOptions {
	client: OpenAI;
	params: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
	signal: AbortSignal;
	/** Longest silence tolerated from the server (before the headers or between chunks). */
	idleTimeoutMs: number;
	/** Ids for tool calls the provider sent without one. */
	nextCallId: () => string;
}

/**
 * One streamed request. Yields `text` events as deltas arrive and returns the finished answer
 * (tool calls assembled, the last usage reported). Throws `IncompleteStreamError` when the stream
 * ends without a finish reason or the server is silent for `idleTimeoutMs` (the connection is then
 * closed); `signal.reason` when the signal aborts; the SDK's errors (`APIError`, `SyntaxError` for a
 * malformed chunk, network errors) otherwise. Stopping the iteration early closes the connection.
 */
export async function* streamAttempt(options: AttemptOptions): AsyncGenerator<ModelStreamEvent, AttemptResult> {
	const { client, params, signal, idleTimeoutMs } = options;
	const controller = new AbortController();
	const stalled = new IncompleteStreamError(`the server sent nothing for ${idleTimeoutMs} ms`);
	const forwardAbort = () => controller.abort(signal.reason);
	signal.addEventListener('abort', forwardAbort, { once: true });
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => controller.abort(stalled), idleTimeoutMs);
	};
	const assembler = new ToolCallAssembler(options.nextCallId);
	let finishReason: string | null = null;
	let usage: Usage | undefined;
	try {
		signal.throwIfAborted();
		arm();
		const stream = await client.chat.completions.create(params, { signal: controller.signal });
		for await (const chunk of stream) {
			clearTimeout(timer);
			for (const choice of chunk.choices ?? []) {
				for (const fragment of choice.delta?.tool_calls ?? []) assembler.add(fragment as ToolCallFragment);
				if (choice.finish_reason) finishReason = choice.finish_reason;
				const text = choice.delta?.content;
				if (typeof text === 'string' && text !== '') yield { type: 'text', delta: text };
			}
			if (chunk.usage) usage = usageOf(chunk.usage);
			arm();
		}
	} catch (error) {
		signal.throwIfAborted();
		throw controller.signal.reason === stalled ? stalled : error;
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', forwardAbort);
	}
	// The SDK ends the iteration quietly when its request is aborted.
	signal.throwIfAborted();
	if (controller.signal.reason === stalled) throw stalled;
	if (finishReason === null) throw new IncompleteStreamError('the stream ended without a finish reason');
	return { finishReason, toolCalls: assembler.calls(), ...(usage && { usage }) };
}

function usageOf(usage: OpenAI.Completions.CompletionUsage): Usage {
	const promptTokens = usage.prompt_tokens ?? 0;
	const completionTokens = usage.completion_tokens ?? 0;
	return { promptTokens, completionTokens, totalTokens: usage.total_tokens ?? promptTokens + completionTokens };
}
