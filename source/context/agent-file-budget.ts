/** Default total cap of everything AGENT.md discovery puts before the model: start-up files, imports and files loaded on first touch. */
export const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * A byte budget shared by every AGENT.md file and import of a session. Text is taken from the head:
 * what does not fit is cut on a character boundary (on a line boundary when one is near).
 */
export class Budget {
	used = 0;

	constructor(readonly max: number) {}

	get remaining(): number {
		return Math.max(0, this.max - this.used);
	}

	/** Takes as much of `text` as fits; `cut` when some was left out. */
	take(text: string): { text: string; cut: boolean } {
		const bytes = Buffer.byteLength(text);
		if (bytes <= this.remaining) {
			this.used += bytes;
			return { text, cut: false };
		}
		let head = headOfBuffer(Buffer.from(text), this.remaining);
		const newline = head.lastIndexOf('\n');
		if (newline >= 0 && newline >= head.length * 0.75) head = head.slice(0, newline + 1);
		this.used += Buffer.byteLength(head);
		return { text: head, cut: true };
	}
}

/** `12.3 KB`, `64 KB`, `512 bytes`, `1 byte`. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
	const kb = bytes / 1024;
	return `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB`;
}

/** The first `max` bytes of UTF-8 `buffer` as text, without a character split in two. */
export function headOfBuffer(buffer: Buffer, max: number): string {
	let end = Math.min(max, buffer.length);
	if (end < buffer.length) while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end -= 1;
	return buffer.subarray(0, end).toString('utf8');
}
