import { describe, expect, it } from 'vitest';
import { COMMANDS, parseSlash } from '../../commands/index.ts';

// PRODUCT §8's list, plus /remind (issue 4: timers) after /context.
const PRODUCT_COMMANDS = '/help /plan /memory /context /remind /undo /sessions /login /model /theme /export /clear /quit'.split(' ');

describe('slash-command registry', () => {
	it('holds exactly the commands of PRODUCT §8, in that order, each with a summary', () => {
		expect(COMMANDS.map((command) => `/${command.name}`)).toEqual(PRODUCT_COMMANDS);
		for (const command of COMMANDS) {
			expect(command.name).toMatch(/^[a-z][a-z-]*$/);
			expect(command.summary.length).toBeGreaterThan(5);
		}
	});

	it('parses a known command, with and without arguments', () => {
		const theme = COMMANDS.find((command) => command.name === 'theme');
		expect(parseSlash('/theme')).toEqual({ command: theme, args: '' });
		expect(parseSlash('/theme   light  ')).toEqual({ command: theme, args: 'light' });
		expect(parseSlash('/THEME Light')).toEqual({ command: theme, args: 'Light' });
		expect(parseSlash('/help\n')).toMatchObject({ command: { name: 'help' }, args: '' });
	});

	it('is not a command unless the line starts with "/" and the first word is no path', () => {
		expect(parseSlash('help')).toBeUndefined();
		expect(parseSlash(' /help')).toBeUndefined();
		expect(parseSlash('')).toBeUndefined();
		expect(parseSlash('/etc/hosts looks wrong')).toBeUndefined();
	});

	it('answers an unknown command with the closest name and a pointer to /help', () => {
		expect(parseSlash('/thme dark')).toEqual({ error: 'Unknown command /thme. Did you mean /theme? /help lists every command.' });
		expect(parseSlash('/sess')).toEqual({ error: 'Unknown command /sess. Did you mean /sessions? /help lists every command.' });
		expect(parseSlash('/qiut')).toMatchObject({ error: expect.stringContaining('Did you mean /quit?') });
		expect(parseSlash('/xyzzy')).toEqual({ error: 'Unknown command /xyzzy. /help lists every command.' });
		expect(parseSlash('/')).toEqual({ error: expect.stringContaining('/help') });
	});
});
