import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callTool, git, makeContext, makeRepo, makeTempDir, removeTempDirs, writeFiles } from './tool-test-context.ts';

afterEach(removeTempDirs);

describe('git tools on a real repository', () => {
	it('git_status shows the branch, a new file and a modified one', async () => {
		const root = await makeRepo({ 'a.txt': 'one\n' });
		await writeFiles(root, { 'new.txt': 'fresh\n', 'a.txt': 'two\n' });
		const result = await callTool(makeContext(root), 'git_status', {});
		expect(result.isError).toBe(false);
		expect(result.content).toBe('## main\n M a.txt\n?? new.txt');
	});

	it('git_status on a clean tree, and outside git', async () => {
		const root = await makeRepo();
		expect((await callTool(makeContext(root), 'git_status', {})).content).toBe('## main\n(working tree clean)');
		const plain = await makeTempDir();
		const outside = await callTool(makeContext(plain), 'git_status', {});
		expect(outside).toMatchObject({ isError: true, content: 'git status failed: the workspace is not a git repository.' });
	});

	it('git_diff shows unstaged and staged edits, optionally for one path', async () => {
		const root = await makeRepo({ 'a.txt': 'old line\n', 'b.txt': 'bee\n' });
		const ctx = makeContext(root);
		expect((await callTool(ctx, 'git_diff', {})).content).toMatch(/^No unstaged changes/);
		await writeFiles(root, { 'a.txt': 'new line\n', 'b.txt': 'buzz\n' });
		const unstaged = await callTool(ctx, 'git_diff', {});
		expect(unstaged.content).toContain('diff --git a/a.txt b/a.txt');
		expect(unstaged.content).toContain('-old line\n+new line');
		expect(unstaged.content).toContain('+buzz');
		const onePath = await callTool(ctx, 'git_diff', { path: 'b.txt' });
		expect(onePath.content).not.toContain('a.txt');
		expect(onePath.content).toContain('+buzz');
		expect((await callTool(ctx, 'git_diff', { staged: true })).content).toBe('No staged changes.');
		git(root, 'add', 'a.txt');
		const staged = await callTool(ctx, 'git_diff', { staged: true });
		expect(staged.content).toContain('+new line');
		expect(staged.content).not.toContain('buzz');
	});

	it('git_commit with paths commits exactly those paths, and git_log lists it', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'gone.txt': 'bye\n' });
		await writeFiles(root, { 'a.txt': 'a2\n', 'b.txt': 'b2\n', 'new/c.txt': 'c\n' });
		await rm(join(root, 'gone.txt'));
		git(root, 'add', 'b.txt');
		const ctx = makeContext(root);
		const result = await callTool(ctx, 'git_commit', { message: 'Update a, add c, remove gone\n\nBody text.', paths: ['a.txt', 'new/c.txt', 'gone.txt'] });
		expect(result.isError).toBe(false);
		const hash = git(root, 'rev-parse', 'HEAD').trim();
		expect(result.content.split('\n')[0]).toBe(`Committed ${hash.slice(0, 7)} on main: Update a, add c, remove gone`);
		expect(result.content).toContain('3 files changed');
		expect(result.details).toMatchObject({ hash, branch: 'main' });
		expect(git(root, 'show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['A\tnew/c.txt', 'D\tgone.txt', 'M\ta.txt']);
		// b.txt was staged before and stays staged, uncommitted.
		expect(git(root, 'status', '--porcelain')).toBe('M  b.txt\n');

		const log = await callTool(ctx, 'git_log', { limit: 5 });
		const lines = log.content.split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(new RegExp(`^${hash.slice(0, 7)} \\d{4}-\\d{2}-\\d{2} Test User: Update a, add c, remove gone$`));
		expect(lines[1]).toMatch(/Test User: initial$/);
		expect((await callTool(ctx, 'git_log', { limit: 1 })).content.split('\n')).toHaveLength(1);
	});

	it('git_commit without paths stages and commits everything', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		await writeFiles(root, { 'a.txt': 'changed\n', 'b.txt': 'new\n' });
		const result = await callTool(makeContext(root), 'git_commit', { message: 'Everything' });
		expect(result.isError).toBe(false);
		expect(git(root, 'status', '--porcelain')).toBe('');
		expect(git(root, 'log', '--format=%s').trim().split('\n')).toEqual(['Everything', 'initial']);
	});

	it('git_commit reports nothing to commit, and an empty message', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		const ctx = makeContext(root);
		expect(await callTool(ctx, 'git_commit', { message: 'nothing' })).toMatchObject({ isError: true, content: expect.stringMatching(/^Nothing to commit/) });
		await writeFiles(root, { 'b.txt': 'b\n' });
		expect(await callTool(ctx, 'git_commit', { message: 'x', paths: ['a.txt'] })).toMatchObject({ isError: true, content: expect.stringMatching(/^Nothing to commit in those paths/) });
		expect(await callTool(ctx, 'git_commit', { message: '  ' })).toMatchObject({ isError: true, content: expect.stringContaining('message is empty') });
		expect(git(root, 'log', '--format=%s').trim()).toBe('initial');
	});

	it('git_commit explains a missing author identity', async () => {
		const root = await makeRepo({});
		git(root, 'config', '--unset', 'user.name');
		git(root, 'config', '--unset', 'user.email');
		git(root, 'config', 'user.useConfigOnly', 'true');
		const home = await makeTempDir('orbit-home-');
		await writeFile(join(root, 'a.txt'), 'a\n');
		const ctx = makeContext(root, { env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home } });
		const result = await callTool(ctx, 'git_commit', { message: 'first' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/no author identity/);
	});

	it('git_log on a repository without commits, and the first commit in it', async () => {
		const root = await makeRepo({});
		const ctx = makeContext(root);
		expect((await callTool(ctx, 'git_log', {})).content).toBe('No commits yet.');
		await writeFile(join(root, 'a.txt'), 'a\n');
		expect((await callTool(ctx, 'git_commit', { message: 'first', paths: ['a.txt'] })).isError).toBe(false);
		expect((await callTool(ctx, 'git_log', {})).content).toMatch(/Test User: first$/);
	});

	it('git runs with the child environment, so hooks see no tokens', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		const hookOutput = join(root, '.git', 'hook-env');
		await writeFiles(root, { '.git/hooks/pre-commit': `#!/bin/sh\nenv > ${hookOutput}\n`, 'a.txt': 'changed\n' });
		await chmod(join(root, '.git/hooks/pre-commit'), 0o755);
		const ctx = makeContext(root, { env: { ...process.env, GITHUB_TOKEN: 'ghp_hook_must_not_see', EDITOR: 'vim', GIT_PAGER: 'less' } });
		const result = await callTool(ctx, 'git_commit', { message: 'with hook' });
		expect(result.isError).toBe(false);
		const seen = await readFile(hookOutput, 'utf8');
		expect(seen).not.toContain('ghp_hook_must_not_see');
		expect(seen).toMatch(/^ORBIT=1$/m);
	});
});
