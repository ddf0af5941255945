import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProjectContext } from '../../source/context/agent-files.ts';
import { scanImports } from '../../source/context/markdown-imports.ts';
import { folders } from './tree.ts';

const temp = folders();
afterEach(() => temp.cleanUp());

const importsOf = (text: string) => scanImports(text).flatMap((line) => line.imports);

describe('finding @path imports in Markdown', () => {
	it('takes @path at the start of a line, after a space or an opening bracket, without the end of a sentence', () => {
		expect(importsOf('@a.md\nSee @docs/b.md. Also (@c.md) and [@d.md], then @e.md!\n- @f/g.md: notes')).toEqual(['a.md', 'docs/b.md', 'c.md', 'd.md', 'e.md', 'f/g.md']);
	});

	it('ignores e-mail addresses, URLs and a bare @', () => {
		expect(importsOf('mail me@example.com or visit https://x.dev/@user, or @ alone, or a@b')).toEqual([]);
		expect(importsOf('@https://example.com/file.md')).toEqual(['https']);
	});

	it('ignores imports inside code spans', () => {
		expect(importsOf('run `npm i @types/node` and ``see @x.md`` but @real.md')).toEqual(['real.md']);
		expect(importsOf('an unclosed ` backtick then @after.md')).toEqual(['after.md']);
	});

	it('ignores imports inside fenced code blocks of backticks or tildes, until a fence of the same kind at least as long', () => {
		const text = ['@before.md', '```ts', '@in-fence.md', '~~~', '@still-in.md', '```', '@between.md', '~~~~', '@in-tilde.md', '~~~', '@still-tilde.md', '~~~~', '@after.md', '````', '@unclosed.md'].join('\n');
		expect(importsOf(text)).toEqual(['before.md', 'between.md', 'after.md']);
	});

	it('keeps every line with its line ending', () => {
		const text = 'one\r\ntwo @x.md\n\nlast';
		expect(scanImports(text).map((line) => line.text).join('')).toBe(text);
	});
});

describe('expanding imports', () => {
	it('resolves imports relative to the importing file and puts each after the line that names it', () => {
		const root = temp.make({
			'AGENT.md': 'Root.\nStyle: @docs/style.md\nEnd of root.\n',
			'docs/style.md': 'Tabs.\nSee @naming.md\n',
			'docs/naming.md': 'kebab-case',
			'naming.md': 'WRONG FILE',
		});
		const context = createProjectContext({ root, cwd: root });
		expect(context.sections()[0]!.body).toBe(
			[
				'Root.',
				'Style: @docs/style.md',
				'--- docs/style.md (imported by AGENT.md) ---',
				'Tabs.',
				'See @naming.md',
				'--- docs/naming.md (imported by docs/style.md) ---',
				'kebab-case',
				'--- end of docs/naming.md ---',
				'--- end of docs/style.md ---',
				'End of root.',
				'',
			].join('\n'),
		);
		expect(context.files().map((file) => [file.path, file.reason])).toEqual([
			['AGENT.md', 'root→cwd'],
			['docs/style.md', 'imported by AGENT.md'],
			['docs/naming.md', 'imported by docs/style.md'],
		]);
		expect(context.warnings()).toEqual([]);
	});

	it('imports at most 5 deep', () => {
		const files: Record<string, string> = { 'AGENT.md': 'level 0 @d1.md' };
		for (let level = 1; level <= 7; level++) files[`d${level}.md`] = `level ${level} @d${level + 1}.md`;
		const root = temp.make(files);
		const context = createProjectContext({ root, cwd: root });
		const body = context.sections()[0]!.body;
		for (let level = 0; level <= 5; level++) expect(body).toContain(`level ${level} `);
		expect(body).not.toContain('level 6');
		expect(body).toContain('[Orbit: @d6.md not imported: imports nest at most 5 deep.]');
		expect(context.files().map((file) => file.path)).toEqual(['AGENT.md', 'd1.md', 'd2.md', 'd3.md', 'd4.md', 'd5.md']);
		expect(context.warnings()).toEqual([{ kind: 'depth', file: 'd5.md', message: 'd5.md: @d6.md not imported: imports nest at most 5 deep.' }]);
	});

	it('reports a cycle and a self-import, and expands each file only once', () => {
		const root = temp.make({ 'AGENT.md': 'root @a.md', 'a.md': 'A @b.md', 'b.md': 'B @a.md @b.md' });
		const context = createProjectContext({ root, cwd: root });
		const body = context.sections()[0]!.body;
		expect(body.match(/^A /gm)).toHaveLength(1);
		expect(body).toContain('[Orbit: @a.md not imported: import cycle.]');
		expect(body).toContain('[Orbit: @b.md not imported: import cycle.]');
		expect(context.warnings()).toEqual([
			{ kind: 'cycle', file: 'b.md', message: 'b.md: import cycle a.md → b.md → a.md; @a.md not imported again.' },
			{ kind: 'cycle', file: 'b.md', message: 'b.md: import cycle b.md → b.md; @b.md not imported again.' },
		]);
	});

	it('a root file importing itself is a cycle too', () => {
		const root = temp.make({ 'AGENT.md': 'root @./AGENT.md' });
		const context = createProjectContext({ root, cwd: root });
		expect(context.warnings().map((warning) => warning.message)).toEqual(['AGENT.md: import cycle AGENT.md → AGENT.md; @./AGENT.md not imported again.']);
	});

	it('refuses imports that leave the repository: by .., by an absolute path, by ~ and through a symbolic link', () => {
		const outside = temp.make({ 'secret.md': 'OUTSIDE TEXT' });
		const root = temp.make({
			'sub/AGENT.md': [`@../../${outside.split('/').at(-1)}/secret.md`, `@${join(outside, 'secret.md')}`, '@~/notes.md', '@link.md'].join('\n'),
			'sub/link.md': { link: join(outside, 'secret.md') },
		});
		const context = createProjectContext({ root, cwd: join(root, 'sub') });
		const body = context.sections()[0]!.body;
		expect(body).not.toContain('OUTSIDE TEXT');
		expect(body.match(/not imported: outside the repository/g)).toHaveLength(4);
		expect(context.warnings().map((warning) => warning.kind)).toEqual(['escape', 'escape', 'escape', 'escape']);
		expect(context.warnings()[3]!.message).toMatch(/^sub\/AGENT\.md: @link\.md refused: .*through a symbolic link/);
		expect(context.files().map((file) => file.path)).toEqual(['sub/AGENT.md']);
	});

	it('refuses secret files such as .env', () => {
		const root = temp.make({ 'AGENT.md': 'env: @.env', '.env': 'API_KEY=sk-do-not-send' });
		const context = createProjectContext({ root, cwd: root });
		expect(context.sections()[0]!.body).not.toContain('sk-do-not-send');
		expect(context.warnings()).toEqual([{ kind: 'secret', file: 'AGENT.md', message: 'AGENT.md: @.env refused: .env looks like a secret file.' }]);
	});

	it('leaves missing imports as text, and reports those that look like paths', () => {
		const root = temp.make({ 'AGENT.md': 'Ask @alice. Types come from @types/node.\n' });
		const context = createProjectContext({ root, cwd: root });
		expect(context.sections()[0]!.body).toBe('Ask @alice. Types come from @types/node.\n');
		expect(context.warnings()).toEqual([{ kind: 'missing', file: 'AGENT.md', message: 'AGENT.md: @types/node is not found (types/node); left as text.' }]);
	});

	it('ignores imports in code: fences and spans stay as written and nothing is read', () => {
		const root = temp.make({ 'AGENT.md': 'Install with `npm i @x.md`.\n```sh\ncat @x.md\n```\n', 'x.md': 'IMPORTED' });
		const context = createProjectContext({ root, cwd: root });
		expect(context.sections()[0]!.body).toBe('Install with `npm i @x.md`.\n```sh\ncat @x.md\n```\n');
		expect(context.files()).toHaveLength(1);
	});

	it('includes a file imported by two files once', () => {
		const root = temp.make({ 'AGENT.md': '@shared.md', 'app/AGENT.md': '@../shared.md', 'shared.md': 'SHARED' });
		const context = createProjectContext({ root, cwd: join(root, 'app') });
		expect(context.sections().map((section) => section.body)).toEqual([
			'@shared.md\n--- shared.md (imported by AGENT.md) ---\nSHARED\n--- end of shared.md ---\n',
			'@../shared.md\n[Orbit: shared.md is already loaded.]\n',
		]);
	});

	it('confines the global file’s imports to its folder, following a link to where it really is', () => {
		const config = temp.make({ 'AGENT.md': '@extra.md\n@../x/elsewhere.md', 'extra.md': 'EXTRA' });
		const root = temp.make({});
		const context = createProjectContext({ root, cwd: root, globalDir: config });
		expect(context.sections()[0]!.body).toContain('EXTRA');
		expect(context.sections()[0]!.body).toContain("[Orbit: @../x/elsewhere.md not imported: outside the global AGENT.md's folder.]");
		expect(context.files().map((file) => [file.path, file.reason])).toEqual([
			[join(config, 'AGENT.md'), 'global'],
			[join(config, 'extra.md'), `imported by ${join(config, 'AGENT.md')}`],
		]);
		const dotfiles = temp.make({ 'orbit/AGENT.md': 'DOTFILES @rules.md', 'orbit/rules.md': 'DOTFILE RULES' });
		const linked = temp.make({ 'AGENT.md': { link: join(dotfiles, 'orbit/AGENT.md') } });
		const viaLink = createProjectContext({ root, cwd: root, globalDir: linked });
		expect(viaLink.sections()[0]!.title).toBe(`User instructions (${join(dotfiles, 'orbit/AGENT.md')})`);
		expect(viaLink.sections()[0]!.body).toContain('DOTFILE RULES');
		expect(viaLink.warnings()).toEqual([]);
	});

	it('counts imports against the size cap and cuts where it runs out', () => {
		const root = temp.make({ 'AGENT.md': 'head\n@big.md\ntail\n', 'big.md': 'b'.repeat(500) });
		const context = createProjectContext({ root, cwd: root, maxBytes: 200 });
		const body = context.sections()[0]!.body;
		expect(body).toMatch(/^head\n@big\.md\n--- big\.md \(imported by AGENT\.md\) ---\nb{127}\n\[Orbit: The rest of big\.md \(373 bytes\) is left out/);
		expect(body).not.toContain('tail');
		expect(body).toContain('[Orbit: The rest of AGENT.md (5 bytes) is left out');
		expect(context.warnings().map((warning) => warning.file)).toEqual(['big.md', 'AGENT.md']);
	});

	it('expands the imports of a file loaded on touch, relative to that file', () => {
		const root = temp.make({ 'lib/AGENT.md': 'lib @rules.md', 'lib/rules.md': 'LIB RULES', 'rules.md': 'ROOT RULES', 'lib/x.ts': '' });
		const context = createProjectContext({ root, cwd: root });
		const [file] = context.loadFor('lib/x.ts', 'read_file');
		expect(file?.text).toBe('lib @rules.md\n--- lib/rules.md (imported by lib/AGENT.md) ---\nLIB RULES\n--- end of lib/rules.md ---\n');
		expect(context.files().map((record) => record.reason)).toEqual(['touched lib/x.ts (read_file)', 'imported by lib/AGENT.md']);
	});
});
