/** One server-sent event: its `event` field (null when absent) and its data lines joined by `\n`. */
export interface ServerSentEvent {
	event: string | null;
	data: string;
}

/**
 * The events of an SSE byte stream, in batches: all the events completed by one chunk of bytes
 * (so a consumer can handle a fast burst in one go; a batch is never empty) (the WHATWG event-stream format: `data:`/`event:` fields, `:`
 * comments, CR, LF or CRLF line ends, an event dispatched at each blank line; `id` and `retry` are
 * ignored). Lean on purpose: a fast model answer is thousands of events, each parsed once. An event
 * left without its blank line when the stream ends is dropped, as the format says. Errors of the
 * underlying stream (a cut connection, an abort) are thrown as they come.
 */
export async function* readServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent[]> {
	const decoder = new TextDecoder();
	let buffer = '';
	let event: string | null = null;
	let data: string[] = [];
	for await (const bytes of body) {
		buffer += decoder.decode(bytes, { stream: true });
		// A CR at the very end may be the first half of a CRLF: wait for the next chunk to tell.
		const safe = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
		let text = buffer.slice(0, safe);
		buffer = buffer.slice(safe);
		if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
		const batch: ServerSentEvent[] = [];
		let start = 0;
		for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
			const line = text.slice(start, end);
			start = end + 1;
			if (line === '') {
				if (data.length > 0) batch.push({ event, data: data.join('\n') });
				event = null;
				data = [];
				continue;
			}
			if (line.charCodeAt(0) === 58 /* ':' comment */) continue;
			const colon = line.indexOf(':');
			const field = colon === -1 ? line : line.slice(0, colon);
			let value = colon === -1 ? '' : line.slice(colon + 1);
			if (value.charCodeAt(0) === 32) value = value.slice(1);
			if (field === 'data') data.push(value);
			else if (field === 'event') event = value;
		}
		buffer = text.slice(start) + buffer;
		if (batch.length > 0) yield batch;
	}
}
