import { BEGIN_SYNC, END_SYNC } from './thread-painter.ts';

/**
 * The terminal as Ink sees it: the real stream, except that whatever Ink writes is followed by
 * `overlay()` — the rows Orbit draws itself — in the same write, so no terminal ever shows Ink's
 * blanks where those rows go, synchronized output or not. Ink brackets a frame with
 * begin/end-synchronized writes: what comes between is held and written at the end, overlay
 * included, as one. A write outside a bracket (a terminal too old for it, a clear on resize)
 * carries the overlay itself.
 */
export function inkStdout(stdout: NodeJS.WriteStream, overlay: () => string): NodeJS.WriteStream {
	let frame: string | undefined;
	const real = stdout.write.bind(stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		if (typeof chunk !== 'string' || chunk === '' || rest.length > 0) {
			// Not Ink's frame text (a flush with a callback, bytes): let what is held go first.
			if (frame !== undefined) {
				real(frame);
				frame = '';
			}
			return real(chunk, ...rest);
		}
		if (chunk === BEGIN_SYNC) {
			frame = (frame ?? '') + chunk;
			return true;
		}
		if (chunk === END_SYNC) {
			const held = frame ?? '';
			frame = undefined;
			return real(held + overlay() + chunk);
		}
		if (frame !== undefined) {
			frame += chunk;
			return true;
		}
		return real(chunk + overlay());
	};
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
