import OpenAI from 'openai';
import { urlWithoutCredentials } from '../config.ts';
import { ModelError, type ModelClient, type ModelRequest, type ModelStreamEvent } from '../runtime/model.ts';
import { classifyFailure, redact, type AttemptFailure } from './failure.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitAbortably, type RetryPolicy } from './retry.ts';
import { streamAttempt } from './stream-attempt.ts';

export interface OpenAIModelOptions {
	/** An OpenAI-compatible base URL, usually ending in `/v1`. */
	baseURL: string;
	/** Sent as the bearer token; `'none'` when absent (local servers). Never appears in errors or events. */
	apiKey?: string;
	model: string;
	/** Retries after the first attempt. Default 4. */
	maxRetries?: number;
	/** First backoff step in ms, doubled per retry, with jitter. Default 500. */
	baseDelayMs?: number;
	/** Cap on any wait, including a server's Retry-After. Default 30 000. */
	maxDelayMs?: number;
	/** Extra headers on every request. */
	headers?: Record<string, string>;
	/**
	 * Longest silence tolerated from the server, before the response starts or between chunks; a
	 * stalled stream is closed and retried. Default 300 000 (reasoning models can think for minutes).
	 */
	idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/**
 * A `ModelClient` over an OpenAI-compatible chat-completions endpoint, streaming, with its own
 * retry loop (the SDK's is off). Per `ModelStreamEvent`: text deltas as they arrive; on success the
 * tool calls (in index order), the usage if reported, then `done`. A failed attempt — HTTP 408,
 * 409, 429, 5xx, a network error, a malformed chunk, a stream cut or stalled before its finish
 * reason — yields `retry` (attempt = the retry's number, from 1) and waits, honouring Retry-After;
 * everything the failed attempt yielded is void. After `maxRetries` retries, or at once for other
 * statuses (400, 401, 403, 404, 422), it throws `ModelError`, whose message names the status or
 * cause and the server's message, never the API key.
 *
 * Abort: when `request.signal` aborts (before the request, while streaming, or while waiting to
 * retry), the HTTP connection is closed and the iteration throws `signal.reason` (an AbortError
 * DOMException unless the caller gave another reason).
 */
export function createOpenAIModel(options: OpenAIModelOptions): ModelClient {
	const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
	// Built on the first request: constructing the SDK client loads Node's fetch, which start-up need not wait for.
	let client: OpenAI | undefined;
	const getClient = () =>
		(client ??= new OpenAI({
			baseURL: options.baseURL,
			apiKey: options.apiKey ?? 'none',
			maxRetries: 0,
			timeout: idleTimeoutMs,
			logLevel: 'off',
			...(options.headers && { defaultHeaders: options.headers }),
		}));
	const policy: RetryPolicy = {
		maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
		baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
		maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
	};
	let callCount = 0;
	const context: StreamContext = {
		get client() {
			return getClient();
		},
		policy,
		idleTimeoutMs,
		model: options.model,
		baseURL: displayURL(options.baseURL),
		apiKey: options.apiKey,
		nextCallId: () => `call_${++callCount}`,
	};
	return {
		name: options.model,
		stream: (request) => streamWithRetries(context, request),
	};
}

interface StreamContext {
	client: OpenAI;
	policy: RetryPolicy;
	idleTimeoutMs: number;
	model: string;
	/** For messages: without credentials or query. */
	baseURL: string;
	apiKey: string | undefined;
	nextCallId: () => string;
}

async function* streamWithRetries(context: StreamContext, request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
	const { signal } = request;
	const params: OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming = {
		model: context.model,
		messages: request.messages,
		...(request.tools.length > 0 && { tools: request.tools }),
		stream: true,
		stream_options: { include_usage: true },
	};
	for (let retry = 1; ; retry++) {
		let failure: AttemptFailure;
		try {
			const result = yield* streamAttempt({ ...context, params, signal });
			for (const call of result.toolCalls) yield { type: 'tool-call', call };
			if (result.usage) yield { type: 'usage', usage: result.usage };
			yield { type: 'done', finishReason: result.finishReason };
			return;
		} catch (error) {
			signal.throwIfAborted();
			failure = classifyFailure(error);
		}
		const reason = redact(failure.reason, context.apiKey);
		if (!failure.retryable) throw rejected(failure, context);
		if (retry > context.policy.maxRetries) {
			const retries = context.policy.maxRetries;
			const tries = retries === 0 ? 'failed' : `failed after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
			throw new ModelError(`Model request to ${context.baseURL} ${tries}: ${reason}`, failure.status, true);
		}
		const delayMs = retryDelayMs(retry, context.policy, failure.retryAfterMs);
		yield { type: 'retry', attempt: retry, delayMs, reason };
		await waitAbortably(delayMs, signal);
	}
}

/** The error for a failure retrying cannot fix, with a hint for the statuses a person can fix. */
function rejected(failure: AttemptFailure, context: StreamContext): ModelError {
	const { status } = failure;
	let message = `Model request rejected with ${failure.reason}`;
	if (status === 401 || status === 403) {
		message += ' — check OPENAI_API_KEY or run `orbit login`.';
	} else if (status === 404) {
		message += ` — check the model name ("${context.model}") and the base URL (${context.baseURL}).`;
	} else if (status === undefined) {
		message = `Model request failed: ${failure.reason}`;
	}
	return new ModelError(redact(message, context.apiKey), status, false);
}

function displayURL(baseURL: string): string {
	return urlWithoutCredentials(baseURL) ?? '(an invalid base URL)';
}
