// Patches applied to Ink 6.8 (and two of its dependencies) when it is bundled; their effect is in
// bench/README.md. Each names the exact text it replaces; the build fails loudly when the code no
// longer matches, so an upgrade cannot silently drop a fix.
import { readFile } from 'node:fs/promises';

const patches = [
	{
		file: /ink[\\/]build[\\/]log-update\.js$/,
		why: 'the incremental renderer moves the cursor up one row too few when the previous frame ended with a newline (every frame shorter than the terminal), so each update lands one row lower',
		from: 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));',
		to: "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));",
	},
	{
		file: /ink[\\/]build[\\/]output\.js$/,
		why: 'every frame starts with empty caches, so each visible line is tokenized and measured again at every frame; keep them across frames (bounded)',
		from: '    caches = new OutputCaches();',
		to: '    caches = sharedOutputCaches();',
		append: `
let orbitSharedCaches;
function sharedOutputCaches() {
	// Lines seen in earlier frames are mostly seen again; start afresh when the maps hold a few
	// screens' worth (a cached line is an object per character: keep the heap small, GC pauses short).
	if (!orbitSharedCaches || orbitSharedCaches.styledChars.size > 2000 || orbitSharedCaches.widths.size > 5000) orbitSharedCaches = new OutputCaches();
	return orbitSharedCaches;
}
`,
	},
	{
		file: /ink[\\/]build[\\/]output\.js$/,
		why: 'inside a box with overflow hidden, every line is re-sliced with slice-ansi at every frame, even when it fits the box whole',
		from: '                            return sliceAnsi(line, from, to);',
		to: '                            return from === 0 && to === width ? line : sliceAnsi(line, from, to);',
	},
	{
		file: /ink[\\/]build[\\/]render-node-to-output\.js$/,
		why: 'the width of every text node is measured with string-width at every frame; measure-text has the same answer cached',
		from: '                const currentWidth = widestLine(text);',
		to: '                const currentWidth = orbitMeasureText(text).width;',
		append: "\nimport orbitMeasureText from './measure-text.js';\n",
	},
	{
		file: /ink[\\/]build[\\/]squash-text-nodes\.js$/,
		why: 'every text node (and every nested one) is re-sanitized, which tokenizes its ANSI codes, at every frame',
		from: '    return sanitizeAnsi(text);',
		to: '    return orbitSanitizeCached(text);',
		append: `
const orbitSanitized = new Map();
function orbitSanitizeCached(text) {
	let clean = orbitSanitized.get(text);
	if (clean === undefined) {
		if (orbitSanitized.size > 5000) orbitSanitized.clear();
		clean = sanitizeAnsi(text);
		orbitSanitized.set(text, clean);
	}
	return clean;
}
`,
	},
	{
		file: /ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
		why: 'turning a row of cells back into text diffs the styles of every pair of neighbouring cells with three Sets, even when they are the same; the screen is redrawn this way at every frame',
		from: `        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
		to: `        else if (!orbitSameStyles(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
		append: `
function orbitSameStyles(a, b) {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) if (a[index].code !== b[index].code || a[index].endCode !== b[index].endCode) return false;
	return true;
}
`,
	},
	{
		file: /ink[\\/]build[\\/]output\.js$/,
		why: 'every frame builds every terminal row back into a string, also the rows that did not change; a row made of the very same cells as in the previous frame has the same string (cells are never mutated: they come from the caches above, or the one shared blank)',
		from: `                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
		to: '                row.push(ORBIT_BLANK_CELL);',
		append: `
const ORBIT_BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
const orbitPreviousRows = [];
const orbitPreviousStrings = [];
function orbitRowString(line, y) {
	const previous = orbitPreviousRows[y];
	if (previous !== undefined && previous.length === line.length) {
		let same = true;
		for (let x = 0; x < line.length; x++) {
			if (previous[x] !== line[x]) {
				same = false;
				break;
			}
		}
		if (same) return orbitPreviousStrings[y];
	}
	const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
	orbitPreviousRows[y] = line;
	orbitPreviousStrings[y] = text;
	return text;
}
`,
	},
	{
		file: /ink[\\/]build[\\/]output\.js$/,
		why: 'see above: rows unchanged since the previous frame reuse their string',
		from: `            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`,
		to: '            .map(orbitRowString)',
	},
	{
		file: /ink[\\/]build[\\/]measure-text\.js$/,
		why: 'a text of many lines whose last line grows (a streamed answer) is a new text at every frame, so every line of it was measured again with string-width; measure per line, with the lines cached',
		from: '    const width = widestLine(text);',
		to: '    const width = orbitWidestLine(text);',
		append: `
import orbitStringWidth from 'string-width';
let orbitLineWidths = new Map();
function orbitWidestLine(text) {
	if (orbitLineWidths.size > 5000) orbitLineWidths = new Map();
	let widest = 0;
	for (const line of text.split('\\n')) {
		let width = orbitLineWidths.get(line);
		if (width === undefined) {
			width = orbitStringWidth(line);
			orbitLineWidths.set(line, width);
		}
		if (width > widest) widest = width;
	}
	return widest;
}
`,
	},
	{
		file: /ink[\\/]build[\\/]measure-text\.js$/,
		why: 'its cache of whole texts never forgets: a streamed answer adds a new multi-kilobyte text at every frame, hundreds of megabytes over a long session',
		from: '    cache.set(text, dimensions);',
		to: '    if (cache.size > 500) cache.clear();\n    cache.set(text, dimensions);',
	},
	{
		file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
		why: "Yoga's WebAssembly is inlined as a data: URL and loaded with fetch() when fetch exists, and undici percent-decodes it slowly (about 90 ms at start-up); its own synchronous base64 path does the same in a few",
		from: 'function ya(){return w||"function"!=typeof fetch?',
		to: 'function ya(){return true?',
	},
];

/** An esbuild plugin applying `patches`. */
export const inkPatches = {
	name: 'ink-patches',
	setup(esbuild) {
		const files = [...new Set(patches.map((patch) => patch.file.source))];
		for (const file of files) {
			esbuild.onLoad({ filter: new RegExp(file) }, async (args) => {
				let source = await readFile(args.path, 'utf8');
				for (const patch of patches.filter((candidate) => candidate.file.source === file)) {
					if (!source.includes(patch.from)) throw new Error(`ink-patches: Ink changed (${args.path}); check whether this is still needed: ${patch.why}`);
					source = source.replace(patch.from, patch.to) + (patch.append ?? '');
				}
				return { contents: source, loader: 'js' };
			});
		}
	},
};
