import { BEGIN_SYNC, END_SYNC } from './thread-painter.ts';

/**
 * The terminal as Ink sees it: the real stream, except that whatever Ink writes is followed by
 * `overlay()` — the rows Orbit draws itself — within the same synchronized update, so the screen
 * never shows Ink's blanks where those rows go. Ink brackets a frame with begin/end-synchronized
 * writes; the overlay goes just before the end. A write outside a bracket (a terminal too old for
 * it, a clear on resize) carries the overlay itself.
 */
export function inkStdout(stdout: NodeJS.WriteStream, overlay: () => string): NodeJS.WriteStream {
	let inFrame = false;
	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const real = stdout.write.bind(stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
		if (typeof chunk !== 'string' || chunk === '') return real(chunk, ...rest);
		if (chunk === BEGIN_SYNC) {
			inFrame = true;
			return real(chunk, ...rest);
		}
		if (chunk === END_SYNC) {
			inFrame = false;
			return real(overlay() + chunk, ...rest);
		}
		return real(inFrame ? chunk : chunk + overlay(), ...rest);
	};
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
