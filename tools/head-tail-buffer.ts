/**
 * Collects a byte stream in bounded memory: the first `headLimit` bytes and the last `tailLimit`
 * bytes are kept, whatever falls between is only counted. A command printing gigabytes costs at most
 * about headLimit + tailLimit + one chunk.
 */
export class HeadTailBuffer {
	private readonly head: Buffer[] = [];
	private headBytes = 0;
	private tail: Buffer[] = [];
	private tailBytes = 0;
	/** Every byte pushed, kept or not. */
	totalBytes = 0;

	constructor(
		readonly headLimit = 50 * 1024,
		readonly tailLimit = 50 * 1024,
	) {}

	push(chunk: Buffer): void {
		this.totalBytes += chunk.length;
		let rest = chunk;
		if (this.headBytes < this.headLimit) {
			const taken = rest.subarray(0, this.headLimit - this.headBytes);
			this.head.push(Buffer.from(taken));
			this.headBytes += taken.length;
			rest = rest.subarray(taken.length);
		}
		if (rest.length === 0) return;
		this.tail.push(Buffer.from(rest));
		this.tailBytes += rest.length;
		while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
			this.tailBytes -= this.tail.shift()?.length ?? 0;
		}
	}

	/** The kept text; `droppedBytes` > 0 means a gap lies between `head` and `tail`. */
	read(): { head: string; tail: string; droppedBytes: number } {
		const tail = Buffer.concat(this.tail);
		const keptTail = tail.subarray(Math.max(0, tail.length - this.tailLimit));
		return {
			head: Buffer.concat(this.head).toString('utf8'),
			tail: keptTail.toString('utf8'),
			droppedBytes: this.totalBytes - this.headBytes - keptTail.length,
		};
	}
}

export interface OutputLimits {
	/** Output within both limits is returned whole. */
	maxChars: number;
	maxLines: number;
	/** Otherwise this much of the beginning … */
	headChars: number;
	headLines: number;
	/** … and this much of the end are returned, around a marker that counts the omitted bytes. */
	tailChars: number;
	tailLines: number;
}

/**
 * The collected output as text that fits the limits: whole when it fits, else its beginning and its
 * end (cut at line breaks where possible) around `[… N bytes of output omitted …]`.
 */
export function renderHeadTail(buffer: HeadTailBuffer, limits: OutputLimits): string {
	const { head, tail, droppedBytes } = buffer.read();
	const whole = droppedBytes === 0 ? head + tail : undefined;
	if (whole !== undefined && whole.length <= limits.maxChars && countLines(whole) <= limits.maxLines) return whole;
	const shownHead = takeHead(whole ?? head, limits.headChars, limits.headLines);
	const after = whole !== undefined ? whole.slice(shownHead.length) : tail;
	const shownTail = takeTail(after, limits.tailChars, limits.tailLines);
	const omitted = buffer.totalBytes - Buffer.byteLength(shownHead) - Buffer.byteLength(shownTail);
	return `${shownHead}\n[… ${omitted} bytes of output omitted …]\n${shownTail}`;
}

function countLines(text: string): number {
	let lines = 1;
	for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines += 1;
	return lines;
}

/** At most `maxChars` and `maxLines` of the beginning, ending at a line break when one is in reach. */
function takeHead(text: string, maxChars: number, maxLines: number): string {
	let end = Math.min(text.length, maxChars);
	let breaks = 0;
	for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
		breaks += 1;
		if (breaks >= maxLines) end = index;
	}
	if (end < text.length && text[end] !== '\n') {
		const lastBreak = text.lastIndexOf('\n', end - 1);
		if (lastBreak > 0) end = lastBreak;
	}
	return text.slice(0, end);
}

/** At most `maxChars` and `maxLines` of the end, starting after a line break when one is in reach. */
function takeTail(text: string, maxChars: number, maxLines: number): string {
	let start = Math.max(0, text.length - maxChars);
	let breaks = 0;
	for (let index = text.lastIndexOf('\n', text.length - 2); index !== -1 && index >= start; index = index === 0 ? -1 : text.lastIndexOf('\n', index - 1)) {
		breaks += 1;
		if (breaks >= maxLines) start = index + 1;
	}
	if (start > 0 && text[start - 1] !== '\n') {
		const nextBreak = text.indexOf('\n', start);
		if (nextBreak !== -1 && nextBreak < text.length - 1) start = nextBreak + 1;
	}
	return text.slice(start);
}
