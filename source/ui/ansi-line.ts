import chalk, { type ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import type { StyledLine, Token } from './render/styled-line.ts';
import { styleFor, type TextStyle, type Theme } from './theme.ts';

const RGB = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/;
const ANSI256 = /^ansi256\(\s?(\d+)\s?\)$/;

const painters = new WeakMap<Theme, Map<string, ChalkInstance>>();
const lines = new WeakMap<StyledLine, { theme: Theme; noColor: boolean; width: number; text: string; columns: number }>();

/**
 * A row as one string with its styles as ANSI codes — what Ink's `<Text color bold>` would produce
 * for each segment — cut at `width` columns. Cached per row object and theme, so a row that stays on
 * screen is styled once, not at every frame. Colours follow chalk's detected level (as Ink's do);
 * a non-empty `NO_COLOR` drops them.
 */
export function ansiLine(line: StyledLine, theme: Theme, width: number): string {
	const noColor = (process.env.NO_COLOR ?? '') !== '';
	const cached = lines.get(line);
	if (cached && cached.theme === theme && cached.noColor === noColor && cached.width === width) return cached.text;
	let text = '';
	let room = width;
	for (const segment of line) {
		if (room <= 0 || segment.text === '') continue;
		let part = segment.text;
		let columns = stringWidth(part);
		if (columns > room) {
			part = cutToWidth(part, room);
			// A wide character that does not fit leaves one column short.
			columns = stringWidth(part);
		}
		room -= columns;
		text += painter(theme, segment.token, segment.bold === true, segment.italic === true)(part);
	}
	lines.set(line, { theme, noColor, width, text, columns: width - room });
	return text;
}

/** The columns `ansiLine(line, theme, width)` takes on the screen (at most `width`). */
export function ansiLineWidth(line: StyledLine, theme: Theme, width: number): number {
	ansiLine(line, theme, width);
	return lines.get(line)!.columns;
}

function painter(theme: Theme, token: Token, bold: boolean, italic: boolean): ChalkInstance {
	const style = styleFor(theme, token);
	const key = `${token}${bold ? '+b' : ''}${italic ? '+i' : ''}${style.color === undefined && style.backgroundColor === undefined ? '-' : ''}`;
	let byKey = painters.get(theme);
	if (!byKey) painters.set(theme, (byKey = new Map()));
	let paint = byKey.get(key);
	if (!paint) {
		paint = build(style, bold, italic);
		byKey.set(key, paint);
	}
	return paint;
}

function build(style: TextStyle, bold: boolean, italic: boolean): ChalkInstance {
	let paint: ChalkInstance = chalk;
	if (style.dimColor) paint = paint.dim;
	if (style.color) paint = colour(paint, style.color, false);
	if (style.backgroundColor) paint = colour(paint, style.backgroundColor, true);
	if (style.bold || bold) paint = paint.bold;
	if (italic) paint = paint.italic;
	return paint;
}

function colour(paint: ChalkInstance, value: string, background: boolean): ChalkInstance {
	if (value.startsWith('#')) return background ? paint.bgHex(value) : paint.hex(value);
	const rgb = RGB.exec(value);
	if (rgb) return background ? paint.bgRgb(Number(rgb[1]), Number(rgb[2]), Number(rgb[3])) : paint.rgb(Number(rgb[1]), Number(rgb[2]), Number(rgb[3]));
	const ansi = ANSI256.exec(value);
	if (ansi) return background ? paint.bgAnsi256(Number(ansi[1])) : paint.ansi256(Number(ansi[1]));
	const name = (background ? `bg${value[0]!.toUpperCase()}${value.slice(1)}` : value) as keyof ChalkInstance;
	const named = paint[name];
	return typeof named === 'function' ? (named as ChalkInstance) : paint;
}

function cutToWidth(text: string, width: number): string {
	let out = '';
	let used = 0;
	for (const character of text) {
		const columns = stringWidth(character);
		if (used + columns > width) break;
		out += character;
		used += columns;
	}
	return out;
}
