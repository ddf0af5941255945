import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ansiLine } from '../../source/ui/ansi-line.ts';
import { TOKENS, type StyledLine } from '../../source/ui/render/styled-line.ts';
import { listThemes, loadTheme } from '../../source/ui/theme.ts';
import { Row, ThemeContext } from '../../source/ui/theme-context.tsx';

const strip = (text: string) => text.replace(/\u001B\[[\d;]*m/g, '');

describe('ansiLine', () => {
	let level: typeof chalk.level;
	beforeEach(() => {
		level = chalk.level;
		chalk.level = 3;
	});
	afterEach(() => {
		chalk.level = level;
		delete process.env.NO_COLOR;
	});

	it('styles every token of every theme as Ink styles the same segment', () => {
		for (const name of listThemes()) {
			const theme = loadTheme(name);
			for (const token of TOKENS) {
				for (const line of [[{ text: 'word', token }], [{ text: 'bold', token, bold: true }, { text: ' it', token: 'text', italic: true }]] as StyledLine[]) {
					const { lastFrame, unmount } = render(
						<ThemeContext.Provider value={theme}>
							<Row line={line} />
						</ThemeContext.Provider>,
					);
					const ink = lastFrame()!;
					unmount();
					// Same visible text, and the same style codes (Ink may order or merge them differently).
					const mine = ansiLine(line, theme, 80);
					expect(strip(mine)).toBe(strip(ink));
					expect(new Set(mine.match(/\u001B\[[\d;]*m/g))).toEqual(new Set(ink.match(/\u001B\[[\d;]*m/g)));
				}
			}
		}
	});

	it('cuts the row at the width, counting wide characters as two columns', () => {
		const theme = loadTheme('dark');
		expect(strip(ansiLine([{ text: 'abcdef', token: 'text' }, { text: 'ghij', token: 'accent' }], theme, 8))).toBe('abcdefgh');
		expect(strip(ansiLine([{ text: '日本語テキスト', token: 'text' }], theme, 5))).toBe('日本');
	});

	it('drops colours under NO_COLOR but keeps bold', () => {
		const theme = loadTheme('dark');
		process.env.NO_COLOR = '1';
		const text = ansiLine([{ text: 'plain', token: 'accent', bold: true }], theme, 80);
		expect(text).toBe(chalk.bold('plain'));
	});
});
