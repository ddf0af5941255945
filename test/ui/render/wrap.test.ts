import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { StyledLine } from '../../../source/ui/render/styled-line.ts';
import { displayWidth, sanitize, wrapSegments, wrapText } from '../../../source/ui/render/wrap.ts';

const rowText = (row: StyledLine): string => row.map((segment) => segment.text).join('');

describe('sanitize', () => {
	it('removes CSI, OSC, hyperlink, C1 and two-byte escapes but keeps the visible text', () => {
		const input =
			'\u001B[31mred\u001B[0m \u001B]0;evil title\u0007plain \u001B]8;;https://x.test\u001B\\link\u001B]8;;\u001B\\ \u009B2J\u001B7saved\u001B8';
		const clean = sanitize(input);
		expect(clean).toBe('red plain link saved');
		expect(clean).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
	});

	it('keeps newlines and tabs, folds CRLF and drops other control characters', () => {
		expect(sanitize('a\r\nb\tc\u0007\u0000d\re')).toBe('a\nb\tcde');
	});

	it('drops bidi override characters, so text displays as it is stored', () => {
		expect(sanitize('admin\u202E\u2066txt.exe\u2069')).toBe('admintxt.exe');
	});

	it('an unterminated OSC string cannot swallow the following lines', () => {
		expect(sanitize('before\u001B]0;never ends\nafter')).toBe('before\nafter');
	});
});

describe('displayWidth', () => {
	it('counts wide CJK and emoji as two columns', () => {
		expect(displayWidth('abc')).toBe(3);
		expect(displayWidth('中文')).toBe(4);
		expect(displayWidth('👍🏽')).toBe(2);
		expect(displayWidth('👨‍👩‍👧')).toBe(2);
		expect(displayWidth('é')).toBe(1);
	});
});

describe('wrapText', () => {
	it('wraps at word boundaries without exceeding the width', () => {
		expect(wrapText('the quick brown fox jumps over the lazy dog', 10)).toEqual(['the quick', 'brown fox', 'jumps over', 'the lazy', 'dog']);
	});

	it('hard-breaks a word longer than the width', () => {
		expect(wrapText('a abcdefghijklmnop', 5)).toEqual(['a abc', 'defgh', 'ijklm', 'nop']);
	});

	it('keeps each newline and indents continuation rows like the line itself', () => {
		expect(wrapText('first\n    indented words that wrap', 16)).toEqual(['first', '    indented', '    words that', '    wrap']);
	});

	it('caps a deep indentation at half the width', () => {
		const rows = wrapText(`${' '.repeat(30)}alpha beta gamma`, 12);
		for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(12);
		expect(rows.join(' ')).toContain('alpha');
		expect(rows.join(' ')).toContain('gamma');
	});

	it('expands tabs to four spaces', () => {
		expect(wrapText('\tx\ty', 40)).toEqual(['    x    y']);
	});

	it('breaks CJK text by display width, never in the middle of a character', () => {
		const rows = wrapText('中文字符中文字符中文字符', 7);
		expect(rows).toEqual(['中文字', '符中文', '字符中', '文字符']);
	});

	it('keeps an emoji cluster whole', () => {
		const family = '👨‍👩‍👧';
		const rows = wrapText(`${family}${family}${family}`, 5);
		expect(rows).toEqual([`${family}${family}`, family]);
	});

	it('replaces a wide character that can never fit with ?', () => {
		expect(wrapText('中a', 1)).toEqual(['?', 'a']);
	});

	it('never returns a row wider than the width, for any width', () => {
		const text = 'Mixed 中文 text with emoji 🎉🎉 and averyveryverylongwordwithoutanyspaces\tand tabs, plus ﾊﾝｶｸ';
		for (let width = 1; width <= 40; width++) {
			for (const row of wrapText(text, width)) expect(stringWidth(row)).toBeLessThanOrEqual(width);
		}
	});

	it('strips escape sequences from the text it wraps', () => {
		expect(wrapText('\u001B[2Jclear\u001B[H', 20)).toEqual(['clear']);
	});
});

describe('wrapSegments', () => {
	it('draws the first prefix once and the hanging indent on later rows', () => {
		const rows = wrapSegments([{ text: 'one two three four', token: 'text' }], 10, {
			firstPrefix: [{ text: '• ', token: 'muted' }],
			restPrefix: [{ text: '  ', token: 'text' }],
		});
		expect(rows.map(rowText)).toEqual(['• one two', '  three', '  four']);
		expect(rows[0]![0]).toEqual({ text: '• ', token: 'muted' });
	});

	it('does not break a word that spans styles and keeps each style', () => {
		const rows = wrapSegments(
			[
				{ text: 'aaaa ', token: 'text' },
				{ text: 'bold', token: 'emphasis', bold: true },
				{ text: '!', token: 'text' },
			],
			6,
		);
		expect(rows.map(rowText)).toEqual(['aaaa', 'bold!']);
		expect(rows[1]).toEqual([
			{ text: 'bold', token: 'emphasis', bold: true },
			{ text: '!', token: 'text' },
		]);
	});

	it('in hard mode keeps every space and breaks at the width', () => {
		const rows = wrapSegments([{ text: '  a  b  c', token: 'code' }], 4, { hard: true });
		expect(rows.map(rowText)).toEqual(['  a ', ' b  ', 'c']);
	});

	it('returns one empty row for empty text', () => {
		expect(wrapSegments([], 10)).toEqual([[]]);
	});
});
