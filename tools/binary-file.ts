/** How much of a file's beginning decides whether it is binary. */
export const BINARY_SNIFF_BYTES = 8192;

/** A file is treated as binary when a NUL byte appears in its first 8 KB (as git and grep do). */
export function looksBinary(bytes: Uint8Array): boolean {
	return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}
