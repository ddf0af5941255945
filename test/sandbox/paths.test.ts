import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relativeToRoot, resolveInsideRoot } from '../../source/sandbox/paths.ts';
import { makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

async function setup() {
	const root = await makeTempDir();
	const outside = await makeTempDir('orbit-outside-');
	await mkdir(join(root, 'src'));
	await writeFile(join(root, 'src', 'a.ts'), 'a');
	await writeFile(join(outside, 'secret.txt'), 'secret');
	await symlink(outside, join(root, 'out'));
	await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
	await symlink(join(outside, 'missing.txt'), join(root, 'dangling'));
	await symlink(join(root, 'src'), join(root, 'src-link'));
	return { root, outside };
}

describe('resolveInsideRoot', () => {
	it('resolves relative and absolute paths inside the root to real paths', async () => {
		const { root } = await setup();
		expect(resolveInsideRoot(root, 'src/a.ts')).toBe(join(root, 'src', 'a.ts'));
		expect(resolveInsideRoot(root, './src/../src/a.ts')).toBe(join(root, 'src', 'a.ts'));
		expect(resolveInsideRoot(root, join(root, 'src', 'a.ts'))).toBe(join(root, 'src', 'a.ts'));
		expect(resolveInsideRoot(root, '.')).toBe(root);
		expect(resolveInsideRoot(root, 'src-link/a.ts')).toBe(join(root, 'src', 'a.ts'));
	});

	it('resolves files that do not exist yet through their nearest existing ancestor', async () => {
		const { root } = await setup();
		expect(resolveInsideRoot(root, 'new/deep/file.txt', { forWrite: true })).toBe(join(root, 'new', 'deep', 'file.txt'));
		expect(resolveInsideRoot(root, 'src-link/new.ts', { forWrite: true })).toBe(join(root, 'src', 'new.ts'));
	});

	it('refuses .. escapes and absolute paths outside the root', async () => {
		const { root } = await setup();
		expect(() => resolveInsideRoot(root, '../x')).toThrow(/outside the repository/);
		expect(() => resolveInsideRoot(root, 'src/../../x')).toThrow(/outside the repository/);
		expect(() => resolveInsideRoot(root, '/etc/passwd')).toThrow(/outside the repository/);
		expect(() => resolveInsideRoot(root, `${root}-sibling/x`)).toThrow(/outside the repository/);
	});

	it('refuses symbolic links that lead outside, for reading and for writing', async () => {
		const { root } = await setup();
		expect(() => resolveInsideRoot(root, 'out/secret.txt')).toThrow(/symbolic link/);
		expect(() => resolveInsideRoot(root, 'out/new.txt', { forWrite: true })).toThrow(/symbolic link/);
		expect(() => resolveInsideRoot(root, 'out/a/b/new.txt', { forWrite: true })).toThrow(/symbolic link/);
		expect(() => resolveInsideRoot(root, 'leak.txt')).toThrow(/symbolic link/);
		expect(() => resolveInsideRoot(root, 'dangling', { forWrite: true })).toThrow(/symbolic link/);
		expect(() => resolveInsideRoot(root, join(root, 'out'))).toThrow(/symbolic link/);
	});

	it('refuses writes inside .git but allows reading there', async () => {
		const { root } = await setup();
		await mkdir(join(root, '.git'));
		await writeFile(join(root, '.git', 'config'), '[core]\n');
		expect(() => resolveInsideRoot(root, '.git/config', { forWrite: true })).toThrow(/\.git/);
		expect(() => resolveInsideRoot(root, '.git/hooks/pre-commit', { forWrite: true })).toThrow(/\.git/);
		expect(() => resolveInsideRoot(root, 'vendor/lib/.git/config', { forWrite: true })).toThrow(/\.git/);
		expect(() => resolveInsideRoot(root, '.git', { forWrite: true })).toThrow(/\.git/);
		expect(resolveInsideRoot(root, '.git/config')).toBe(join(root, '.git', 'config'));
		expect(resolveInsideRoot(root, '.github/workflows/ci.yml', { forWrite: true })).toBe(join(root, '.github', 'workflows', 'ci.yml'));
	});

	it('refuses NUL characters', async () => {
		const { root } = await setup();
		expect(() => resolveInsideRoot(root, 'a\0b')).toThrow(/NUL/);
	});
});

describe('relativeToRoot', () => {
	it('gives /-separated paths relative to the root, and . for the root', async () => {
		const { root } = await setup();
		expect(relativeToRoot(root, join(root, 'src', 'a.ts'))).toBe('src/a.ts');
		expect(relativeToRoot(root, root)).toBe('.');
	});
});
