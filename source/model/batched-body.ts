import type { Readable } from 'node:stream';

/** This much in one tick means the server sends faster than we read: read on at once. */
const BIG_READ = 16 * 1024;

/**
 * A response body in batches: each step yields every byte that arrived since the consumer last
 * asked (never an empty batch). While the server trickles — less than 16 KB arrived at once — the
 * body is paused for `restMs` after each read, so the small SSE events a model sends every few
 * milliseconds are handled together: the screen, the session log and the subminds get at most one
 * text event per `restMs` instead of one per SSE event. A burst flows on while it lasts and waits at
 * most `restMs` each time the reader catches up; nothing else holds the server back (a model's answer
 * fits in memory). Node reads the socket into a paused body's buffer up to its high-water mark: a
 * response made with a tiny one (see `postStream`) leaves the socket unread while resting.
 * Throws the stream's error — bytes still held when the connection is cut are lost with it — and ends
 * when the stream ends or closes; stopping early destroys the body (closing the connection).
 */
export async function* batchedBody(body: Readable, restMs: number): AsyncGenerator<Buffer> {
	const pending: Buffer[] = [];
	let tickBytes = 0;
	let deciding = false;
	let restTimer: NodeJS.Timeout | undefined;
	let ended = false;
	let failure: unknown;
	let wake: (() => void) | undefined;
	const notify = () => {
		wake?.();
		wake = undefined;
	};
	// Decided once per tick, after every chunk of that tick (a resume delivers all the body holds at once).
	const decide = () => {
		deciding = false;
		const trickle = tickBytes < BIG_READ;
		tickBytes = 0;
		if (!trickle || ended || restTimer !== undefined) return;
		body.pause();
		restTimer = setTimeout(() => {
			restTimer = undefined;
			body.resume();
		}, restMs);
	};
	const onData = (chunk: Buffer) => {
		pending.push(chunk);
		tickBytes += chunk.length;
		if (restMs > 0 && !deciding) {
			deciding = true;
			process.nextTick(decide);
		}
		notify();
	};
	const onEnd = () => {
		ended = true;
		notify();
	};
	const onError = (error: unknown) => {
		failure ??= error;
		onEnd();
	};
	body.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
	try {
		for (;;) {
			if (pending.length > 0) {
				const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
				pending.length = 0;
				yield batch;
			} else if (failure !== undefined) throw failure;
			else if (ended) return;
			else await new Promise<void>((resolve) => (wake = resolve));
		}
	} finally {
		clearTimeout(restTimer);
		// The error listener stays: a body closed later (the request aborted) must not throw unheard.
		body.off('data', onData).off('end', onEnd).off('close', onEnd);
		if (!ended) body.destroy();
	}
}
