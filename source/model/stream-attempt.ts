import OpenAI from 'openai';
import type { ModelStreamEvent, ToolCallRequest, Usage } from '../runtime/model.ts';
import { IncompleteStreamError } from './failure.ts';
import { readServerSentEvents } from './server-sent-events.ts';
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
	/** Headers of this request only (they win over the client's, e.g. `Authorization`). */
	headers?: Record<string, string>;
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
	// One timer for the whole attempt: each chunk only notes the time, and the timer, when it fires,
	// waits out whatever is left of the silence (re-arming a timer per chunk costs more than parsing it).
	let lastActivity = performance.now();
	let timer: NodeJS.Timeout | undefined;
	const watch = (delayMs: number) => {
		timer = setTimeout(() => {
			const silentMs = performance.now() - lastActivity;
			if (silentMs >= idleTimeoutMs) controller.abort(stalled);
			else watch(idleTimeoutMs - silentMs);
		}, delayMs);
	};
	const assembler = new ToolCallAssembler(options.nextCallId);
	let finishReason: string | null = null;
	let usage: Usage | undefined;
	let finished = false;
	try {
		signal.throwIfAborted();
		watch(idleTimeoutMs);
		// The SDK builds the request and turns HTTP errors into `APIError`s; the body is read here.
		const response = await client.chat.completions.create(params, { signal: controller.signal, ...(options.headers && { headers: options.headers }) }).asResponse();
		if (!response.body) throw new IncompleteStreamError('the response has no body');
		// The text of all the chunks that arrived together goes out as one delta: a fast burst is
		// thousands of chunks, and every event costs every consumer (screen, log, subminds) a little.
		read: for await (const batch of readServerSentEvents(response.body)) {
			lastActivity = performance.now();
			let text = '';
			for (const sse of batch) {
				if (sse.data.startsWith('[DONE]')) {
					if (text !== '') yield { type: 'text', delta: text };
					break read;
				}
				const chunk = JSON.parse(sse.data) as OpenAI.Chat.Completions.ChatCompletionChunk & { error?: unknown };
				if (chunk.error) throw new OpenAI.APIError(undefined, chunk.error as object, undefined, response.headers);
				for (const choice of chunk.choices ?? []) {
					for (const fragment of choice.delta?.tool_calls ?? []) assembler.add(fragment as ToolCallFragment);
					if (choice.finish_reason) finishReason = choice.finish_reason;
					const delta = choice.delta?.content;
					if (typeof delta === 'string') text += delta;
				}
				if (chunk.usage) usage = usageOf(chunk.usage);
			}
			if (text !== '') yield { type: 'text', delta: text };
		}
		finished = true;
	} catch (error) {
		signal.throwIfAborted();
		throw controller.signal.reason === stalled ? stalled : error;
	} finally {
		clearTimeout(timer);
		signal.removeEventListener('abort', forwardAbort);
		// Stopped early (the consumer broke off, or an error): close the connection.
		if (!finished) controller.abort();
	}
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
