import type { Writable } from 'node:stream';
import type { RuntimeEvent } from '../runtime/events.ts';
import { describeLimit } from '../runtime/limit-text.ts';

export type OutputFormat = 'text' | 'jsonl';

/**
 * Writes runtime events for a headless run. `jsonl`: every event, one JSON object per line, nothing
 * else on stdout. `text`: the agent's messages to the user on stdout; errors and limits on stderr.
 */
export function createOutput(format: OutputFormat, stdout: Writable, stderr: Writable): (event: RuntimeEvent) => void {
	if (format === 'jsonl') return (event) => stdout.write(`${JSON.stringify(event)}\n`);
	return (event) => {
		switch (event.type) {
			case 'agent-message':
				stdout.write(event.text.endsWith('\n') ? event.text : `${event.text}\n`);
				break;
			case 'error':
				stderr.write(`orbit: ${event.message}\n`);
				break;
			case 'limit-reached':
				stderr.write(`orbit: limit reached: ${describeLimit(event)}\n`);
				break;
			case 'model-retry':
				stderr.write(`orbit: model request failed (${event.reason}); retry ${event.attempt} in ${Math.round(event.delayMs)} ms\n`);
				break;
			case 'model-fallback':
				stderr.write(`orbit: ${event.from} failed (${event.reason}); ${event.to} answers instead\n`);
				break;
		}
	};
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
export function drain(stream: Writable): Promise<void> {
	return new Promise((resolve) => {
		if (stream.writableEnded || stream.destroyed) return resolve();
		stream.write('', () => resolve());
	});
}
