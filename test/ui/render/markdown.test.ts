import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../source/ui/render/markdown.ts';
import type { Segment, StyledLine } from '../../../source/ui/render/styled-line.ts';

const rowText = (row: StyledLine): string => row.map((segment) => segment.text).join('');
const texts = (rows: StyledLine[]): string[] => rows.map(rowText);
const allSegments = (rows: StyledLine[]): Segment[] => rows.flat();
const find = (rows: StyledLine[], text: string): Segment | undefined => allSegments(rows).find((segment) => segment.text === text);

const MIXED_DOCUMENT = `# 标题 Heading with **bold** and \`code\` 🎉

A paragraph mixing English, 中文字符和日本語のテキスト, emoji 👨‍👩‍👧 🎉🎉, a [link with text](https://example.com/some/very/long/path_(with)/parens?query=1)
and a bare https://example.com/another/really/long/url/that/goes/on and on. averyveryverylongwordwithoutanyspacesatallthatmustbebroken

- first item with *italic* text that wraps over more than one row in narrow panes
  - nested item 二级列表项目 with \`inline code\`
    - third level 🎉 item
10. numbered item with a long tail of words to force a hanging indent
11. second

> a quote with **bold** and 中文 that wraps
> > nested quote level two with more words
> \`\`\`py
> print("in quote")
> \`\`\`

\`\`\`ts
const x: number = 42; // a comment that is long enough to need breaking at narrow widths
\tconst wide = "中文字符串中文字符串中文字符串";
\`\`\`

| Column | 值 | Notes |
|:--|:-:|--:|
| a | 中文 | emoji 🎉 |
| longer cell value | x | y |

---
Setext title
============
`;

describe('renderMarkdown', () => {
	it('never produces a row wider than the width (widths 10..120, CJK and emoji)', () => {
		for (let width = 10; width <= 120; width++) {
			const rows = renderMarkdown(MIXED_DOCUMENT, width);
			expect(rows.length).toBeGreaterThan(10);
			for (const row of rows) {
				const columns = stringWidth(rowText(row));
				if (columns > width) throw new Error(`width ${width}: ${columns} columns in ${JSON.stringify(rowText(row))}`);
			}
		}
	});

	it('keeps every word of the document somewhere in the output', () => {
		const output = texts(renderMarkdown(MIXED_DOCUMENT, 200)).join('\n');
		for (const word of ['Heading', '中文字符和日本語のテキスト', 'nested', 'third', 'numbered', 'quote', 'print("in', 'const', 'Setext']) {
			expect(output).toContain(word);
		}
	});

	it('renders a heading bold with the heading token, without the #', () => {
		const rows = renderMarkdown('## Install *now*', 40);
		expect(texts(rows)).toEqual(['Install now']);
		expect(rows[0]!.every((segment) => segment.bold === true && segment.token === 'heading')).toBe(true);
		expect(find(rows, 'now')).toMatchObject({ italic: true });
	});

	it('renders a setext heading', () => {
		const rows = renderMarkdown('Title\n=====', 40);
		expect(rows).toEqual([[{ text: 'Title', token: 'heading', bold: true }]]);
	});

	it('highlights a fenced ts block under a muted language label', () => {
		const rows = renderMarkdown('```ts\nconst x = 1; // one\n```', 40);
		expect(rows[0]).toEqual([{ text: 'ts', token: 'muted' }]);
		expect(find(rows, 'const')).toEqual({ text: 'const', token: 'codeKeyword' });
		expect(find(rows, '1')).toEqual({ text: '1', token: 'codeNumber' });
		expect(find(rows, '// one')).toEqual({ text: '// one', token: 'codeComment' });
		expect(rows).toHaveLength(2);
	});

	it('does not word-wrap code: it breaks long lines at the width and keeps markdown literal', () => {
		const rows = renderMarkdown('```\n**not bold** abcdefghij\n```', 12);
		expect(texts(rows)).toEqual(['code', '  **not bold', '  ** abcdefg', '  hij']);
		expect(allSegments(rows).some((segment) => segment.bold)).toBe(false);
	});

	it('treats an unclosed fence as code to the end (a message still streaming)', () => {
		const rows = renderMarkdown('```js\nlet a = 1;\n# not a heading', 40);
		expect(texts(rows)).toEqual(['js', '  let a = 1;', '  # not a heading']);
		expect(allSegments(rows).some((segment) => segment.token === 'heading')).toBe(false);
	});

	it('gives bullet items a hanging indent when they wrap', () => {
		const rows = renderMarkdown('- alpha beta gamma delta epsilon', 14);
		expect(texts(rows)).toEqual(['• alpha beta', '  gamma delta', '  epsilon']);
		expect(rows[0]![0]).toEqual({ text: '•', token: 'muted' });
	});

	it('indents numbered items by the width of their number', () => {
		const rows = renderMarkdown('9. one two\n10. three four five', 12);
		expect(texts(rows)).toEqual(['9. one two', '10. three', '    four', '    five']);
	});

	it('nests lists by indentation and continues the item a line is indented under', () => {
		const rows = renderMarkdown('- top\n  - child words here\n    - grandchild\n    more of child\n  more of top\n- next', 40);
		expect(texts(rows)).toEqual(['• top', '  • child words here', '    • grandchild', '    more of child', '  more of top', '• next']);
	});

	it('continues the last item with an unindented line right after it (lazy continuation)', () => {
		expect(texts(renderMarkdown('- a\n  - b\nlazy', 40))).toEqual(['• a', '  • b', '    lazy']);
	});

	it('ends a list at an unindented paragraph after a blank line', () => {
		const rows = renderMarkdown('- item\n\nparagraph', 40);
		expect(texts(rows)).toEqual(['• item', '', 'paragraph']);
	});

	it('renders block quotes muted behind a bar, nested ones with two bars', () => {
		const rows = renderMarkdown('> quoted **strong**\n> > inner', 40);
		expect(texts(rows)).toEqual(['│ quoted strong', '│ │ inner']);
		expect(find(rows, 'quoted ')).toMatchObject({ token: 'muted' });
		expect(find(rows, 'strong')).toMatchObject({ token: 'emphasis', bold: true });
	});

	it('renders inline code, bold, italic and both', () => {
		const rows = renderMarkdown('a `x*y*` **b** *i* ***bi*** _u_', 80);
		expect(find(rows, 'x*y*')).toEqual({ text: 'x*y*', token: 'code' });
		expect(find(rows, 'b')).toEqual({ text: 'b', token: 'emphasis', bold: true });
		expect(find(rows, 'i')).toEqual({ text: 'i', token: 'emphasis', italic: true });
		expect(find(rows, 'bi')).toEqual({ text: 'bi', token: 'emphasis', bold: true, italic: true });
		expect(find(rows, 'u')).toEqual({ text: 'u', token: 'emphasis', italic: true });
	});

	it('leaves intraword underscores, spaced asterisks and unclosed markers literal', () => {
		expect(texts(renderMarkdown('snake_case_name and 2 * 3 * 4 and **open', 80))).toEqual(['snake_case_name and 2 * 3 * 4 and **open']);
		expect(allSegments(renderMarkdown('snake_case_name', 80)).every((segment) => segment.token === 'text')).toBe(true);
	});

	it('renders a link as its text plus the muted URL', () => {
		const rows = renderMarkdown('see [the docs](https://example.com/a_(b)) now', 80);
		expect(texts(rows)).toEqual(['see the docs (https://example.com/a_(b)) now']);
		expect(find(rows, 'the docs')).toEqual({ text: 'the docs', token: 'link' });
		expect(find(rows, ' (https://example.com/a_(b))')).toMatchObject({ token: 'muted' });
	});

	it('marks autolinks and bare URLs as links, without trailing punctuation', () => {
		const rows = renderMarkdown('<https://a.test/x> and https://b.test/y.', 80);
		expect(find(rows, 'https://a.test/x')).toMatchObject({ token: 'link' });
		expect(find(rows, 'https://b.test/y')).toMatchObject({ token: 'link' });
		expect(texts(rows)).toEqual(['https://a.test/x and https://b.test/y.']);
	});

	it('honours backslash escapes', () => {
		expect(texts(renderMarkdown('\\*not italic\\*', 40))).toEqual(['*not italic*']);
	});

	it('draws a horizontal rule across the width', () => {
		expect(renderMarkdown('---', 20)).toEqual([[{ text: '─'.repeat(20), token: 'muted' }]]);
	});

	it('lays out a table in columns when it fits, and as records when it does not', () => {
		const table = '| Name | Size |\n|---|--:|\n| a | 1 |\n| bbb | 22 |';
		expect(texts(renderMarkdown(table, 40))).toEqual(['Name │ Size', '─────┼─────', 'a    │    1', 'bbb  │   22']);
		expect(texts(renderMarkdown(table, 10))).toEqual(['Name: a', 'Size: 1', '', 'Name: bbb', 'Size: 22']);
	});

	it('keeps single line breaks and collapses runs of blank lines', () => {
		expect(texts(renderMarkdown('one\ntwo\n\n\n\nthree\n', 40))).toEqual(['one', 'two', '', 'three']);
	});

	it('never lets an escape sequence through', () => {
		const hostile = '# \u001B[2J title\n\u001B]0;pwned\u0007text \u001B[31mred\u001B[0m\n```\n\u001B[1mcode\u009B2J\n```\n> \u0007quote';
		const output = texts(renderMarkdown(hostile, 40)).join('\n');
		expect(output).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
		expect(output).toContain('text red');
		expect(output).toContain('code');
	});

	it('never throws and stays within the width on random markdown-like input', () => {
		let seed = 7;
		const random = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed / 2_147_483_648;
		};
		const alphabet = ['*', '_', '`', '[', ']', '(', ')', '>', '#', '-', '|', ' ', ' ', '\n', 'a', 'b', '中', '🎉', '1.', '```', '\t', '\\', '~', '!', '<', 'http://'];
		for (let round = 0; round < 300; round++) {
			let input = '';
			for (let index = 0; index < 80; index++) input += alphabet[Math.floor(random() * alphabet.length)];
			const width = 1 + Math.floor(random() * 60);
			for (const row of renderMarkdown(input, width)) expect(stringWidth(rowText(row))).toBeLessThanOrEqual(width);
		}
	});

	it('stays linear on pathological lines (unclosed links, emphasis and code spans, deep quotes)', () => {
		const cases = ['[a]('.repeat(20_000), '[a](b c '.repeat(20_000), '*a _b '.repeat(20_000), '`x ``y '.repeat(20_000), '['.repeat(50_000), '> '.repeat(5_000) + 'deep'];
		for (const input of cases) {
			const rows = renderMarkdown(input, 80);
			const visible = texts(rows).join('').replace(/[│ ]/g, '');
			expect(visible.length).toBeGreaterThan(0);
			for (const row of rows) expect(stringWidth(rowText(row))).toBeLessThanOrEqual(80);
		}
		expect(texts(renderMarkdown('[a]('.repeat(20_000), 100_000)).join('')).toBe('[a]('.repeat(20_000));
	});

	it('returns nothing for an empty document', () => {
		expect(renderMarkdown('', 40)).toEqual([]);
		expect(renderMarkdown('\n\n', 40)).toEqual([]);
	});
});
