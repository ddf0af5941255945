import { urlWithoutCredentials } from '../config.ts';

/** Where memory entries are embedded: an OpenAI-compatible `POST {baseURL}/embeddings`. */
export interface EmbeddingsConfig {
	/** Usually ending in `/v1`. */
	baseURL: string;
	/** Sent as the bearer token when given. Never appears in errors. */
	apiKey?: string;
	model: string;
	/** Longest wait for one request. Default 10 000 ms. */
	timeoutMs?: number;
}

/** Turns texts into unit-length vectors (cosine similarity is then a dot product). */
export interface EmbeddingsClient {
	readonly model: string;
	/**
	 * One vector per text, in order, each normalised to length 1. Throws an `Error` whose message
	 * names the endpoint (without credentials) and what went wrong — status and the server's message,
	 * a timeout, a malformed answer — never the API key; throws `signal.reason` when aborted.
	 */
	embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A client over plain `fetch` (nothing is loaded until the first request). One attempt per call:
 * the caller decides what a failure means (memory search falls back to lexical ranking).
 */
export function createEmbeddingsClient(config: EmbeddingsConfig): EmbeddingsClient {
	const url = `${config.baseURL.replace(/\/+$/, '')}/embeddings`;
	const shown = urlWithoutCredentials(url) ?? 'the embeddings endpoint';
	const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return {
		model: config.model,
		async embed(texts, signal) {
			if (texts.length === 0) return [];
			const timeout = AbortSignal.timeout(timeoutMs);
			const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
			let response: Response;
			let body: unknown;
			try {
				response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
					body: JSON.stringify({ model: config.model, input: texts, encoding_format: 'float' }),
					signal: combined,
				});
				const raw = await response.text();
				try {
					body = JSON.parse(raw);
				} catch {
					body = raw;
				}
			} catch (error) {
				if (signal?.aborted) throw signal.reason;
				if (timeout.aborted) throw new Error(`${shown} did not answer within ${timeoutMs} ms`);
				throw new Error(`${shown} could not be reached: ${causeOf(error)}`);
			}
			if (!response.ok) throw new Error(`${shown} answered ${response.status}${serverMessage(body, config.apiKey)}`);
			return parseVectors(body, texts.length, shown);
		},
	};
}

/**
 * The embeddings settings from the environment, or undefined when `ORBIT_EMBEDDINGS_MODEL` is unset
 * (lexical search only). `ORBIT_EMBEDDINGS_BASE_URL` and `ORBIT_EMBEDDINGS_API_KEY` default to the
 * model endpoint's (`fallback`, e.g. from `resolveEndpoint`).
 */
export function embeddingsFromEnvironment(env: NodeJS.ProcessEnv, fallback: { baseURL: string; apiKey?: string }): EmbeddingsConfig | undefined {
	const model = env.ORBIT_EMBEDDINGS_MODEL?.trim();
	if (!model) return undefined;
	const apiKey = env.ORBIT_EMBEDDINGS_API_KEY?.trim() || fallback.apiKey;
	return { baseURL: env.ORBIT_EMBEDDINGS_BASE_URL?.trim() || fallback.baseURL, model, ...(apiKey ? { apiKey } : {}) };
}

function parseVectors(body: unknown, expected: number, shown: string): Float32Array[] {
	const data = (body as { data?: unknown } | null)?.data;
	if (!Array.isArray(data) || data.length !== expected) {
		throw new Error(`${shown} answered with ${Array.isArray(data) ? `${data.length} embeddings for ${expected} texts` : 'no "data" list'}`);
	}
	const vectors: Float32Array[] = new Array(expected);
	let dimensions: number | undefined;
	for (const [position, item] of data.entries()) {
		const index = typeof item?.index === 'number' ? item.index : position;
		const embedding = item?.embedding;
		if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((value) => typeof value === 'number' && Number.isFinite(value))) {
			throw new Error(`${shown} answered with a malformed embedding (a list of numbers was expected; "encoding_format": "float" is requested)`);
		}
		if (dimensions !== undefined && embedding.length !== dimensions) throw new Error(`${shown} answered with embeddings of different lengths`);
		dimensions = embedding.length;
		if (index < 0 || index >= expected || vectors[index] !== undefined) throw new Error(`${shown} answered with a wrong embedding index ${index}`);
		vectors[index] = normalise(Float32Array.from(embedding));
	}
	return vectors;
}

/** Scales a vector to length 1 (a zero vector stays zero). */
export function normalise(vector: Float32Array): Float32Array {
	let sum = 0;
	for (const value of vector) sum += value * value;
	if (sum === 0) return vector;
	const scale = 1 / Math.sqrt(sum);
	for (let at = 0; at < vector.length; at++) vector[at]! *= scale;
	return vector;
}

function serverMessage(body: unknown, apiKey: string | undefined): string {
	const error = (body as { error?: unknown } | null)?.error;
	let message = typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : typeof body === 'string' ? body : '';
	message = message.trim().slice(0, 300);
	if (apiKey && apiKey.length >= 4) message = message.split(apiKey).join('[redacted]');
	return message === '' ? '' : `: ${message}`;
}

function causeOf(error: unknown): string {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
