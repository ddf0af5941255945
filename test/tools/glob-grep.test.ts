import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callTool, makeContext, makeRepo, makeTempDir, removeTempDirs, writeFiles } from './tool-test-context.ts';

afterEach(removeTempDirs);

const project = {
	'.gitignore': 'dist/\n*.log\nsecret.env\n',
	'README.md': 'needle in the readme\n',
	'src/a.ts': 'const needle = 1;\nconst hay = 2;\n',
	'src/b/c.ts': 'export function findNeedle() {}\n// needle again\n',
	'src/.hidden.ts': 'needle hidden but not ignored\n',
};
const ignored = {
	'dist/bundle.ts': 'needle in the build output\n',
	'debug.log': 'needle in a log\n',
	'secret.env': 'needle=secret\n',
};

async function repoWithIgnoredFiles(): Promise<string> {
	const root = await makeRepo(project);
	await writeFiles(root, { ...ignored, 'src/untracked.ts': 'needle untracked\n' });
	return root;
}

describe('glob', () => {
	it('lists tracked and untracked files, sorted, never .gitignored ones', async () => {
		const root = await repoWithIgnoredFiles();
		const result = await callTool(makeContext(root), 'glob', { pattern: '**/*.ts' });
		expect(result.isError).toBe(false);
		expect(result.content).toBe(['src/.hidden.ts', 'src/a.ts', 'src/b/c.ts', 'src/untracked.ts'].join('\n'));
	});

	it('matches names at any depth without a slash, from the root with one', async () => {
		const root = await repoWithIgnoredFiles();
		const ctx = makeContext(root);
		expect((await callTool(ctx, 'glob', { pattern: '*.ts' })).content.split('\n')).toHaveLength(4);
		expect((await callTool(ctx, 'glob', { pattern: 'src/*.ts' })).content).toBe('src/.hidden.ts\nsrc/a.ts\nsrc/untracked.ts');
		expect((await callTool(ctx, 'glob', { pattern: './src/b/*.ts' })).content).toBe('src/b/c.ts');
		expect((await callTool(ctx, 'glob', { pattern: `${root}/src/b/*.ts` })).content).toBe('src/b/c.ts');
		expect((await callTool(ctx, 'glob', { pattern: '*.log' })).content).toBe('No files match *.log.');
	});

	it('leaves out tracked files deleted from disk', async () => {
		const root = await repoWithIgnoredFiles();
		await rm(join(root, 'src/a.ts'));
		const result = await callTool(makeContext(root), 'glob', { pattern: 'src/*.ts' });
		expect(result.content).toBe('src/.hidden.ts\nsrc/untracked.ts');
	});

	it('respects nested .gitignore files outside git, and skips .git and node_modules', async () => {
		const root = await makeTempDir();
		await writeFiles(root, {
			'.gitignore': '*.log\nbuild/\n',
			'keep.txt': '',
			'app.log': '',
			'build/out.txt': '',
			'pkg/.gitignore': 'generated.txt\n!important.log\n',
			'pkg/generated.txt': '',
			'pkg/important.log': '',
			'pkg/code.txt': '',
			'node_modules/dep/index.js': '',
			'.git/HEAD': 'ref: refs/heads/main\n',
		});
		const result = await callTool(makeContext(root), 'glob', { pattern: '**' });
		expect(result.content).toBe(['.gitignore', 'keep.txt', 'pkg/.gitignore', 'pkg/code.txt', 'pkg/important.log'].join('\n'));
	});

	it('caps the list with a visible marker', async () => {
		const root = await makeTempDir();
		await writeFiles(root, Object.fromEntries(Array.from({ length: 620 }, (_, index) => [`f/${String(index).padStart(4, '0')}.txt`, ''])));
		const result = await callTool(makeContext(root), 'glob', { pattern: 'f/*.txt' });
		const lines = result.content.split('\n');
		expect(lines).toHaveLength(501);
		expect(lines.at(-1)).toBe('[120 more files not shown; use a narrower pattern]');
	});
});

describe('grep', () => {
	it('prints path:line: text for matches in files that are not ignored', async () => {
		const root = await repoWithIgnoredFiles();
		const result = await callTool(makeContext(root), 'grep', { pattern: 'needle' });
		expect(result.isError).toBe(false);
		expect(result.content.split('\n')).toEqual([
			'README.md:1: needle in the readme',
			'src/.hidden.ts:1: needle hidden but not ignored',
			'src/a.ts:1: const needle = 1;',
			'src/b/c.ts:2: // needle again',
			'src/untracked.ts:1: needle untracked',
		]);
	});

	it('narrows to a folder, a file and a glob', async () => {
		const root = await repoWithIgnoredFiles();
		const ctx = makeContext(root);
		expect((await callTool(ctx, 'grep', { pattern: '[Nn]eedle', path: 'src/b' })).content).toBe('src/b/c.ts:1: export function findNeedle() {}\nsrc/b/c.ts:2: // needle again');
		expect((await callTool(ctx, 'grep', { pattern: 'hay', path: 'src/a.ts' })).content).toBe('src/a.ts:2: const hay = 2;');
		expect((await callTool(ctx, 'grep', { pattern: 'needle', glob: '*.md' })).content).toBe('README.md:1: needle in the readme');
		expect((await callTool(ctx, 'grep', { pattern: 'needle', path: 'src', glob: 'src/b/**' })).content).toBe('src/b/c.ts:2: // needle again');
		expect((await callTool(ctx, 'grep', { pattern: 'nothing-like-this' })).content).toMatch(/^No matches in \d+ files\.$/);
	});

	it('answers an invalid regular expression with an error', async () => {
		const root = await repoWithIgnoredFiles();
		const result = await callTool(makeContext(root), 'grep', { pattern: 'foo(' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/^Invalid regular expression: .*backslash/);
	});

	it('skips binary files and cuts long lines', async () => {
		const root = await makeRepo({ 'bin.dat': Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2])]), 'long.txt': `needle ${'z'.repeat(1000)}\n` });
		const result = await callTool(makeContext(root), 'grep', { pattern: 'needle' });
		expect(result.content).toBe(`long.txt:1: needle ${'z'.repeat(293)}… [line cut]`);
	});

	it('caps the matches with a visible marker', async () => {
		const root = await makeRepo({ 'many.txt': Array.from({ length: 450 }, (_, index) => `match ${index}`).join('\n') });
		const result = await callTool(makeContext(root), 'grep', { pattern: '^match' });
		const lines = result.content.split('\n');
		expect(lines).toHaveLength(201);
		expect(lines[0]).toBe('many.txt:1: match 0');
		expect(lines.at(-1)).toBe('[250 more matches not shown; narrow the pattern, path or glob]');
	});

	it('finds nothing in an ignored folder, even when asked for it', async () => {
		const root = await repoWithIgnoredFiles();
		const result = await callTool(makeContext(root), 'grep', { pattern: 'needle', path: 'dist' });
		expect(result.content).toBe('No matches in 0 files.');
	});
});
