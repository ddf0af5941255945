import { existsSync } from 'node:fs';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callTool, makeContext, makeRepo, makeTempDir, removeTempDirs, type TestContext } from './tool-test-context.ts';

afterEach(removeTempDirs);

interface Setup {
	ctx: TestContext;
	root: string;
	outside: string;
}

/** A repository with `out` → a folder outside it, and `leak.txt` → a file outside it. */
async function setup(): Promise<Setup> {
	const root = await makeRepo({ 'src/a.ts': 'inside\n' });
	const outside = await makeTempDir('orbit-outside-');
	await writeFile(join(outside, 'secret.txt'), 'TOP SECRET\n');
	await symlink(outside, join(root, 'out'));
	await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
	return { ctx: makeContext(root), root, outside };
}

const escapes = ['../x', '../../etc/passwd', 'src/../../x', '/etc/passwd', 'out/secret.txt', 'leak.txt'];

describe('file tools stay inside the repository', () => {
	it.each(escapes)('read_file refuses %s', async (path) => {
		const { ctx } = await setup();
		const result = await callTool(ctx, 'read_file', { path });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/outside the repository/);
		expect(result.content).not.toContain('TOP SECRET');
		expect(ctx.touchedPaths).toEqual([]);
	});

	it.each([...escapes, 'out/new.txt', 'out/deeper/new.txt'])('write_file refuses %s and writes nothing outside', async (path) => {
		const { ctx, outside } = await setup();
		const result = await callTool(ctx, 'write_file', { path, content: 'pwned' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/outside the repository/);
		expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
		expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
		expect(existsSync('/x')).toBe(false);
	});

	it.each(escapes)('edit_file refuses %s', async (path) => {
		const { ctx, outside } = await setup();
		const result = await callTool(ctx, 'edit_file', { path, old_string: 'TOP', new_string: 'NOT' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/outside the repository/);
		expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
	});

	it.each(['../', '/etc', 'out', 'out/secret.txt', 'leak.txt'])('grep refuses the path %s', async (path) => {
		const { ctx } = await setup();
		const result = await callTool(ctx, 'grep', { pattern: 'SECRET|root', path });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/outside the repository/);
	});

	it('grep over the whole repository does not follow symbolic links out', async () => {
		const { ctx } = await setup();
		const result = await callTool(ctx, 'grep', { pattern: 'SECRET' });
		expect(result.content).toMatch(/^No matches/);
	});

	it('glob lists nothing outside the repository', async () => {
		const { ctx } = await setup();
		for (const pattern of ['../**', '/etc/*']) {
			const result = await callTool(ctx, 'glob', { pattern });
			expect(result.content).toBe(`No files match ${pattern}.`);
		}
		// The link itself is an entry of the repository; what it points to is not listed.
		expect((await callTool(ctx, 'glob', { pattern: 'out/**' })).content).toBe('out');
	});

	it('git_diff and git_commit refuse paths outside', async () => {
		const { ctx } = await setup();
		expect((await callTool(ctx, 'git_diff', { path: '../x' })).content).toMatch(/outside the repository/);
		expect((await callTool(ctx, 'git_commit', { message: 'x', paths: ['/etc/passwd'] })).content).toMatch(/outside the repository/);
	});

	it('write_file and edit_file refuse .git/config; read_file may read it', async () => {
		const { ctx, root } = await setup();
		const config = await readFile(join(root, '.git', 'config'), 'utf8');
		const write = await callTool(ctx, 'write_file', { path: '.git/config', content: '[core]\n\tfsmonitor = evil\n' });
		expect(write).toMatchObject({ isError: true, content: expect.stringContaining('.git') });
		const hook = await callTool(ctx, 'write_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\n' });
		expect(hook.isError).toBe(true);
		const edit = await callTool(ctx, 'edit_file', { path: '.git/config', old_string: '[core]', new_string: '[core]\n\tx = y' });
		expect(edit.isError).toBe(true);
		expect(await readFile(join(root, '.git', 'config'), 'utf8')).toBe(config);
		expect(existsSync(join(root, '.git', 'hooks', 'pre-commit'))).toBe(false);
		expect((await callTool(ctx, 'read_file', { path: '.git/config' })).isError).toBe(false);
	});

	it('absolute paths inside the repository are fine', async () => {
		const { ctx, root } = await setup();
		const result = await callTool(ctx, 'read_file', { path: join(root, 'src', 'a.ts') });
		expect(result.content).toBe('     1\tinside');
		expect(ctx.touchedPaths).toEqual(['src/a.ts']);
	});
});
