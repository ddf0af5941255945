import type { OutgoingHttpHeaders } from 'node:http';
import OpenAI from 'openai';
import type { ModelStreamEvent, ToolCallRequest, Usage } from '../runtime/model.ts';
import { batchedBody } from './batched-body.ts';
import { IncompleteStreamError } from './failure.ts';
import { postStream } from './post-stream.ts';
import { readServerSentEvents } from './server-sent-events.ts';
import { ToolCallAssembler, type ToolCallFragment } from './tool-call-assembler.ts';

/**
 * How long a trickling stream is left unread after each read (see `batchedBody`): the workbench
 * shows new text at most every 50 ms, so reading more often would only cost more wake-ups.
 */
const READ_REST_MS = 50;

/** A complete answer: the stream reached a finish reason. */
export interface AttemptResult {
	finishReason: string;
	toolCalls: ToolCallRequest[];
	usage?: Usage;
}

export interface AttemptOptions {
	/** The endpoint's `…/chat/completions`. */
	url: string;
	/** Every header of the request (`Authorization` included). */
	headers: OutgoingHttpHeaders;
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
 * closed); `signal.reason` when the signal aborts; the SDK's `APIError` for an HTTP error status,
 * `SyntaxError` for a malformed chunk, Node's network errors otherwise. Stopping the iteration early
 * closes the connection.
 */
export async function* streamAttempt(options: AttemptOptions): AsyncGenerator<ModelStreamEvent, AttemptResult> {
	const { params, signal, idleTimeoutMs } = options;
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
		const response = await postStream({ url: options.url, headers: options.headers, body: JSON.stringify(params), signal: controller.signal });
		// The text of all the chunks that arrived together goes out as one delta: a fast burst is
		// thousands of chunks, and every event costs every consumer (screen, log, subminds) a little.
		read: for await (const batch of readServerSentEvents(batchedBody(response, READ_REST_MS))) {
			lastActivity = performance.now();
			let text = '';
			for (const sse of batch) {
				if (sse.data.startsWith('[DONE]')) {
					if (text !== '') yield { type: 'text', delta: text };
					break read;
				}
				const chunk = JSON.parse(sse.data) as OpenAI.Chat.Completions.ChatCompletionChunk & { error?: unknown };
				if (chunk.error) throw new OpenAI.APIError(undefined, chunk.error as object, undefined, undefined);
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
