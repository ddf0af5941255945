import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { type DiffLine, lineDiff, renderDiff } from '../../../source/ui/render/diff.ts';
import type { StyledLine } from '../../../source/ui/render/styled-line.ts';

const rowText = (row: StyledLine): string => row.map((segment) => segment.text).join('');
const compact = (lines: DiffLine[]): string[] => lines.map((line) => `${{ add: '+', remove: '-', context: ' ' }[line.kind]}${line.text}`);
const lines = (count: number, make: (index: number) => string): string => Array.from({ length: count }, (_, index) => make(index)).join('\n') + '\n';

/** The two texts a diff describes, rebuilt from it. */
function sides(diff: DiffLine[]): { before: string[]; after: string[] } {
	return {
		before: diff.filter((line) => line.kind !== 'add').map((line) => line.text),
		after: diff.filter((line) => line.kind !== 'remove').map((line) => line.text),
	};
}

const changes = (diff: DiffLine[]): number => diff.filter((line) => line.kind !== 'context').length;

/** Reference LCS length by dynamic programming, for checking minimality on small inputs. */
function longestCommonSubsequence(a: string[], b: string[]): number {
	let previous = new Array<number>(b.length + 1).fill(0);
	for (const item of a) {
		const current = [0];
		b.forEach((other, index) => current.push(item === other ? previous[index]! + 1 : Math.max(previous[index + 1]!, current[index]!)));
		previous = current;
	}
	return previous[b.length]!;
}

describe('lineDiff', () => {
	it('finds a replaced line, an insertion and a deletion', () => {
		const diff = lineDiff('a\nb\nc\nd\ne\n', 'a\nB\nc\ne\nf\n');
		expect(compact(diff)).toEqual([' a', '-b', '+B', ' c', '-d', ' e', '+f']);
	});

	it('numbers lines on each side', () => {
		const diff = lineDiff('a\nb\nc\n', 'a\nx\ny\nc\n');
		expect(diff).toEqual([
			{ kind: 'context', text: 'a', oldLine: 1, newLine: 1 },
			{ kind: 'remove', text: 'b', oldLine: 2 },
			{ kind: 'add', text: 'x', newLine: 2 },
			{ kind: 'add', text: 'y', newLine: 3 },
			{ kind: 'context', text: 'c', oldLine: 3, newLine: 4 },
		]);
	});

	it('is minimal on the classic Myers example (edit distance 5)', () => {
		const diff = lineDiff('A\nB\nC\nA\nB\nB\nA', 'C\nB\nA\nB\nA\nC');
		expect(changes(diff)).toBe(5);
		expect(sides(diff)).toEqual({ before: ['A', 'B', 'C', 'A', 'B', 'B', 'A'], after: ['C', 'B', 'A', 'B', 'A', 'C'] });
	});

	it('treats empty text as no lines and ignores a missing final newline', () => {
		expect(compact(lineDiff('', 'x\n'))).toEqual(['+x']);
		expect(compact(lineDiff('x\n', ''))).toEqual(['-x']);
		expect(lineDiff('same\nlines', 'same\nlines\n').every((line) => line.kind === 'context')).toBe(true);
		expect(lineDiff('', '')).toEqual([]);
	});

	it('always describes both texts exactly, with the fewest changes (random edits)', () => {
		let seed = 11;
		const random = (limit: number): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed % limit;
		};
		for (let round = 0; round < 200; round++) {
			const before = Array.from({ length: random(30) }, () => 'abcde'[random(5)]!);
			const after = [...before];
			for (let edit = random(8); edit > 0; edit--) {
				const at = random(after.length + 1);
				if (random(2) === 0) after.splice(at, 1);
				else after.splice(at, 0, 'abcdefg'[random(7)]!);
			}
			const diff = lineDiff(before.join('\n'), after.join('\n'));
			expect(sides(diff)).toEqual({ before, after });
			expect(changes(diff)).toBe(before.length + after.length - 2 * longestCommonSubsequence(before, after));
		}
	});

	it('diffs a 5,000-line file with scattered edits minimally', () => {
		const before = lines(5_000, (index) => `line ${index}`);
		const afterLines = before.split('\n');
		for (let index = 0; index < 5_000; index += 97) afterLines[index] = `changed ${index}`;
		afterLines.splice(2_500, 0, 'inserted');
		const after = afterLines.join('\n');
		const diff = lineDiff(before, after);
		expect(sides(diff).before.join('\n') + '\n').toBe(before);
		expect(sides(diff).after.join('\n')).toBe(after.replace(/\n$/, ''));
		const replacedCount = Math.ceil(5_000 / 97);
		expect(diff.filter((line) => line.kind === 'remove')).toHaveLength(replacedCount);
		expect(diff.filter((line) => line.kind === 'add')).toHaveLength(replacedCount + 1);
	});

	it('keeps a large, heavily edited file readable by anchoring on unique lines', () => {
		const before = lines(6_000, (index) => `line ${index}`);
		const after = lines(6_000, (index) => (index % 3 === 0 ? `line ${index} edited` : `line ${index}`));
		const diff = lineDiff(before, after);
		expect(diff.filter((line) => line.kind === 'remove')).toHaveLength(2_000);
		expect(diff.filter((line) => line.kind === 'add')).toHaveLength(2_000);
		expect(sides(diff).after.join('\n') + '\n').toBe(after);
	});

	it('falls back to a replaced block for huge texts with nothing in common', () => {
		const before = lines(20_000, (index) => `old ${index}`);
		const after = lines(20_000, (index) => `new ${index}`);
		const diff = lineDiff(`head\n${before}tail\n`, `head\n${after}tail\n`);
		expect(diff).toHaveLength(40_002);
		expect(compact(diff.slice(0, 2))).toEqual([' head', '-old 0']);
		expect(diff[20_001]).toMatchObject({ kind: 'add', text: 'new 0', newLine: 2 });
		expect(diff[40_001]).toMatchObject({ kind: 'context', text: 'tail', oldLine: 20_002, newLine: 20_002 });
	});
});

describe('renderDiff', () => {
	const before = lines(20, (index) => `line ${index + 1}`);
	const after = before.replace('line 3\n', 'line three\n').replace('line 18\n', 'line 18\nline 18b\n');

	it('renders a header with counts, hunks and numbered +/- and context rows', () => {
		const rows = renderDiff('src/file.ts', before, after, 60);
		expect(rows.map(rowText)).toEqual([
			'src/file.ts +2 -1',
			'@@ -1,6 +1,6 @@',
			' 1   line 1',
			' 2   line 2',
			' 3 - line 3',
			' 3 + line three',
			' 4   line 4',
			' 5   line 5',
			' 6   line 6',
			'@@ -16,5 +16,6 @@',
			'16   line 16',
			'17   line 17',
			'18   line 18',
			'19 + line 18b',
			'20   line 19',
			'21   line 20',
		]);
		expect(rows[0]).toEqual([
			{ text: 'src/file.ts', token: 'title', bold: true },
			{ text: ' +2', token: 'diffAdd' },
			{ text: ' -1', token: 'diffRemove' },
		]);
		expect(rows[1]).toEqual([{ text: '@@ -1,6 +1,6 @@', token: 'diffHunk' }]);
		expect(rows[4]!.slice(1)).toEqual([{ text: '- line 3', token: 'diffRemove' }]);
		expect(rows[5]!.slice(1)).toEqual([{ text: '+ line three', token: 'diffAdd' }]);
		expect(rows[2]!.every((segment) => segment.token === 'muted')).toBe(true);
	});

	it('honours the context option', () => {
		const rows = renderDiff('f', before, after, 60, { context: 0 }).map(rowText);
		expect(rows).toEqual(['f +2 -1', '@@ -3,1 +3,1 @@', ' 3 - line 3', ' 3 + line three', '@@ -18,0 +19,1 @@', '19 + line 18b']);
	});

	it('shows a new file as all added', () => {
		const rows = renderDiff('new.txt', null, 'one\ntwo\n', 40);
		expect(rows.map(rowText)).toEqual(['new.txt +2 -0 (new file)', '@@ -0,0 +1,2 @@', '1 + one', '2 + two']);
		expect(rows.slice(2).every((row) => row.slice(1).every((segment) => segment.token === 'diffAdd'))).toBe(true);
	});

	it('says so when nothing changed', () => {
		expect(renderDiff('same', 'x\n', 'x\n', 40).map(rowText)).toEqual(['same +0 -0', '(no changes)']);
	});

	it('stops at maxLines with a count of the lines not shown', () => {
		const rows = renderDiff('big', null, lines(100, (index) => `row ${index}`), 40, { maxLines: 10 });
		expect(rows).toHaveLength(10);
		expect(rows[9]).toEqual([{ text: '… 93 more lines', token: 'muted' }]);
		expect(rowText(rows[8]!)).toBe('  7 + row 6');
	});

	it('shows everything when it fits exactly in maxLines', () => {
		const rows = renderDiff('f', null, 'a\nb\n', 40, { maxLines: 4 });
		expect(rows.map(rowText)).toEqual(['f +2 -0 (new file)', '@@ -0,0 +1,2 @@', '1 + a', '2 + b']);
	});

	it('continues long lines under the text and never exceeds the width', () => {
		const long = `${'中文字符'.repeat(10)} ${'x'.repeat(100)} 🎉🎉🎉\tend`;
		for (let width = 10; width <= 120; width += 7) {
			const rows = renderDiff(`deep/${'nested/'.repeat(20)}file.ts`, 'short\n', `${long}\nshort\n`, width);
			for (const row of rows) expect(stringWidth(rowText(row))).toBeLessThanOrEqual(width);
		}
		const rows = renderDiff('f', '', 'abcdefghijklmnopqrstuvwxyz\n', 20).map(rowText);
		expect(rows.slice(2)).toEqual(['1 + abcdefghijklmnop', '    qrstuvwxyz']);
	});

	it('cuts a long path from the left, keeping the file name and counts', () => {
		const rows = renderDiff(`/very/long/${'directory/'.repeat(10)}name.ts`, 'a\n', 'b\n', 40);
		expect(rowText(rows[0]!)).toMatch(/^….*\/name\.ts \+1 -1$/);
		expect(stringWidth(rowText(rows[0]!))).toBeLessThanOrEqual(40);
	});

	it('strips escape sequences from the path and the lines', () => {
		const rows = renderDiff('\u001B]0;x\u0007f', 'a\n', '\u001B[2Jb\u0007\n', 40).map(rowText).join('\n');
		expect(rows).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
		expect(rows).toContain('+ b');
	});
});
