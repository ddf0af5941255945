import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isPriority, type Priority } from '../runtime/context-item.ts';

export type ControlLine = { type: 'post'; content: string; priority: Priority } | { type: 'abort' } | { type: 'stop' };

/** Parses one `--input jsonl` line; returns an error message meant for the user when it is not a valid control line. */
export function parseControlLine(line: string): ControlLine | { error: string } {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return { error: `not JSON: ${clip(line)}` };
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `not a JSON object: ${clip(line)}` };
	const record = value as Record<string, unknown>;
	switch (record.type) {
		case 'post': {
			if (typeof record.content !== 'string' || record.content.trim() === '') return { error: 'a post needs a non-empty "content" string' };
			const priority = record.priority ?? 'for-next-turn';
			if (!isPriority(priority)) return { error: `"priority" must be "interruption", "for-next-turn" or "in-the-end", not ${JSON.stringify(priority)}` };
			return { type: 'post', content: record.content, priority };
		}
		case 'abort':
		case 'stop':
			return { type: record.type };
		default:
			return { error: `unknown "type" ${JSON.stringify(record.type)}; expected "post", "abort" or "stop"` };
	}
}

/** Calls `onLine` for every non-blank line of `input`, resolves at end of input. */
export async function readControlLines(input: Readable, onLine: (line: ControlLine | { error: string }) => 'continue' | 'stop'): Promise<void> {
	const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
	for await (const line of lines) {
		if (line.trim() === '') continue;
		if (onLine(parseControlLine(line)) === 'stop') break;
	}
	lines.close();
}

function clip(text: string): string {
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
