import type { Segment, Token } from './styled-line.ts';
import { expandTabs, sanitize } from './wrap.ts';

/**
 * A tiny per-line syntax highlighter: keywords, strings, comments and numbers. It knows nothing of
 * the previous line, so a string or comment spanning lines is only coloured on its first line.
 */

interface LanguageSpec {
	keywords: ReadonlySet<string>;
	lineComments: readonly string[];
	blockComment?: readonly [open: string, close: string];
	quotes: string;
	/** `#` starts a comment only at the start of a word (shell: `$#`, `a#b` are not comments). */
	hashAtWordStart?: boolean;
	/** `'` starts only a one-character literal (Rust, where `'a` is a lifetime). */
	singleQuoteIsChar?: boolean;
	/** `'''` and `"""` strings (Python). */
	tripleQuotes?: boolean;
}

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

const JS_KEYWORDS =
	'break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new return super switch this throw try typeof var void while with yield async await of static get set from as true false null undefined';
const TS_KEYWORDS =
	'interface type enum implements private protected public readonly abstract declare namespace keyof infer is satisfies never unknown any string number boolean symbol object bigint override';

const JAVASCRIPT: LanguageSpec = {
	keywords: words(JS_KEYWORDS),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: `'"\``,
};
const TYPESCRIPT: LanguageSpec = { ...JAVASCRIPT, keywords: words(`${JS_KEYWORDS} ${TS_KEYWORDS}`) };
const PYTHON: LanguageSpec = {
	keywords: words(
		'and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield None True False match case self',
	),
	lineComments: ['#'],
	quotes: `'"`,
	tripleQuotes: true,
};
const SHELL: LanguageSpec = {
	keywords: words(
		'if then else elif fi case esac for while until do done in function return exit local export readonly declare unset set shift source alias break continue',
	),
	lineComments: ['#'],
	quotes: `'"`,
	hashAtWordStart: true,
};
const JSON_SPEC: LanguageSpec = {
	keywords: words('true false null'),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: '"',
};
const GO: LanguageSpec = {
	keywords: words(
		'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var true false nil iota',
	),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: `'"\``,
};
const RUST: LanguageSpec = {
	keywords: words(
		'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while',
	),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: `"'`,
	singleQuoteIsChar: true,
};
const GENERIC: LanguageSpec = {
	keywords: words(
		'if else elif for while do return function func fn def class struct enum interface const let var int float double bool boolean void true false null nil None import from include package public private protected static new try catch finally throw throws switch case break continue',
	),
	lineComments: ['//', '#'],
	blockComment: ['/*', '*/'],
	quotes: `'"`,
	hashAtWordStart: true,
};

const LANGUAGES: Readonly<Record<string, LanguageSpec>> = {
	js: JAVASCRIPT,
	javascript: JAVASCRIPT,
	jsx: JAVASCRIPT,
	mjs: JAVASCRIPT,
	cjs: JAVASCRIPT,
	ts: TYPESCRIPT,
	typescript: TYPESCRIPT,
	tsx: TYPESCRIPT,
	mts: TYPESCRIPT,
	cts: TYPESCRIPT,
	py: PYTHON,
	python: PYTHON,
	python3: PYTHON,
	sh: SHELL,
	bash: SHELL,
	shell: SHELL,
	zsh: SHELL,
	console: SHELL,
	json: JSON_SPEC,
	jsonc: JSON_SPEC,
	json5: JSON_SPEC,
	go: GO,
	golang: GO,
	rs: RUST,
	rust: RUST,
};

const DIFF_LANGUAGES = new Set(['diff', 'patch', 'udiff']);

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[\w]*/y;
const RUST_CHAR = /'(?:\\(?:u\{[\da-fA-F]{1,6}\}|x[\da-fA-F]{2}|.)|[^\\'])'/uy;

/**
 * Splits one line of code into segments tagged `codeKeyword`, `codeString`, `codeComment`,
 * `codeNumber` or `code`. `language` is a fence label (`ts`, `python`, `bash`…), matched without
 * case; unknown or missing labels get a generic C/shell-like highlighter, and `diff` colours `+`,
 * `-` and `@@` lines. The line is sanitised and tabs expanded; the segments' texts joined equal
 * that cleaned line. Linear in the line's length; never throws.
 */
export function highlightCode(line: string, language: string | undefined): Segment[] {
	const text = expandTabs(sanitize(line).replace(/\n/g, ' '));
	if (text === '') return [];
	const name = (language ?? '').trim().toLowerCase();
	if (DIFF_LANGUAGES.has(name)) return [{ text, token: diffToken(text) }];
	return tokenize(text, LANGUAGES[name] ?? GENERIC);
}

function diffToken(text: string): Token {
	if (text.startsWith('@@')) return 'diffHunk';
	if (text.startsWith('+') && !text.startsWith('+++')) return 'diffAdd';
	if (text.startsWith('-') && !text.startsWith('---')) return 'diffRemove';
	return 'code';
}

function isIdentifierCode(code: number): boolean {
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

/** Characters that may start a comment or a string in `spec`, cached per language. */
const specialStarts = new WeakMap<LanguageSpec, ReadonlySet<string>>();
function startsOf(spec: LanguageSpec): ReadonlySet<string> {
	let starts = specialStarts.get(spec);
	if (!starts) {
		starts = new Set([...spec.quotes, ...spec.lineComments.map((marker) => marker[0]!), ...(spec.blockComment ? [spec.blockComment[0][0]!] : [])]);
		specialStarts.set(spec, starts);
	}
	return starts;
}

function tokenize(text: string, spec: LanguageSpec): Segment[] {
	const segments: Segment[] = [];
	const push = (from: number, to: number, token: Token): void => {
		if (from >= to) return;
		const last = segments[segments.length - 1];
		if (last && last.token === token) last.text += text.slice(from, to);
		else segments.push({ text: text.slice(from, to), token });
	};
	const starts = startsOf(spec);
	const length = text.length;
	let plainStart = 0;
	let index = 0;
	// Identifiers and numbers are consumed whole, so a character reached here never continues one.
	while (index < length) {
		const code = text.charCodeAt(index);
		let end = -1;
		let token: Token = 'code';
		if (isIdentifierCode(code)) {
			if (code >= 48 && code <= 57) {
				NUMBER.lastIndex = index;
				NUMBER.exec(text);
				end = NUMBER.lastIndex;
				token = 'codeNumber';
			} else {
				IDENTIFIER.lastIndex = index;
				IDENTIFIER.exec(text);
				end = IDENTIFIER.lastIndex;
				if (!spec.keywords.has(text.slice(index, end))) {
					index = end;
					continue;
				}
				token = 'codeKeyword';
			}
		} else if (starts.has(text[index]!)) {
			const char = text[index]!;
			if (spec.blockComment && text.startsWith(spec.blockComment[0], index)) {
				const close = text.indexOf(spec.blockComment[1], index + spec.blockComment[0].length);
				end = close < 0 ? length : close + spec.blockComment[1].length;
				token = 'codeComment';
			} else if (
				spec.lineComments.some(
					(marker) => text.startsWith(marker, index) && !(marker === '#' && spec.hashAtWordStart && index > 0 && !/\s/.test(text[index - 1]!)),
				)
			) {
				end = length;
				token = 'codeComment';
			} else if (spec.quotes.includes(char)) {
				const stringEnds = stringEnd(text, index, char, spec);
				if (stringEnds > index) {
					end = stringEnds;
					token = 'codeString';
				}
			}
		}
		if (end < 0) {
			index++;
			continue;
		}
		push(plainStart, index, 'code');
		push(index, end, token);
		index = plainStart = end;
	}
	push(plainStart, length, 'code');
	return segments;
}

/** End (exclusive) of the string starting at `start`, the line's end when unclosed; `start` when none. */
function stringEnd(text: string, start: number, quote: string, spec: LanguageSpec): number {
	if (quote === "'" && spec.singleQuoteIsChar) {
		RUST_CHAR.lastIndex = start;
		return RUST_CHAR.exec(text) ? RUST_CHAR.lastIndex : start;
	}
	if (spec.tripleQuotes && text.startsWith(quote.repeat(3), start)) {
		const close = text.indexOf(quote.repeat(3), start + 3);
		return close < 0 ? text.length : close + 3;
	}
	let index = start + 1;
	while (index < text.length) {
		const char = text[index]!;
		if (char === '\\') index += 2;
		else if (char === quote) return index + 1;
		else index++;
	}
	return text.length;
}
