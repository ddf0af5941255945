import { ModelError, type ModelClient, type ModelRequest, type ModelStreamEvent } from '../runtime/model.ts';

/**
 * A `ModelClient` over a primary model and its fallbacks, in order. Every request goes to the
 * primary first (each turn tries it again: an outage is often short, and the primary is the model the
 * user chose). When a client fails after its own retries with a retryable `ModelError` (5xx, 429,
 * network, a cut stream), the stream yields `{ type: 'fallback', from, to, reason }` — which voids
 * whatever the failed client streamed — and the next client serves the same request. Errors that
 * another model cannot fix (400, 401, 403, 404 and any non-`ModelError`) are thrown at once, as is
 * the last client's failure. An abort throws the signal's reason and never falls back.
 *
 * `name` is the model serving now: the primary's until a fallback takes over, then that fallback's
 * until the next request starts. One request at a time (the loop's contract).
 */
export function createFallbackModel(clients: readonly ModelClient[]): ModelClient {
	const primary = clients[0];
	if (!primary) throw new Error('createFallbackModel needs at least one model');
	if (clients.length === 1) return primary;
	let serving: ModelClient = primary;
	return {
		get name() {
			return serving.name;
		},
		stream: (request) => streamWithFallbacks(clients, request, (client) => (serving = client)),
	};
}

async function* streamWithFallbacks(clients: readonly ModelClient[], request: ModelRequest, serve: (client: ModelClient) => void): AsyncGenerator<ModelStreamEvent> {
	for (let index = 0; ; index++) {
		const client = clients[index]!;
		serve(client);
		try {
			yield* client.stream(request);
			return;
		} catch (error) {
			request.signal.throwIfAborted();
			const next = clients[index + 1];
			if (!next || !(error instanceof ModelError) || !error.retryable) throw error;
			yield { type: 'fallback', from: client.name, to: next.name, reason: error.message };
		}
	}
}
