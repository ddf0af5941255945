import { describe, expect, it } from 'vitest';
import { appendEntry, normaliseEntry, planRemoval, removeEntries } from '../../source/context/memory-edit.ts';
import { parseMemory } from '../../source/context/memory-parse.ts';

const brief = (text: string) => parseMemory(text).map(({ text, heading, parents, kind, start, end }) => ({ text, heading, parents, kind, start, end }));

describe('parseMemory', () => {
	it('makes every list item and paragraph an entry labelled with its headings; the title labels nothing', () => {
		const text = ['# Memory', '', 'Facts kept by hand.', '', '## Build', '- use pnpm', '* node 20', '1. lint first', '', '### CI', 'Runs on every push', 'to main.', '# Other', '- last'].join('\n');
		expect(brief(text)).toEqual([
			{ text: 'Facts kept by hand.', heading: undefined, parents: [], kind: 'paragraph', start: 2, end: 3 },
			{ text: 'use pnpm', heading: 'Build', parents: [], kind: 'item', start: 5, end: 6 },
			{ text: 'node 20', heading: 'Build', parents: [], kind: 'item', start: 6, end: 7 },
			{ text: 'lint first', heading: 'Build', parents: [], kind: 'item', start: 7, end: 8 },
			{ text: 'Runs on every push\nto main.', heading: 'Build › CI', parents: [], kind: 'paragraph', start: 10, end: 12 },
			{ text: 'last', heading: 'Other', parents: [], kind: 'item', start: 13, end: 14 },
		]);
	});

	it('nests items under their parents and keeps continuation lines, lazy or indented after a blank line', () => {
		const text = ['- tools', '  - vitest for tests', '    with real repos', '  - tsx to run', 'lazily continued', '', '  more about tools', '- next'].join('\n');
		const entries = parseMemory(text);
		expect(entries.map((entry) => [entry.text, entry.parents, entry.hasChildren])).toEqual([
			['tools\n\nmore about tools', [], true],
			['vitest for tests\nwith real repos', ['tools'], false],
			['tsx to run\nlazily continued', ['tools'], false],
			['next', [], false],
		]);
		expect(entries[1]).toMatchObject({ start: 1, end: 3 });
	});

	it('ignores list markers in code fences, comments, front matter and thematic breaks; reads setext headings and CRLF', () => {
		const text = [
			'---',
			'title: notes',
			'---',
			'- run it like this:',
			'  ```sh',
			'  - not an item',
			'',
			'  ```',
			'<!-- hidden',
			'- not an entry -->',
			'***',
			'Deploy',
			'======',
			'- on Fridays',
		].join('\r\n');
		expect(brief(text)).toEqual([
			{ text: 'run it like this:\n```sh\n- not an item\n\n```', heading: undefined, parents: [], kind: 'item', start: 3, end: 8 },
			{ text: 'on Fridays', heading: 'Deploy', parents: [], kind: 'item', start: 13, end: 14 },
		]);
	});

	it('parses anything without throwing', () => {
		for (const text of ['', '\n\n', '#', '-', '```', '<!--', '- \u0000\u00ff', '    indented code', '> quote\n> - in a quote', '1)', '* * *']) {
			expect(() => parseMemory(text)).not.toThrow();
		}
		expect(brief('> quote')).toEqual([{ text: '> quote', heading: undefined, parents: [], kind: 'paragraph', start: 0, end: 1 }]);
	});
});

describe('memory edits', () => {
	it('normalises a new entry: trims, drops a list marker, squeezes blank lines; refuses empty and overlong text', () => {
		expect(normaliseEntry('  - use pnpm  \r\n\r\n\r\n  not npm ')).toEqual({ text: 'use pnpm\n\n  not npm' });
		expect(normaliseEntry('  \n ')).toEqual({ error: expect.stringMatching(/empty/) });
		expect(normaliseEntry('-  ')).toEqual({ error: expect.stringMatching(/empty/) });
		expect(normaliseEntry('x'.repeat(2001))).toEqual({ error: expect.stringMatching(/2001 characters.*at most 2000/) });
	});

	it('appends a bullet: a new file gets its title, a list is continued, a paragraph gets a blank line, CRLF is kept', () => {
		expect(appendEntry('', 'AGREEMENTS', 'run the tests')).toBe('# Agreements\n\n- run the tests\n');
		expect(appendEntry('# Memory\n\n- a\n', 'MEMORY', 'b')).toBe('# Memory\n\n- a\n- b\n');
		expect(appendEntry('# Memory\n\n- a', 'MEMORY', 'b')).toBe('# Memory\n\n- a\n- b\n');
		expect(appendEntry('# Memory\n\nSome prose.\n', 'MEMORY', 'b')).toBe('# Memory\n\nSome prose.\n\n- b\n');
		expect(appendEntry('# Memory\n\n- a\n\n', 'MEMORY', 'b')).toBe('# Memory\n\n- a\n\n- b\n');
		expect(appendEntry('# Memory\r\n\r\n- a\r\n', 'MEMORY', 'two\nlines')).toBe('# Memory\r\n\r\n- a\r\n- two\r\n  lines\r\n');
	});

	it('an appended multi-line entry parses back to the same text', () => {
		const entry = 'deploy steps:\n\nmake release\n# not a heading';
		const text = appendEntry('# Memory\n', 'MEMORY', entry);
		expect(parseMemory(text).map((parsed) => parsed.text)).toEqual([entry]);
	});

	it('removes exactly the matched lines and keeps everything else byte for byte', () => {
		const text = '# Memory\r\n\r\nIntro.\r\n\r\n## Build\r\n- use pnpm\r\n- node 20\r\n  (LTS)\r\n- lint\r\n';
		const plan = planRemoval(text, '.orbit/MEMORY.md', 'Node 20 (lts).');
		if ('error' in plan) throw new Error(plan.error);
		expect(removeEntries(text, plan.entries)).toBe('# Memory\r\n\r\nIntro.\r\n\r\n## Build\r\n- use pnpm\r\n- lint\r\n');
		const paragraph = planRemoval(text, '.orbit/MEMORY.md', 'intro');
		if ('error' in paragraph) throw new Error(paragraph.error);
		expect(removeEntries(text, paragraph.entries)).toBe('# Memory\r\n\r\n## Build\r\n- use pnpm\r\n- node 20\r\n  (LTS)\r\n- lint\r\n');
	});

	it('removes every identical entry, or the one entry containing the text; refuses none, several and parents', () => {
		const text = '- use pnpm\n- Use  PNPM\n- pnpm workspaces hold the packages\n- tools\n  - vitest\n';
		const exact = planRemoval(text, 'M', 'use pnpm');
		expect('entries' in exact && exact.entries.map((entry) => entry.start)).toEqual([0, 1]);
		const contained = planRemoval(text, 'M', 'workspaces');
		expect('entries' in contained && contained.entries.map((entry) => entry.text)).toEqual(['pnpm workspaces hold the packages']);
		expect(planRemoval(text, 'M', 'pnpm')).toEqual({ error: expect.stringMatching(/^"pnpm" is part of 3 entries in M; give the whole text.*\n- use pnpm\n- Use PNPM\n- pnpm workspaces/s) });
		expect(planRemoval(text, 'M', 'yarn')).toEqual({ error: expect.stringMatching(/^No entry in M matches "yarn"/) });
		expect(planRemoval(text, 'M', 'tools')).toEqual({ error: expect.stringMatching(/"tools" .* has entries nested under it/) });
		expect(planRemoval(text, 'M', ' ')).toEqual({ error: expect.stringMatching(/empty/) });
	});
});
