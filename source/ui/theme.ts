import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOKENS, type Token } from './render/styled-line.ts';

/**
 * Themes are data: themes/<name>.json maps every semantic token to terminal styles (schema:
 * themes/theme.schema.json). This file finds, validates and applies them.
 */

export interface TokenStyle {
	fg?: string;
	bg?: string;
	bold?: boolean;
	dim?: boolean;
}

export interface Theme {
	name: string;
	description?: string;
	tokens: Readonly<Record<Token, TokenStyle>>;
}

/** Props for Ink's `<Text>`. Keys that do not apply are absent, never `undefined`. */
export interface TextStyle {
	color?: string;
	backgroundColor?: string;
	bold?: boolean;
	dimColor?: boolean;
}

const SCHEMA_FILE = 'theme.schema.json';
const NAMED_COLOURS = new Set(
	'black red green yellow blue magenta cyan white gray grey blackBright redBright greenBright yellowBright blueBright magentaBright cyanBright whiteBright'.split(' '),
);
const COLOUR_FORMS = [/^#(?:[\da-fA-F]{3}|[\da-fA-F]{6})$/, /^rgb\(\s?\d{1,3},\s?\d{1,3},\s?\d{1,3}\s?\)$/, /^ansi256\(\s?\d{1,3}\s?\)$/];
const STYLE_KEYS = new Set(['fg', 'bg', 'bold', 'dim']);
const TOKEN_SET: ReadonlySet<string> = new Set(TOKENS);

let cachedDirectory: string | undefined;

/**
 * The shipped themes folder: `../themes` from the bundle (`dist/cli.js`, `dist/index.js`) and
 * `../../themes` from this source file. Throws when neither holds the theme schema.
 */
export function themesDirectory(): string {
	if (cachedDirectory) return cachedDirectory;
	const candidates = ['../themes/', '../../themes/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
	const found = candidates.find((candidate) => existsSync(join(candidate, SCHEMA_FILE)));
	if (!found) throw new Error(`Orbit's themes folder was not found (looked in ${candidates.join(' and ')})`);
	cachedDirectory = found;
	return found;
}

/** Names of the themes in `directory` (default: the shipped folder), sorted. */
export function listThemes(directory: string = themesDirectory()): string[] {
	return readdirSync(directory)
		.filter((file) => file.endsWith('.json') && file !== SCHEMA_FILE)
		.map((file) => file.slice(0, -'.json'.length))
		.sort();
}

/**
 * Reads and validates `<directory>/<name>.json`. Throws an Error naming the theme and the
 * available ones when it does not exist, and naming the file and the offending token or property
 * when it is not valid JSON or not a valid theme.
 */
export function loadTheme(name: string, directory: string = themesDirectory()): Theme {
	const available = (): string => listThemes(directory).join(', ') || 'none';
	const file = join(directory, `${name}.json`);
	// A bare name only, so a theme name can never reach outside the themes folder.
	if (!/^\w[\w-]*$/.test(name) || !existsSync(file)) {
		throw new Error(`Unknown theme "${name}" (available: ${available()})`);
	}
	let data: unknown;
	try {
		data = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`Theme file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
	}
	return parseTheme(data, file);
}

/** Validates parsed theme JSON; `source` names it in errors. Throws on the first problem found. */
export function parseTheme(data: unknown, source: string): Theme {
	const fail = (problem: string): never => {
		throw new Error(`Theme file ${source}: ${problem}`);
	};
	if (!isRecord(data)) return fail('expected a JSON object');
	if (typeof data.name !== 'string' || data.name === '') fail('"name" must be a non-empty string');
	if (data.description !== undefined && typeof data.description !== 'string') fail('"description" must be a string');
	if (!isRecord(data.tokens)) return fail('"tokens" must be an object');
	for (const key of Object.keys(data.tokens)) {
		if (!TOKEN_SET.has(key)) fail(`unknown token "${key}" (tokens are listed in source/ui/render/styled-line.ts)`);
	}
	const tokens = {} as Record<Token, TokenStyle>;
	for (const token of TOKENS) {
		const style = data.tokens[token];
		if (style === undefined) fail(`token "${token}" is missing`);
		if (!isRecord(style)) return fail(`token "${token}" must be an object`);
		for (const [key, value] of Object.entries(style)) {
			if (!STYLE_KEYS.has(key)) fail(`token "${token}" has unknown property "${key}" (allowed: fg, bg, bold, dim)`);
			if ((key === 'fg' || key === 'bg') && !isColour(value)) {
				fail(`token "${token}": ${key} ${JSON.stringify(value)} is not a colour (a name like "cyan" or "gray", "#rrggbb", "rgb(r,g,b)" or "ansi256(n)")`);
			}
			if ((key === 'bold' || key === 'dim') && typeof value !== 'boolean') fail(`token "${token}": ${key} must be true or false`);
		}
		tokens[token] = Object.freeze({ ...style }) as TokenStyle;
	}
	const theme: Theme = { name: data.name as string, tokens: Object.freeze(tokens) };
	if (typeof data.description === 'string') theme.description = data.description;
	return Object.freeze(theme);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isColour(value: unknown): boolean {
	return typeof value === 'string' && (NAMED_COLOURS.has(value) || COLOUR_FORMS.some((form) => form.test(value)));
}

const styleCache = new WeakMap<Theme, Map<string, TextStyle>>();

/**
 * Ink `<Text>` props for `token` in `theme`. With a non-empty `NO_COLOR` environment variable
 * (no-color.org) there are no colours; bold and dim stay. Returns the same frozen object for the
 * same theme, token and NO_COLOR state, so it is safe to pass as props on every render.
 */
export function styleFor(theme: Theme, token: Token): TextStyle {
	const noColor = (process.env.NO_COLOR ?? '') !== '';
	let cache = styleCache.get(theme);
	if (!cache) styleCache.set(theme, (cache = new Map()));
	const key = noColor ? `-${token}` : token;
	let style = cache.get(key);
	if (!style) {
		const source: TokenStyle = theme.tokens[token] ?? {};
		const props: TextStyle = {};
		if (!noColor && source.fg) props.color = source.fg;
		if (!noColor && source.bg) props.backgroundColor = source.bg;
		if (source.bold) props.bold = true;
		if (source.dim) props.dimColor = true;
		style = Object.freeze(props);
		cache.set(key, style);
	}
	return style;
}
