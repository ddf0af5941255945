import type OpenAI from 'openai';
import { urlWithoutCredentials } from '../config.ts';
import { ModelError, type ModelClient, type ModelRequest, type ModelStreamEvent } from '../runtime/model.ts';
import type { BearerSource } from './bearer.ts';
import { costOf, type Price, priceOf } from './cost.ts';
import { classifyFailure, redact, type AttemptFailure } from './failure.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitAbortably, type RetryPolicy } from './retry.ts';
import { streamAttempt } from './stream-attempt.ts';

export type { BearerSource } from './bearer.ts';

export interface OpenAIModelOptions {
	/** An OpenAI-compatible base URL, usually ending in `/v1`. */
	baseURL: string;
	/** Sent as the bearer token; `'none'` when absent (local servers). Never appears in errors or events. */
	apiKey?: string;
	/**
	 * The bearer of every attempt instead of `apiKey` (a device-flow login): `token()` before each
	 * attempt; after a 401, `refresh()` once and one more attempt (not counted as a retry). A second
	 * 401 or a failing `token()`/`refresh()` throws `ModelError` telling the user to run `orbit login`.
	 */
	bearer?: BearerSource;
	/** The provider profile this client belongs to, named in sign-in hints (`orbit login --profile NAME`). */
	profile?: string;
	/** Configured prices (USD per million tokens) by model; `priceOf` falls back to list prices. */
	prices?: Readonly<Record<string, Price>>;
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
 * retry loop (requests go through `node:http`, see `postStream`; the SDK supplies the types and
 * error classes). Per `ModelStreamEvent`: text deltas as they arrive; on success the tool calls (in
 * index order), the usage if reported (with `costUsd` when the model's price is known, see
 * `priceOf`), then `done`. A failed attempt — HTTP 408,
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
	const policy: RetryPolicy = {
		maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
		baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
		maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
	};
	let callCount = 0;
	const context: StreamContext = {
		url: `${options.baseURL.replace(/\/+$/, '')}/chat/completions`,
		headers: {
			Accept: 'application/json',
			'Content-Type': 'application/json',
			'User-Agent': 'orbit',
			Authorization: `Bearer ${options.apiKey ?? 'none'}`,
			...options.headers,
		},
		policy,
		idleTimeoutMs,
		model: options.model,
		baseURL: displayURL(options.baseURL),
		secrets: new Set(options.apiKey ? [options.apiKey] : []),
		bearer: options.bearer,
		profile: options.profile,
		price: priceOf(options.model, options.prices),
		nextCallId: () => `call_${++callCount}`,
	};
	return {
		name: options.model,
		stream: (request) => streamWithRetries(context, request),
	};
}

interface StreamContext {
	url: string;
	/** Every request's headers; a bearer's token replaces `Authorization`. */
	headers: Record<string, string>;
	policy: RetryPolicy;
	idleTimeoutMs: number;
	model: string;
	/** For messages: without credentials or query. */
	baseURL: string;
	/** The API key and every bearer token used: cut out of every message. */
	secrets: Set<string>;
	bearer: BearerSource | undefined;
	profile: string | undefined;
	price: Price | undefined;
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
	let refreshed: string | undefined;
	let signedInAgain = false;
	for (let retry = 1; ; retry++) {
		let headers = context.headers;
		if (context.bearer) {
			const token = refreshed ?? (await bearerToken(context, 'token'));
			refreshed = undefined;
			signal.throwIfAborted();
			headers = { ...headers, Authorization: `Bearer ${token}` };
		}
		let failure: AttemptFailure;
		try {
			const result = yield* streamAttempt({ ...context, headers, params, signal });
			for (const call of result.toolCalls) yield { type: 'tool-call', call };
			if (result.usage) yield { type: 'usage', usage: result.usage, ...(context.price && { costUsd: costOf(result.usage, context.price) }) };
			yield { type: 'done', finishReason: result.finishReason };
			return;
		} catch (error) {
			signal.throwIfAborted();
			failure = classifyFailure(error);
		}
		const reason = redactAll(failure.reason, context.secrets);
		if (failure.status === 401 && context.bearer && !signedInAgain) {
			// The token may have expired or been revoked since it was issued: renew it once and try again.
			signedInAgain = true;
			refreshed = await bearerToken(context, 'refresh');
			signal.throwIfAborted();
			retry -= 1;
			continue;
		}
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

/** The bearer's token (or a renewed one); a failure becomes a `ModelError` asking for a new login. */
async function bearerToken(context: StreamContext, how: 'token' | 'refresh'): Promise<string> {
	const bearer = context.bearer!;
	let token: string;
	try {
		token = how === 'token' ? await bearer.token() : await bearer.refresh();
	} catch (error) {
		const cause = redactAll(error instanceof Error ? error.message : String(error), context.secrets);
		const what = how === 'token' ? 'has no usable sign-in' : 'could not renew its sign-in after the server refused it (HTTP 401)';
		const hint = /orbit login/.test(cause) ? '' : ` — run ${loginCommand(context)}`;
		throw new ModelError(`The model endpoint ${context.baseURL} ${what}: ${cause}${hint}.`, how === 'refresh' ? 401 : undefined, false);
	}
	if (typeof token !== 'string' || token === '') throw new ModelError(`The model endpoint ${context.baseURL} has no usable sign-in (an empty token) — run ${loginCommand(context)}.`, undefined, false);
	context.secrets.add(token);
	return token;
}

function loginCommand(context: StreamContext): string {
	return context.profile ? `\`orbit login --profile ${context.profile}\`` : '`orbit login`';
}

function redactAll(text: string, secrets: ReadonlySet<string>): string {
	let result = text;
	for (const secret of secrets) result = redact(result, secret);
	return result;
}

/** The error for a failure retrying cannot fix, with a hint for the statuses a person can fix. */
function rejected(failure: AttemptFailure, context: StreamContext): ModelError {
	const { status } = failure;
	let message = `Model request rejected with ${failure.reason}`;
	if (status === 401 && context.bearer) {
		message += ` — the sign-in was refused even after renewing it; run ${loginCommand(context)}.`;
	} else if (status === 403 && context.bearer) {
		message += ` — the signed-in account may not have access to this model; check the profile or run ${loginCommand(context)}.`;
	} else if (status === 401 || status === 403) {
		message += ' — check OPENAI_API_KEY or run `orbit login`.';
	} else if (status === 404) {
		message += ` — check the model name ("${context.model}") and the base URL (${context.baseURL}).`;
	} else if (status === undefined) {
		message = `Model request failed: ${failure.reason}`;
	}
	return new ModelError(redactAll(message, context.secrets), status, false);
}

function displayURL(baseURL: string): string {
	return urlWithoutCredentials(baseURL) ?? '(an invalid base URL)';
}
