import { open } from 'node:fs/promises';

export interface LineWindowOptions {
	/** First line to return, 1-based. */
	offset: number;
	/** Most lines to return. */
	limit: number;
	/** Longer lines are cut to this many characters, followed by a marker. */
	maxLineChars: number;
	/** Stop before the returned lines (plus 8 characters each for numbering) would exceed this. */
	maxChars: number;
	signal?: AbortSignal;
}

export interface LineWindow {
	/** The lines from `offset` on, without their line breaks, long ones cut. */
	lines: string[];
	/** True when the file has lines after the last returned one. */
	more: boolean;
	/** The number of lines in the file, known only when the end of the file was reached. */
	totalLines?: number;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a window of lines from a file without loading the file: it streams chunks, counts line
 * breaks up to `offset`, keeps only the requested lines (each bounded in memory, however long the
 * line is) and stops as soon as the window is full. A missing final line break is fine.
 * Throws the filesystem's error, or the signal's reason when aborted.
 */
export async function readLineWindow(path: string, options: LineWindowOptions): Promise<LineWindow> {
	const { offset, limit, maxLineChars, maxChars, signal } = options;
	const keepBytes = maxLineChars * 4 + 4;
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
		const lines: string[] = [];
		let chars = 0;
		let lineNumber = 1;
		let parts: Buffer[] = [];
		let keptBytes = 0;
		let lineBytes = 0;

		/** Adds the line being read to the window; false when the character budget leaves it out. */
		const takeLine = (): boolean => {
			const text = cutLine(Buffer.concat(parts).toString('utf8'), lineBytes, keptBytes, maxLineChars);
			parts = [];
			keptBytes = 0;
			if (lines.length > 0 && chars + text.length + 8 > maxChars) return false;
			lines.push(text);
			chars += text.length + 8;
			return true;
		};

		for (;;) {
			signal?.throwIfAborted();
			const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
			if (bytesRead === 0) break;
			const chunk = buffer.subarray(0, bytesRead);
			let start = 0;
			while (start < bytesRead) {
				const newline = chunk.indexOf(10, start);
				const end = newline === -1 ? bytesRead : newline;
				lineBytes += end - start;
				if (lineNumber >= offset && keptBytes < keepBytes && end > start) {
					const piece = Buffer.from(chunk.subarray(start, Math.min(end, start + keepBytes - keptBytes)));
					parts.push(piece);
					keptBytes += piece.length;
				}
				if (newline === -1) break;
				start = newline + 1;
				if (lineNumber >= offset) {
					if (!takeLine()) return { lines, more: true };
					if (lines.length >= limit) {
						const more = start < bytesRead || (await handle.read(buffer, 0, 1, null)).bytesRead > 0;
						return { lines, more };
					}
				}
				lineBytes = 0;
				lineNumber += 1;
			}
		}
		const hasLastLine = lineBytes > 0;
		if (hasLastLine && lineNumber >= offset && !takeLine()) return { lines, more: true };
		return { lines, more: false, totalLines: hasLastLine ? lineNumber : lineNumber - 1 };
	} finally {
		await handle.close();
	}
}

function cutLine(text: string, lineBytes: number, keptBytes: number, maxLineChars: number): string {
	if (keptBytes === lineBytes && text.length <= maxLineChars) return text;
	return `${text.slice(0, maxLineChars)}… [line cut at ${maxLineChars} characters; it has ${lineBytes} bytes]`;
}
