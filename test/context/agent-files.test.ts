import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readUserConfig, userConfigDir } from '../../source/config-file.ts';
import { createProjectContext, type ProjectContextOptions } from '../../source/context/agent-files.ts';
import { buildSystemPrompt } from '../../source/runtime/system-prompt.ts';
import { folders, writeTree } from './tree.ts';

const temp = folders();
afterEach(() => temp.cleanUp());

function project(root: string, options: Partial<ProjectContextOptions> = {}) {
	return createProjectContext({ root, cwd: root, ...options });
}

describe('AGENT.md discovery at start', () => {
	it('loads the global file, then one file per folder from the root down to the cwd, root first, each labelled with its path', () => {
		const global = temp.make({ 'AGENT.md': 'global rule' });
		const root = temp.make({
			'.git/HEAD': 'ref: refs/heads/main\n',
			'AGENT.md': 'root rule',
			'packages/AGENT.md': 'packages rule',
			'packages/app/AGENT.md': 'app rule',
			'packages/app/src/AGENT.md': 'below the cwd',
			'packages/lib/AGENT.md': 'beside the cwd',
			'docs/AGENT.md': 'elsewhere',
		});
		const context = project(root, { cwd: join(root, 'packages/app'), globalDir: global });
		expect(context.sections()).toEqual([
			{ title: `User instructions (${join(global, 'AGENT.md')})`, body: 'global rule' },
			{ title: 'Project instructions (AGENT.md)', body: 'root rule' },
			{ title: 'Project instructions (packages/AGENT.md)', body: 'packages rule' },
			{ title: 'Project instructions (packages/app/AGENT.md)', body: 'app rule' },
		]);
		expect(context.files().map((file) => [file.path, file.reason])).toEqual([
			[join(global, 'AGENT.md'), 'global'],
			['AGENT.md', 'root→cwd'],
			['packages/AGENT.md', 'root→cwd'],
			['packages/app/AGENT.md', 'root→cwd'],
		]);
		expect(context.warnings()).toEqual([]);
		const prompt = buildSystemPrompt({ root, cwd: join(root, 'packages/app'), permission: 'ask', sections: context.sections() });
		expect(prompt.indexOf('global rule')).toBeLessThan(prompt.indexOf('root rule'));
		expect(prompt.indexOf('root rule')).toBeLessThan(prompt.indexOf('app rule'));
		expect(prompt).toContain('# Project instructions (packages/app/AGENT.md)\napp rule');
		expect(prompt).not.toMatch(/below the cwd|beside the cwd|elsewhere/);
	});

	it.runIf(process.platform === 'linux')('finds the global file in the user config folder, the one config.json is read from', () => {
		const xdg = temp.make({ 'orbit/config.json': '{"theme": "light"}', 'orbit/AGENT.md': 'xdg rule' });
		const env = { XDG_CONFIG_HOME: xdg };
		expect(userConfigDir(env)).toBe(join(xdg, 'orbit'));
		expect(readUserConfig(env)).toMatchObject({ path: join(xdg, 'orbit/config.json'), theme: 'light' });
		expect(userConfigDir({ ORBIT_CONFIG_DIR: ' /elsewhere/orbit ', XDG_CONFIG_HOME: xdg })).toBe('/elsewhere/orbit');
		expect(userConfigDir({ XDG_CONFIG_HOME: '' })).toBe(join(homedir(), '.config', 'orbit'));
		const root = temp.make({ 'AGENT.md': 'root rule' });
		expect(project(root, { globalDir: userConfigDir(env) }).sections().map((section) => section.body)).toEqual(['xdg rule', 'root rule']);
	});

	it('takes AGENTS.md where a folder has no AGENT.md, and AGENT.md where it has both', () => {
		const root = temp.make({ 'AGENTS.md': 'root agents', 'a/AGENT.md': 'a agent', 'a/AGENTS.md': 'a agents', 'a/b/AGENTS.md': 'b agents' });
		const context = project(root, { cwd: join(root, 'a/b') });
		expect(context.sections().map((section) => section.body)).toEqual(['root agents', 'a agent', 'b agents']);
		expect(context.files().map((file) => file.path)).toEqual(['AGENTS.md', 'a/AGENT.md', 'a/b/AGENTS.md']);
	});

	it('loads nothing, and warns of nothing, where there are no files (no global folder, a folder named AGENT.md, a missing config folder)', () => {
		const root = temp.make({ 'AGENT.md/README': 'a folder, not a file', 'src/index.ts': '' });
		expect(project(root).sections()).toEqual([]);
		const missing = project(root, { globalDir: join(root, 'no-such-config') });
		expect(missing.files()).toEqual([]);
		expect(missing.warnings()).toEqual([]);
	});

	it('refuses a repository AGENT.md that is a symbolic link out of the repository, but follows one inside it', () => {
		const outside = temp.make({ 'secret.md': 'OUTSIDE TEXT' });
		const root = temp.make({ 'AGENT.md': { link: join(outside, 'secret.md') }, 'docs/rules.md': 'linked rules', 'sub/AGENT.md': { link: '../docs/rules.md' } });
		const context = project(root, { cwd: join(root, 'sub') });
		expect(context.sections()).toEqual([{ title: 'Project instructions (docs/rules.md)', body: 'linked rules' }]);
		expect(context.warnings()).toEqual([expect.objectContaining({ kind: 'escape', file: 'AGENT.md' })]);
		expect(context.warnings()[0]!.message).toMatch(/outside the repository through a symbolic link/);
		expect(JSON.stringify(context.sections())).not.toContain('OUTSIDE TEXT');
	});

	it('refuses a working directory outside the root and a size cap that is not positive, with a clear message', () => {
		const root = temp.make();
		const other = temp.make();
		expect(() => createProjectContext({ root, cwd: other })).toThrow(/is not inside the repository root/);
		expect(() => createProjectContext({ root, cwd: root, maxBytes: 0 })).toThrow(/maxBytes must be a positive number/);
	});

	it('reads the start-up files again when one changes, appears or goes, and only then', () => {
		const root = temp.make({ 'AGENT.md': 'first', 'a/keep.txt': '' });
		const context = project(root, { cwd: join(root, 'a') });
		expect(context.refresh()).toBe(false);
		writeFileSync(join(root, 'AGENT.md'), 'second version');
		expect(context.refresh()).toBe(true);
		expect(context.sections().map((section) => section.body)).toEqual(['second version']);
		writeFileSync(join(root, 'a/AGENTS.md'), 'new in a');
		expect(context.refresh()).toBe(true);
		expect(context.sections().map((section) => section.body)).toEqual(['second version', 'new in a']);
		rmSync(join(root, 'AGENT.md'));
		expect(context.refresh()).toBe(true);
		expect(context.sections().map((section) => section.body)).toEqual(['new in a']);
		expect(context.files().map((file) => file.path)).toEqual(['a/AGENTS.md']);
		expect(context.usedBytes()).toBe('new in a'.length);
		expect(context.refresh()).toBe(false);
	});
});

describe('AGENT.md loaded when a tool first touches its folder', () => {
	it('loads the files of the folders on the way to a touched file, root first, once per folder', () => {
		const root = temp.make({
			'AGENT.md': 'root',
			'packages/lib/AGENT.md': 'lib rules',
			'packages/lib/src/AGENTS.md': 'src rules',
			'packages/lib/src/index.ts': '',
			'packages/lib/src/util.ts': '',
			'packages/lib/test/a.test.ts': '',
		});
		const context = project(root);
		expect(context.files().map((file) => file.path)).toEqual(['AGENT.md']);
		const first = context.loadFor('packages/lib/src/index.ts', 'read_file');
		expect(first).toEqual([
			{ path: 'packages/lib/AGENT.md', folder: 'packages/lib', reason: 'touched packages/lib/src/index.ts (read_file)', text: 'lib rules' },
			{ path: 'packages/lib/src/AGENTS.md', folder: 'packages/lib/src', reason: 'touched packages/lib/src/index.ts (read_file)', text: 'src rules' },
		]);
		expect(context.loadFor('packages/lib/src/index.ts', 'read_file')).toEqual([]);
		expect(context.loadFor('packages/lib/src/util.ts', 'edit_file')).toEqual([]);
		expect(context.loadFor('packages/lib/test/a.test.ts')).toEqual([]);
		expect(context.files().map((file) => [file.path, file.reason])).toEqual([
			['AGENT.md', 'root→cwd'],
			['packages/lib/AGENT.md', 'touched packages/lib/src/index.ts (read_file)'],
			['packages/lib/src/AGENTS.md', 'touched packages/lib/src/index.ts (read_file)'],
		]);
	});

	it('gives nothing for files on the root → cwd chain, and loads the folders beside and below the cwd', () => {
		const root = temp.make({ 'AGENT.md': 'root', 'app/AGENT.md': 'app', 'app/src/AGENT.md': 'app src', 'lib/AGENT.md': 'lib', 'app/main.ts': '', 'lib/x.ts': '', 'app/src/y.ts': '' });
		const context = project(root, { cwd: join(root, 'app') });
		expect(context.loadFor('app/main.ts')).toEqual([]);
		expect(context.loadFor('README.md')).toEqual([]);
		expect(context.loadFor('lib/x.ts').map((file) => file.text)).toEqual(['lib']);
		expect(context.loadFor(join(root, 'app/src/y.ts')).map((file) => file.text)).toEqual(['app src']);
	});

	it('counts a touched folder itself (grep in a folder), and nothing outside the root', () => {
		const root = temp.make({ 'search/AGENT.md': 'search rules', 'search/deep/file.ts': '' });
		const context = project(root);
		expect(context.loadFor('search', 'grep').map((file) => file.path)).toEqual(['search/AGENT.md']);
		expect(context.loadFor('../elsewhere/AGENT.md')).toEqual([]);
		expect(context.loadFor('/etc/hosts')).toEqual([]);
		expect(context.loadFor('.')).toEqual([]);
	});

	it('looks at each folder once ever: a file added to a folder already looked at is not loaded, but a folder created later is', () => {
		const root = temp.make({ 'seen/a.ts': '' });
		const context = project(root);
		expect(context.loadFor('seen/a.ts')).toEqual([]);
		writeTree(root, { 'seen/AGENT.md': 'too late' });
		expect(context.loadFor('seen/a.ts')).toEqual([]);
		// write_file reports its path before the folder exists: the folder is not marked.
		expect(context.loadFor('fresh/sub/new.ts', 'write_file')).toEqual([]);
		writeTree(root, { 'fresh/sub/AGENT.md': 'fresh rules' });
		expect(context.loadFor('fresh/sub/new.ts', 'read_file').map((file) => file.text)).toEqual(['fresh rules']);
	});

	it('never loads from .git or node_modules', () => {
		const root = temp.make({ '.git/AGENT.md': 'git', 'node_modules/pkg/AGENTS.md': 'dependency', 'node_modules/pkg/index.js': '', '.git/config': '' });
		const context = project(root);
		expect(context.loadFor('node_modules/pkg/index.js')).toEqual([]);
		expect(context.loadFor('.git/config')).toEqual([]);
	});

	it('does not load again a file already before the model (a folder whose AGENT.md links to the root one)', () => {
		const root = temp.make({ 'AGENT.md': 'root', 'mirror/AGENT.md': { link: '../AGENT.md' }, 'mirror/x.ts': '' });
		const context = project(root);
		expect(context.loadFor('mirror/x.ts')).toEqual([]);
		expect(context.files().map((file) => file.path)).toEqual(['AGENT.md']);
	});
});

describe('the size cap', () => {
	it('cuts the file that crosses the cap with a visible notice, leaves later ones out with one each, and warns', () => {
		const root = temp.make({ 'AGENT.md': `${'r'.repeat(59)}\n`, 'a/AGENT.md': `${'a'.repeat(59)}\n${'A'.repeat(59)}\n`, 'a/b/AGENT.md': 'b rules\n' });
		const context = project(root, { cwd: join(root, 'a/b'), maxBytes: 100 });
		const [first, second, third] = context.sections().map((section) => section.body);
		expect(first).toBe(`${'r'.repeat(59)}\n`);
		expect(second).toBe(`${'a'.repeat(40)}\n[Orbit: The rest of a/AGENT.md (80 bytes) is left out: AGENT.md files and their imports are capped at 100 bytes in all. Read it with read_file if you need it.]\n`);
		expect(third).toBe('[Orbit: a/b/AGENT.md (8 bytes) is left out: AGENT.md files and their imports are capped at 100 bytes in all. Read it with read_file if you need it.]\n');
		expect(context.usedBytes()).toBe(100);
		expect(context.files()).toEqual([
			{ path: 'AGENT.md', reason: 'root→cwd', bytes: 60, size: 60, truncated: false },
			{ path: 'a/AGENT.md', reason: 'root→cwd', bytes: 40, size: 120, truncated: true },
			{ path: 'a/b/AGENT.md', reason: 'root→cwd', bytes: 0, size: 8, truncated: true },
		]);
		expect(context.warnings().map((warning) => [warning.kind, warning.file])).toEqual([
			['truncated', 'a/AGENT.md'],
			['truncated', 'a/b/AGENT.md'],
		]);
		writeTree(root, { 'c/AGENT.md': 'c rules', 'c/x.ts': '' });
		const [late] = context.loadFor('c/x.ts');
		expect(late?.text).toMatch(/^\[Orbit: c\/AGENT\.md \(7 bytes\) is left out: .* capped at 100 bytes/);
	});

	it('reads no more of a huge file than the cap (64 KB by default), and never splits a character', () => {
		const root = temp.make({ 'AGENT.md': 'é'.repeat(600_000) });
		const context = project(root);
		const body = context.sections()[0]!.body;
		const kept = body.slice(0, body.indexOf('\n[Orbit:'));
		expect(kept).toBe('é'.repeat(32 * 1024));
		expect(body).toContain('[Orbit: The rest of AGENT.md (1107.9 KB) is left out: AGENT.md files and their imports are capped at 64 KB in all.');
		expect(context.files()[0]).toMatchObject({ bytes: 64 * 1024, size: 1_200_000, truncated: true });
		const odd = project(root, { maxBytes: 101 }).sections()[0]!.body;
		expect(odd.startsWith(`${'é'.repeat(50)}\n[Orbit: The rest of AGENT.md`)).toBe(true);
		expect(odd).not.toContain('\uFFFD');
	});

	it('shares the cap between start-up files and files loaded on touch', () => {
		const root = temp.make({ 'AGENT.md': 'x'.repeat(90), 'sub/AGENT.md': `${'s'.repeat(8)}\n${'t'.repeat(20)}`, 'sub/f.ts': '' });
		const context = project(root, { maxBytes: 100 });
		const [file] = context.loadFor('sub/f.ts');
		expect(file?.text).toBe(`${'s'.repeat(8)}\nt\n[Orbit: The rest of sub/AGENT.md (19 bytes) is left out: AGENT.md files and their imports are capped at 100 bytes in all. Read it with read_file if you need it.]\n`);
		expect(context.usedBytes()).toBe(100);
		expect(context.warnings()).toEqual([expect.objectContaining({ kind: 'truncated', file: 'sub/AGENT.md' })]);
	});
});

describe('start-up discovery walks only the root → cwd chain', () => {
	it('does not look into other folders, even hundreds of them', () => {
		const root = temp.make({ 'AGENT.md': 'root' });
		for (let index = 0; index < 100; index++) mkdirSync(join(root, `folder-${index}`));
		writeFileSync(join(root, 'folder-99/AGENT.md'), 'deep');
		const context = project(root);
		expect(context.files().map((file) => file.path)).toEqual(['AGENT.md']);
		expect(context.loadFor('folder-99/x.ts').map((file) => file.text)).toEqual(['deep']);
	});
});
