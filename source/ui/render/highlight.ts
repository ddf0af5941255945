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
const IDENTIFIER_CHAR = /[\w$]/;

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

function tokenize(text: string, spec: LanguageSpec): Segment[] {
	const segments: Segment[] = [];
	const push = (piece: string, token: Token): void => {
		const last = segments[segments.length - 1];
		if (last && last.token === token) last.text += piece;
		else segments.push({ text: piece, token });
	};
	const length = text.length;
	let index = 0;
	let plainStart = 0;
	const flushPlain = (): void => {
		if (plainStart < index) push(text.slice(plainStart, index), 'code');
	};
	const emit = (end: number, token: Token): void => {
		flushPlain();
		push(text.slice(index, end), token);
		index = end;
		plainStart = end;
	};

	while (index < length) {
		const char = text[index]!;
		const previous = index > 0 ? text[index - 1]! : ' ';
		if (spec.blockComment && text.startsWith(spec.blockComment[0], index)) {
			const close = text.indexOf(spec.blockComment[1], index + spec.blockComment[0].length);
			emit(close < 0 ? length : close + spec.blockComment[1].length, 'codeComment');
			continue;
		}
		const lineComment = spec.lineComments.find(
			(marker) => text.startsWith(marker, index) && !(marker === '#' && spec.hashAtWordStart && !/\s/.test(previous)),
		);
		if (lineComment) {
			emit(length, 'codeComment');
			break;
		}
		if (spec.quotes.includes(char)) {
			const end = stringEnd(text, index, char, spec);
			if (end > index) {
				emit(end, 'codeString');
				continue;
			}
		} else if (char >= '0' && char <= '9' && !IDENTIFIER_CHAR.test(previous)) {
			NUMBER.lastIndex = index;
			if (NUMBER.exec(text)) {
				emit(NUMBER.lastIndex, 'codeNumber');
				continue;
			}
		} else if (IDENTIFIER_CHAR.test(char) && !IDENTIFIER_CHAR.test(previous)) {
			IDENTIFIER.lastIndex = index;
			if (IDENTIFIER.exec(text)) {
				const end = IDENTIFIER.lastIndex;
				if (spec.keywords.has(text.slice(index, end))) emit(end, 'codeKeyword');
				else index = end;
				continue;
			}
		}
		index++;
	}
	index = length;
	flushPlain();
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
