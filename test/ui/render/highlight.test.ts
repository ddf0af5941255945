import { describe, expect, it } from 'vitest';
import { highlightCode } from '../../../source/ui/render/highlight.ts';
import type { Segment, Token } from '../../../source/ui/render/styled-line.ts';

/** The texts carrying `token`, in order. */
const tagged = (segments: Segment[], token: Token): string[] => segments.filter((segment) => segment.token === token).map((segment) => segment.text);
const joined = (segments: Segment[]): string => segments.map((segment) => segment.text).join('');

describe('highlightCode', () => {
	it('tags TypeScript keywords, strings, numbers and comments', () => {
		const line = 'const answer: number = 42; let s = "a // not comment"; // real comment';
		const segments = highlightCode(line, 'ts');
		expect(joined(segments)).toBe(line);
		expect(tagged(segments, 'codeKeyword')).toEqual(['const', 'number', 'let']);
		expect(tagged(segments, 'codeNumber')).toEqual(['42']);
		expect(tagged(segments, 'codeString')).toEqual(['"a // not comment"']);
		expect(tagged(segments, 'codeComment')).toEqual(['// real comment']);
	});

	it('does not take keywords or numbers out of identifiers', () => {
		const segments = highlightCode('constant x1 = iffy', 'js');
		expect(tagged(segments, 'codeKeyword')).toEqual([]);
		expect(tagged(segments, 'codeNumber')).toEqual([]);
	});

	it('handles escaped quotes, template strings and block comments on one line', () => {
		const segments = highlightCode('f(`a ${b}`, "say \\"hi\\"") /* note */ + 0x1F', 'typescript');
		expect(tagged(segments, 'codeString')).toEqual(['`a ${b}`', '"say \\"hi\\""']);
		expect(tagged(segments, 'codeComment')).toEqual(['/* note */']);
		expect(tagged(segments, 'codeNumber')).toEqual(['0x1F']);
	});

	it('knows Python comments, keywords and triple-quoted strings', () => {
		const segments = highlightCode('def f(x): return """doc""" if x else None  # done', 'python');
		expect(tagged(segments, 'codeKeyword')).toEqual(['def', 'return', 'if', 'else', 'None']);
		expect(tagged(segments, 'codeString')).toEqual(['"""doc"""']);
		expect(tagged(segments, 'codeComment')).toEqual(['# done']);
	});

	it('in shell, # starts a comment only at the start of a word', () => {
		const segments = highlightCode('if [ $# -gt 1 ]; then echo a#b; fi # check', 'bash');
		expect(tagged(segments, 'codeComment')).toEqual(['# check']);
		expect(tagged(segments, 'codeKeyword')).toEqual(['if', 'then', 'fi']);
	});

	it('in Rust, a lifetime is not a string but a char literal is', () => {
		const segments = highlightCode("fn f<'a>(x: &'a str) -> char { 'z' }", 'rust');
		expect(tagged(segments, 'codeString')).toEqual(["'z'"]);
		expect(tagged(segments, 'codeKeyword')).toEqual(['fn']);
	});

	it('highlights JSON literals and Go raw strings', () => {
		expect(tagged(highlightCode('{"ok": true, "n": -1.5e3, "v": null}', 'json'), 'codeKeyword')).toEqual(['true', 'null']);
		expect(tagged(highlightCode('s := `raw` // c', 'go'), 'codeString')).toEqual(['`raw`']);
	});

	it('falls back to a generic highlighter for unknown or missing languages', () => {
		for (const language of [undefined, 'kotlin', '']) {
			const segments = highlightCode('return "x" // y', language);
			expect(tagged(segments, 'codeKeyword')).toEqual(['return']);
			expect(tagged(segments, 'codeComment')).toEqual(['// y']);
		}
	});

	it('colours diff fences by line kind', () => {
		expect(highlightCode('+added', 'diff')).toEqual([{ text: '+added', token: 'diffAdd' }]);
		expect(highlightCode('-gone', 'diff')).toEqual([{ text: '-gone', token: 'diffRemove' }]);
		expect(highlightCode('@@ -1 +1 @@', 'diff')).toEqual([{ text: '@@ -1 +1 @@', token: 'diffHunk' }]);
	});

	it('an unclosed string runs to the end of the line', () => {
		expect(tagged(highlightCode('x = "open', 'py'), 'codeString')).toEqual(['"open']);
	});

	it('strips escape sequences and expands tabs', () => {
		const segments = highlightCode('\tconst \u001B[31mx\u001B[0m = 1', 'ts');
		expect(joined(segments)).toBe('    const x = 1');
	});

	it('returns no segments for an empty line', () => {
		expect(highlightCode('', 'ts')).toEqual([]);
	});
});
