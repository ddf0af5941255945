import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { headOfBuffer } from './agent-file-budget.ts';

/**
 * Reads at most `maxBytes` bytes of a file, cut on a character boundary; `size` is the whole file's
 * size. Throws the filesystem's error (ENOENT, EACCES, EISDIR…) for the caller to judge.
 */
export function readHead(path: string, maxBytes: number): { text: string; size: number } {
	const fd = openSync(path, 'r');
	try {
		const { size } = fstatSync(fd);
		// A few bytes more than asked, to see whether the last character is whole.
		const buffer = Buffer.alloc(Math.min(size, maxBytes + 4));
		let filled = 0;
		while (filled < buffer.length) {
			const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
			if (read === 0) break;
			filled += read;
		}
		return { text: headOfBuffer(buffer.subarray(0, filled), maxBytes), size };
	} finally {
		closeSync(fd);
	}
}

/** `stat` (following links); undefined for a path that is missing or cannot be looked at. Never throws. */
export function statOrUndefined(path: string): Stats | undefined {
	try {
		return statSync(path, { throwIfNoEntry: false });
	} catch {
		return undefined;
	}
}
