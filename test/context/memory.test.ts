import { existsSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectMemory, type ProjectMemory } from '../../source/context/memory.ts';
import { git, makeRepo, makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

const opened: ProjectMemory[] = [];
function open(root: string): ProjectMemory {
	const memory = openProjectMemory({ root });
	opened.push(memory);
	return memory;
}

afterEach(async () => {
	await Promise.all(opened.splice(0).map((memory) => memory.close()));
	await removeTempDirs();
});

const texts = async (memory: ProjectMemory, query: string, limit?: number) => (await memory.search(query, limit)).map((hit) => hit.text);

describe('project memory files', () => {
	it('creates nothing until the first add, then the file, its title and a git-ignored cache folder', async () => {
		const root = await makeRepo();
		const memory = open(root);
		expect(await memory.search('anything')).toEqual([]);
		expect(memory.read('MEMORY')).toBe('');
		expect(memory.agreements()).toBe('');
		expect(existsSync(join(root, '.orbit'))).toBe(false);

		expect(await memory.add('MEMORY', 'Use pnpm, not npm.')).toEqual({ ok: true, message: 'Added to .orbit/MEMORY.md.' });
		expect(readFileSync(join(root, '.orbit/MEMORY.md'), 'utf8')).toBe('# Memory\n\n- Use pnpm, not npm.\n');
		expect(readFileSync(join(root, '.orbit/.gitignore'), 'utf8')).toBe('cache/\nsessions/\n');
		expect(existsSync(join(root, '.orbit/AGREEMENTS.md'))).toBe(false);
		await mkdir(join(root, '.orbit/cache'));
		await writeFile(join(root, '.orbit/cache/vectors.bin'), 'x');
		expect(git(root, 'status', '--porcelain', '-uall').split('\n').filter(Boolean).sort()).toEqual(['?? .orbit/.gitignore', '?? .orbit/MEMORY.md']);
	});

	it('keeps what .orbit/.gitignore already holds', async () => {
		const root = await makeRepo({ '.orbit/.gitignore': 'local.json\nsessions/' });
		await open(root).add('AGREEMENTS', 'Run the tests before every commit.');
		expect(readFileSync(join(root, '.orbit/.gitignore'), 'utf8')).toBe('local.json\nsessions/\ncache/\n');
	});

	it('add, search and remove round-trip, and the rest of the file stays as written', async () => {
		const root = await makeRepo();
		const memory = open(root);
		for (const fact of ['Use pnpm, not npm, to install dependencies.', 'Deployment runs on Fridays with make release.', 'The staging server is called atlas.']) {
			expect(await memory.add('MEMORY', fact)).toMatchObject({ ok: true });
		}
		expect(await memory.add('AGREEMENTS', 'Always run the tests before committing.')).toMatchObject({ ok: true });

		expect(await memory.search('how do we deploy')).toEqual([{ file: 'MEMORY', text: 'Deployment runs on Fridays with make release.', line: 4, score: expect.any(Number) }]);
		expect(await texts(memory, 'tests before commit')).toEqual(['Always run the tests before committing.']);
		expect(await texts(memory, 'pnpm staging', 1)).toHaveLength(1);

		expect(await memory.remove('MEMORY', 'use pnpm, not npm, to install dependencies')).toEqual({ ok: true, message: 'Removed the entry from .orbit/MEMORY.md.' });
		expect(await texts(memory, 'pnpm')).toEqual([]);
		expect(memory.read('MEMORY')).toBe('# Memory\n\n- Deployment runs on Fridays with make release.\n- The staging server is called atlas.\n');
		expect(await memory.remove('MEMORY', 'atlas')).toMatchObject({ ok: true });
		expect(memory.read('MEMORY')).toBe('# Memory\n\n- Deployment runs on Fridays with make release.\n');
		expect(memory.agreements()).toBe('# Agreements\n\n- Always run the tests before committing.\n');
	});

	it('labels hits with their headings and finds them by heading words', async () => {
		const root = await makeRepo({ '.orbit/MEMORY.md': '# Memory\n\n## Database\n\n- Postgres 16 in production\n- migrations with dbmate\n' });
		const memory = open(root);
		expect(await memory.search('database')).toEqual([
			// The shorter entry first: BM25 normalises by length.
			{ file: 'MEMORY', text: 'migrations with dbmate', heading: 'Database', line: 6, score: expect.any(Number) },
			{ file: 'MEMORY', text: 'Postgres 16 in production', heading: 'Database', line: 5, score: expect.any(Number) },
		]);
	});

	it('does not add the same entry twice, and answers clearly when a removal does not match', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.add('MEMORY', 'Node 20 is the minimum');
		expect(await memory.add('MEMORY', '- node 20 is the minimum.')).toEqual({ ok: true, message: 'Already in .orbit/MEMORY.md; nothing changed.' });
		await memory.add('MEMORY', 'Node 22 works too');
		const before = memory.read('MEMORY');
		expect(await memory.remove('MEMORY', 'node')).toEqual({ ok: false, error: expect.stringMatching(/"node" is part of 2 entries in \.orbit\/MEMORY\.md/) });
		expect(await memory.remove('MEMORY', 'python')).toEqual({ ok: false, error: expect.stringMatching(/^No entry in \.orbit\/MEMORY\.md matches "python"/) });
		expect(await memory.remove('AGREEMENTS', 'anything')).toEqual({ ok: false, error: '.orbit/AGREEMENTS.md does not exist yet; there is nothing to remove.' });
		expect(await memory.add('NOTES' as never, 'x')).toEqual({ ok: false, error: expect.stringMatching(/no memory file "NOTES"; use MEMORY .* or AGREEMENTS/) });
		expect(await memory.add('MEMORY', '   ')).toEqual({ ok: false, error: expect.stringMatching(/empty/) });
		expect(memory.read('MEMORY')).toBe(before);
		expect(existsSync(join(root, '.orbit/AGREEMENTS.md'))).toBe(false);
	});

	it('refuses secret-looking text with a message, writing nothing', async () => {
		const root = await makeRepo();
		const memory = open(root);
		const secrets = [
			['The OpenAI key is sk-proj-4f9aK2mZx81QwErTyUiOpAsDf', /API key, token or password/],
			['ghp_abcdefghijklmnopqrstuvwxyz0123456789 is the CI token', /API key, token or password/],
			['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----', /a private key/],
			['db password: hunter2!', /password or key assigned to a name/],
			['use postgres://admin:s3cr3t@db.internal/app', /API key, token or password/],
			['signing secret Zx8qL2mN9pR4tV7wY1aB3cD5eF6gH0jK', /long random string/],
		] as const;
		for (const [text, reason] of secrets) {
			const result = await memory.add('MEMORY', text);
			expect(result, text).toEqual({ ok: false, error: expect.stringMatching(reason) });
			if (!result.ok) expect(result.error).toMatch(/committed with the repository, so secrets never go into memory/);
		}
		expect(existsSync(join(root, '.orbit'))).toBe(false);
		for (const harmless of ['The deploy token is in the CI settings.', 'commit 3f5e2a9c1b7d4e6f8a0b2c4d6e8f0a1b2c3d4e5f fixed the flaky test', 'max_tokens=4096 for the summariser']) {
			expect(await memory.add('MEMORY', harmless), harmless).toMatchObject({ ok: true });
		}
	});

	it('reports the path before it writes, and only when it writes', async () => {
		const root = await makeRepo();
		const memory = open(root);
		const seen: [string, boolean][] = [];
		const beforeWrite = (path: string) => seen.push([path, existsSync(join(root, path))]);
		await memory.add('AGREEMENTS', 'Reply in English.', { beforeWrite });
		await memory.add('AGREEMENTS', 'Reply in English.', { beforeWrite });
		await memory.add('AGREEMENTS', 'password: hunter2!', { beforeWrite });
		await memory.remove('AGREEMENTS', 'Reply in English', { beforeWrite });
		expect(seen).toEqual([
			['.orbit/AGREEMENTS.md', false],
			['.orbit/AGREEMENTS.md', true],
		]);
	});

	it('adds made at the same time all arrive', async () => {
		const root = await makeRepo();
		const memory = open(root);
		const facts = Array.from({ length: 20 }, (_, at) => `fact number ${at}`);
		await Promise.all(facts.map((fact) => memory.add('MEMORY', fact)));
		expect(await texts(memory, 'fact', 50)).toHaveLength(20);
	});
});

describe('hand edits', () => {
	it('are searchable at once, without a restart, however the editor saves', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.add('MEMORY', 'Use pnpm.');
		const path = join(root, '.orbit/MEMORY.md');
		writeFileSync(path, `${readFileSync(path, 'utf8')}- The staging server is called atlas.\n`);
		expect(await texts(memory, 'atlas')).toEqual(['The staging server is called atlas.']);

		// Save by writing a new file and renaming it over the old one, keeping the size the same.
		const edited = readFileSync(path, 'utf8').replace('atlas', 'orion');
		writeFileSync(`${path}.swp`, edited);
		renameSync(`${path}.swp`, path);
		expect(await texts(memory, 'atlas')).toEqual([]);
		expect(await texts(memory, 'orion')).toEqual(['The staging server is called orion.']);
	});

	it('to AGREEMENTS.md show in agreements() at once; a file with only its title counts as empty', async () => {
		const root = await makeRepo();
		const memory = open(root);
		expect(memory.agreements()).toBe('');
		await mkdir(join(root, '.orbit'));
		await writeFile(join(root, '.orbit/AGREEMENTS.md'), '# Agreements\n\n<!-- rules go here -->\n');
		expect(memory.agreements()).toBe('');
		await writeFile(join(root, '.orbit/AGREEMENTS.md'), '# Agreements\n\n- Never push to main.\n');
		expect(memory.agreements()).toBe('# Agreements\n\n- Never push to main.\n');
		await writeFile(join(root, '.orbit/AGREEMENTS.md'), '## Style\nTabs, not spaces.\n');
		expect(memory.agreements()).toBe('## Style\nTabs, not spaces.\n');
	});

	it('made while an add is under way are not lost: the add starts again from the new text', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.add('MEMORY', 'first');
		const path = join(root, '.orbit/MEMORY.md');
		let calls = 0;
		const result = await memory.add('MEMORY', 'third', {
			beforeWrite: () => {
				calls += 1;
				if (calls === 1) writeFileSync(path, `${readFileSync(path, 'utf8')}- second, by hand\n`);
			},
		});
		expect(result).toMatchObject({ ok: true });
		expect(calls).toBe(2);
		expect(memory.read('MEMORY')).toBe('# Memory\n\n- first\n- second, by hand\n- third\n');
	});

	it('that never stop make the add give up without writing', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.add('MEMORY', 'first');
		const path = join(root, '.orbit/MEMORY.md');
		let calls = 0;
		const result = await memory.add('MEMORY', 'never written', {
			beforeWrite: () => writeFileSync(path, `${readFileSync(path, 'utf8')}- hand edit ${++calls}\n`),
		});
		expect(result).toEqual({ ok: false, error: '.orbit/MEMORY.md kept changing while it was being edited; nothing was written. Try again.' });
		expect(memory.read('MEMORY')).toBe('# Memory\n\n- first\n- hand edit 1\n- hand edit 2\n- hand edit 3\n- hand edit 4\n');
	});

	it('lose nothing when the file was written before the add looked at it', async () => {
		const root = await makeRepo();
		const memory = open(root);
		await memory.add('MEMORY', 'first');
		await writeFile(join(root, '.orbit/MEMORY.md'), '# Memory\n\n- first\n- second, by hand\n');
		await memory.add('MEMORY', 'third');
		expect(await readFile(join(root, '.orbit/MEMORY.md'), 'utf8')).toBe('# Memory\n\n- first\n- second, by hand\n- third\n');
	});
});

describe('confinement', () => {
	it('never reads or writes through a .orbit that leads outside the repository', async () => {
		const outside = await makeTempDir('orbit-outside-');
		await writeFile(join(outside, 'MEMORY.md'), '- a note outside the repository about atlas\n');
		const root = await makeRepo();
		symlinkSync(outside, join(root, '.orbit'));
		const memory = open(root);
		expect(await memory.search('atlas')).toEqual([]);
		expect(memory.read('MEMORY')).toBe('');
		expect(memory.status().files.MEMORY).toMatchObject({ exists: false, problem: expect.stringMatching(/outside the repository/) });
		expect(await memory.add('MEMORY', 'more')).toEqual({ ok: false, error: expect.stringMatching(/outside the repository.*nothing was written/s) });
		expect(await memory.add('AGREEMENTS', 'more')).toEqual({ ok: false, error: expect.stringMatching(/Could not write \.orbit\/AGREEMENTS\.md: .*outside the repository/) });
		expect(readFileSync(join(outside, 'MEMORY.md'), 'utf8')).toBe('- a note outside the repository about atlas\n');
		expect(existsSync(join(outside, 'AGREEMENTS.md'))).toBe(false);
	});
});
