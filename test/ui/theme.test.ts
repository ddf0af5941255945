import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKENS } from '../../source/ui/render/styled-line.ts';
import { listThemes, loadTheme, styleFor, themesDirectory } from '../../source/ui/theme.ts';

const SHIPPED = ['dark', 'high-contrast', 'light'];
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(themesDirectory(), file), 'utf8'));

describe('shipped themes', () => {
	it('lists the shipped themes, not the schema', () => {
		expect(listThemes()).toEqual(SHIPPED);
	});

	it.each(SHIPPED)('%s defines every token and loads', (name) => {
		const theme = loadTheme(name);
		expect(theme.name).toBe(name);
		expect(Object.keys(theme.tokens).sort()).toEqual([...TOKENS].sort());
	});

	it.each(SHIPPED)('%s validates against themes/theme.schema.json', (name) => {
		const validate = new Ajv2020({ allErrors: true }).compile(readJson('theme.schema.json') as object);
		const valid = validate(readJson(`${name}.json`));
		expect(validate.errors ?? []).toEqual([]);
		expect(valid).toBe(true);
	});

	it('the schema requires exactly the tokens of styled-line.ts', () => {
		const schema = readJson('theme.schema.json') as { properties: { tokens: { required: string[]; properties: object } } };
		expect(schema.properties.tokens.required).toEqual([...TOKENS]);
		expect(Object.keys(schema.properties.tokens.properties)).toEqual([...TOKENS]);
	});

	it('the schema rejects a theme missing a token or with a bad colour', () => {
		const validate = new Ajv2020().compile(readJson('theme.schema.json') as object);
		const dark = readJson('dark.json') as { tokens: Record<string, object> };
		const { code: _dropped, ...missing } = dark.tokens;
		expect(validate({ ...dark, tokens: missing })).toBe(false);
		expect(validate({ ...dark, tokens: { ...dark.tokens, code: { fg: 'purple' } } })).toBe(false);
	});

	it('high-contrast uses only bright basic colours and never dims', () => {
		const theme = loadTheme('high-contrast');
		for (const token of TOKENS) {
			const style = theme.tokens[token];
			for (const colour of [style.fg, style.bg]) if (colour !== undefined) expect(colour).toMatch(/^[a-z]+Bright$/);
			expect(style.dim).not.toBe(true);
		}
	});

	it('emphasis-like tokens differ from plain text in every theme', () => {
		for (const name of SHIPPED) {
			const theme = loadTheme(name);
			for (const token of ['heading', 'codeKeyword', 'diffAdd', 'diffRemove', 'error'] as const) {
				expect(theme.tokens[token], `${name}.${token}`).not.toEqual(theme.tokens.text);
			}
		}
	});
});

describe('loadTheme errors', () => {
	let directory: string;
	const dark = (): { name: string; tokens: Record<string, unknown> } => JSON.parse(readFileSync(join(themesDirectory(), 'dark.json'), 'utf8'));
	const write = (name: string, content: unknown): void => {
		writeFileSync(join(directory, `${name}.json`), typeof content === 'string' ? content : JSON.stringify(content));
	};

	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'orbit-themes-'));
	});
	afterEach(() => {
		rmSync(directory, { recursive: true, force: true });
	});

	it('names an unknown theme and the available ones', () => {
		expect(() => loadTheme('solarized')).toThrow('Unknown theme "solarized" (available: dark, high-contrast, light)');
	});

	it('refuses names that would leave the themes folder', () => {
		expect(() => loadTheme('../package')).toThrow(/Unknown theme "\.\.\/package"/);
		expect(() => loadTheme('theme.schema')).toThrow(/Unknown theme/);
	});

	it('names the file when it is not JSON', () => {
		write('broken', '{ "name": ');
		expect(() => loadTheme('broken', directory)).toThrow(`Theme file ${join(directory, 'broken.json')} is not valid JSON`);
	});

	it('names the missing token', () => {
		const theme = dark();
		delete theme.tokens.codeKeyword;
		write('partial', theme);
		expect(() => loadTheme('partial', directory)).toThrow(`Theme file ${join(directory, 'partial.json')}: token "codeKeyword" is missing`);
	});

	it('names the token with a colour Ink does not know', () => {
		const theme = dark();
		theme.tokens.link = { fg: 'purple' };
		write('purple', theme);
		expect(() => loadTheme('purple', directory)).toThrow(/purple\.json: token "link": fg "purple" is not a colour/);
	});

	it('names an unknown token and an unknown property', () => {
		const typo = dark();
		typo.tokens.hedaing = { fg: 'red' };
		write('typo', typo);
		expect(() => loadTheme('typo', directory)).toThrow(/typo\.json: unknown token "hedaing"/);
		const property = dark();
		property.tokens.heading = { color: 'red' };
		write('property', property);
		expect(() => loadTheme('property', directory)).toThrow(/property\.json: token "heading" has unknown property "color"/);
	});

	it('accepts hex, rgb() and ansi256() colours', () => {
		const theme = dark();
		theme.name = 'custom';
		theme.tokens.text = { fg: '#abc', bg: 'rgb(1, 2, 3)' };
		theme.tokens.muted = { fg: 'ansi256(244)', dim: true };
		write('custom', theme);
		expect(loadTheme('custom', directory).tokens.muted).toEqual({ fg: 'ansi256(244)', dim: true });
		expect(listThemes(directory)).toEqual(['custom']);
	});
});

describe('styleFor', () => {
	const saved = process.env.NO_COLOR;
	afterEach(() => {
		if (saved === undefined) delete process.env.NO_COLOR;
		else process.env.NO_COLOR = saved;
	});

	it('maps a token to Ink <Text> props', () => {
		delete process.env.NO_COLOR;
		const theme = loadTheme('dark');
		expect(styleFor(theme, 'error')).toEqual({ color: 'red', bold: true });
		expect(styleFor(theme, 'monologue')).toEqual({ color: 'gray', dimColor: true });
		expect(styleFor(theme, 'selection')).toEqual({ color: 'whiteBright', backgroundColor: 'blue' });
		expect(styleFor(theme, 'text')).toEqual({});
		expect(styleFor(theme, 'error')).toBe(styleFor(theme, 'error'));
	});

	it('drops every colour when NO_COLOR is set, keeping bold and dim', () => {
		process.env.NO_COLOR = '1';
		for (const name of SHIPPED) {
			const theme = loadTheme(name);
			for (const token of TOKENS) {
				const style = styleFor(theme, token);
				expect(style.color).toBeUndefined();
				expect(style.backgroundColor).toBeUndefined();
			}
		}
		expect(styleFor(loadTheme('dark'), 'error')).toEqual({ bold: true });
	});

	it('ignores an empty NO_COLOR, as no-color.org says', () => {
		process.env.NO_COLOR = '';
		expect(styleFor(loadTheme('dark'), 'error')).toEqual({ color: 'red', bold: true });
	});
});
