import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callTool, makeContext, makeTempDir, removeTempDirs, writeFiles } from './tool-test-context.ts';

afterEach(removeTempDirs);

describe('write_file', () => {
	it('creates nested folders and reports the line count and a diff for the UI', async () => {
		const root = await makeTempDir();
		const ctx = makeContext(root);
		const result = await callTool(ctx, 'write_file', { path: 'src/deep/er/new.ts', content: 'export const a = 1;\nexport const b = 2;\n' });
		expect(result.isError).toBe(false);
		expect(result.content).toBe('Created src/deep/er/new.ts (2 lines).');
		expect(result.details).toEqual({ path: 'src/deep/er/new.ts', before: null, after: 'export const a = 1;\nexport const b = 2;\n' });
		expect(await readFile(join(root, 'src/deep/er/new.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
		expect(ctx.touchedPaths).toEqual(['src/deep/er/new.ts']);
	});

	it('overwrites an existing file and keeps what was there in the details', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.txt': 'old\n' });
		const result = await callTool(makeContext(root), 'write_file', { path: 'a.txt', content: 'one line' });
		expect(result.content).toBe('Overwrote a.txt (1 line).');
		expect(result.details).toEqual({ path: 'a.txt', before: 'old\n', after: 'one line' });
	});

	it('refuses to replace a directory', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'src/a.ts': '' });
		const result = await callTool(makeContext(root), 'write_file', { path: 'src', content: 'x' });
		expect(result.isError).toBe(true);
		expect(result.content).toContain('is a directory');
	});
});

describe('edit_file', () => {
	it('replaces one exact occurrence, literally (no $ patterns)', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.ts': 'const price = 1;\nconst other = 2;\n' });
		const ctx = makeContext(root);
		const result = await callTool(ctx, 'edit_file', { path: 'a.ts', old_string: 'price = 1', new_string: "price = '$&$1'" });
		expect(result.isError).toBe(false);
		expect(result.content).toBe('Edited a.ts: 1 replacement.');
		const after = "const price = '$&$1';\nconst other = 2;\n";
		expect(await readFile(join(root, 'a.ts'), 'utf8')).toBe(after);
		expect(result.details).toEqual({ path: 'a.ts', before: 'const price = 1;\nconst other = 2;\n', after });
		expect(ctx.touchedPaths).toEqual(['a.ts']);
	});

	it('answers no match with a hint to re-read the file, and leaves it alone', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.ts': 'hello\n' });
		const result = await callTool(makeContext(root), 'edit_file', { path: 'a.ts', old_string: 'hullo', new_string: 'x' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/not found.*Read the file again/);
		expect(await readFile(join(root, 'a.ts'), 'utf8')).toBe('hello\n');
	});

	it('refuses several matches without replace_all, and replaces them all with it', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.ts': 'x = 1; x = 1; x = 1;' });
		const ctx = makeContext(root);
		const ambiguous = await callTool(ctx, 'edit_file', { path: 'a.ts', old_string: 'x = 1', new_string: 'y = 2' });
		expect(ambiguous.isError).toBe(true);
		expect(ambiguous.content).toContain('occurs 3 times');
		expect(await readFile(join(root, 'a.ts'), 'utf8')).toBe('x = 1; x = 1; x = 1;');
		const all = await callTool(ctx, 'edit_file', { path: 'a.ts', old_string: 'x = 1', new_string: 'y = 2', replace_all: true });
		expect(all.content).toBe('Edited a.ts: 3 replacements.');
		expect(await readFile(join(root, 'a.ts'), 'utf8')).toBe('y = 2; y = 2; y = 2;');
	});

	it('refuses identical strings, an empty old_string and a missing file', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.ts': 'hello\n' });
		const ctx = makeContext(root);
		const same = await callTool(ctx, 'edit_file', { path: 'a.ts', old_string: 'hello', new_string: 'hello' });
		expect(same).toMatchObject({ isError: true, content: expect.stringContaining('the same') });
		const empty = await callTool(ctx, 'edit_file', { path: 'a.ts', old_string: '', new_string: 'x' });
		expect(empty).toMatchObject({ isError: true, content: expect.stringContaining('write_file') });
		const missing = await callTool(ctx, 'edit_file', { path: 'b.ts', old_string: 'a', new_string: 'b' });
		expect(missing).toMatchObject({ isError: true, content: expect.stringMatching(/not found/i) });
	});
});
