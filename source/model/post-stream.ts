import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { APIError } from 'openai';

export interface PostStreamOptions {
	url: string;
	headers: OutgoingHttpHeaders;
	/** JSON text. */
	body: string;
	/** Aborting it closes the connection, before or after the response started. */
	signal: AbortSignal;
}

/**
 * POSTs a JSON body and resolves with the response as soon as its headers arrive, its body left to
 * read as a Node stream (an `AsyncIterable` of `Buffer`s). A status outside 2xx is read whole and
 * rejected as the SDK's `APIError` for it (`RateLimitError` for 429, …, with the server's JSON error and
 * the headers), so failures classify exactly as the SDK's own requests do; network failures reject
 * with Node's errors (`ECONNREFUSED`, …); an abort rejects with an `AbortError`.
 *
 * Why not `fetch`: over a streamed answer Node's fetch costs about twice the CPU of `node:http`
 * (web streams under every chunk), and its first request compiles undici's WebAssembly HTTP parser
 * on a helper thread, ≈ 0.3 CPU s (bench/README.md, workbench, fourth pass).
 */
export function postStream({ url, headers, body, signal }: PostStreamOptions): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
		// A one-byte high-water mark: while the response is paused (see `batchedBody`) Node stops reading
		// the socket at once instead of filling 32 KB of buffers, so the kernel gathers what arrives
		// meanwhile and the process sleeps (at 100 SSE events a second: 480 reads instead of 1,300).
		const options = { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, signal, highWaterMark: 1 };
		const outgoing = request(target, options, (response) => {
			const status = response.statusCode ?? 0;
			if (status >= 200 && status < 300) return resolve(response);
			readText(response).then((text) => reject(statusError(status, text, response)), reject);
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

async function readText(response: IncomingMessage): Promise<string> {
	response.setEncoding('utf8');
	let text = '';
	for await (const chunk of response) text += chunk as string;
	return text;
}

/** The SDK's error for an HTTP status: its JSON body when it sent one (the message otherwise). */
function statusError(status: number, text: string, response: IncomingMessage): APIError {
	let json: object | undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed && typeof parsed === 'object') json = parsed;
	} catch {
		json = undefined;
	}
	const headers = new Headers();
	for (const [name, value] of Object.entries(response.headers)) {
		for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
	}
	return APIError.generate(status, json, json ? undefined : text, headers);
}
