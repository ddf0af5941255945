import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOOL_OUTPUT_CHARS } from '../../source/runtime/tool.ts';
import { callTool, makeContext, makeTempDir, removeTempDirs, writeFiles } from './tool-test-context.ts';

afterEach(removeTempDirs);

const numbered = (count: number, from = 1) => Array.from({ length: count }, (_, index) => `line ${from + index}`).join('\n');

describe('read_file', () => {
	it('numbers lines like cat -n and reports the path as touched', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'src/hello.txt': 'hello\nworld\n' });
		const ctx = makeContext(root);
		const result = await callTool(ctx, 'read_file', { path: 'src/hello.txt' });
		expect(result.isError).toBe(false);
		expect(result.content).toBe('     1\thello\n     2\tworld');
		expect(ctx.touchedPaths).toEqual(['src/hello.txt']);
	});

	it('reads a window with offset and limit and names the next offset', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'ten.txt': `${numbered(10)}\n` });
		const ctx = makeContext(root);
		const middle = await callTool(ctx, 'read_file', { path: 'ten.txt', offset: 3, limit: 2 });
		expect(middle.content).toBe('     3\tline 3\n     4\tline 4\n[more lines follow; continue with offset=5]');
		const last = await callTool(ctx, 'read_file', { path: 'ten.txt', offset: 9, limit: 2 });
		expect(last.content).toBe('     9\tline 9\n    10\tline 10');
		const pastEnd = await callTool(ctx, 'read_file', { path: 'ten.txt', offset: 11 });
		expect(pastEnd.isError).toBe(true);
		expect(pastEnd.content).toContain('has 10 lines');
	});

	it('reads a file without a final line break, and an empty file', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.txt': 'one\n\nthree', 'empty.txt': '' });
		const ctx = makeContext(root);
		expect((await callTool(ctx, 'read_file', { path: 'a.txt' })).content).toBe('     1\tone\n     2\t\n     3\tthree');
		expect((await callTool(ctx, 'read_file', { path: 'empty.txt' })).content).toBe('empty.txt is empty.');
	});

	it('cuts very long lines with a marker', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'long.txt': `${'x'.repeat(100_000)}\nshort\n` });
		const result = await callTool(makeContext(root), 'read_file', { path: 'long.txt' });
		const [first, second] = result.content.split('\n');
		expect(first).toBe(`     1\t${'x'.repeat(2000)}… [line cut at 2000 characters; it has 100000 bytes]`);
		expect(second).toBe('     2\tshort');
	});

	it('stays under the output limit and names the next offset when lines are wide', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'wide.txt': Array.from({ length: 1000 }, (_, index) => `${index + 1} ${'y'.repeat(200)}`).join('\n') });
		const result = await callTool(makeContext(root), 'read_file', { path: 'wide.txt' });
		expect(result.content.length).toBeLessThan(MAX_TOOL_OUTPUT_CHARS);
		expect(result.content).not.toContain('[output truncated');
		const next = Number(/continue with offset=(\d+)/.exec(result.content)?.[1]);
		const lastShown = result.content.split('\n').at(-2) ?? '';
		expect(Number(lastShown.trim().split('\t')[0])).toBe(next - 1);
	});

	it('stops at 2000 lines by default, one of them the next-offset hint', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'short-lines.txt': Array.from({ length: 5000 }, (_, index) => String(index % 10)).join('\n') });
		const result = await callTool(makeContext(root), 'read_file', { path: 'short-lines.txt' });
		expect(result.content.split('\n')).toHaveLength(2000);
		expect(result.content.split('\n').at(-1)).toBe('[more lines follow; continue with offset=2000]');
	});

	it('shows exactly 2000 remaining lines whole, without a hint', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'exact.txt': `${Array.from({ length: 2000 }, (_, index) => String(index % 10)).join('\n')}\n` });
		const result = await callTool(makeContext(root), 'read_file', { path: 'exact.txt' });
		expect(result.content.split('\n')).toHaveLength(2000);
		expect(result.content.split('\n').at(-1)).toBe('  2000\t9');
	});

	it('streams a 300,000-line file: first page within the output limit, last page by offset', async () => {
		const root = await makeTempDir();
		const stream = createWriteStream(join(root, 'huge.txt'));
		for (let line = 1; line <= 300_000; line += 1) {
			if (!stream.write(`line ${line}\n`)) await once(stream, 'drain');
		}
		stream.end();
		await once(stream, 'finish');
		const ctx = makeContext(root);
		const first = await callTool(ctx, 'read_file', { path: 'huge.txt' });
		const lines = first.content.split('\n');
		expect(first.content.length).toBeLessThan(MAX_TOOL_OUTPUT_CHARS);
		expect(lines.at(-1)).toBe(`[more lines follow; continue with offset=${lines.length}]`);
		const end = await callTool(ctx, 'read_file', { path: 'huge.txt', offset: 299_995 });
		expect(end.isError).toBe(false);
		expect(end.content).toBe(numbered(6, 299_995).split('\n').map((line, index) => `${String(299_995 + index).padStart(6)}\t${line}`).join('\n'));
	});

	it('describes a binary file instead of showing it', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03]) });
		const ctx = makeContext(root);
		const result = await callTool(ctx, 'read_file', { path: 'image.png' });
		expect(result.isError).toBe(false);
		expect(result.content).toBe('image.png is a binary file (8 bytes); its content is not shown.');
		expect(ctx.touchedPaths).toEqual(['image.png']);
	});

	it('answers a missing file with a hint to use glob, and refuses a directory', async () => {
		const root = await makeTempDir();
		await mkdir(join(root, 'src'));
		const ctx = makeContext(root);
		const missing = await callTool(ctx, 'read_file', { path: 'src/nope.ts' });
		expect(missing.isError).toBe(true);
		expect(missing.content).toMatch(/not found.*glob/i);
		const folder = await callTool(ctx, 'read_file', { path: 'src' });
		expect(folder.isError).toBe(true);
		expect(folder.content).toContain('is a directory');
		expect(ctx.touchedPaths).toEqual([]);
	});
});
