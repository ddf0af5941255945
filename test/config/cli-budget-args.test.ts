import { describe, expect, it } from 'vitest';
import { HELP, parseCli, UsageError } from '../../source/cli-args.ts';
import { resolveLimits } from '../../source/config-limits.ts';

describe('--max-cost and --profile on the command line', () => {
	it('parses --max-cost as US dollars and --profile as a name; absent budgets stay undefined for the config to decide', () => {
		const options = parseCli(['-p', 'task', '--max-cost', '0.25', '--profile', 'work']);
		expect(options.maxCost).toBe(0.25);
		expect(options.profile).toBe('work');
		expect(parseCli(['--max-cost', '$2']).maxCost).toBe(2);
		const bare = parseCli([]);
		expect(bare.maxTurns).toBeUndefined();
		expect(bare.maxCost).toBeUndefined();
		expect(bare.profile).toBeUndefined();
		expect(resolveLimits(bare, { limits: { maxCost: 3, maxTurns: 7 } })).toEqual({ maxTurns: 7, maxCost: 3 });
		expect(resolveLimits(parseCli(['--max-cost', '1', '--max-turns', '9', '--max-time', '2m']), { limits: { maxCost: 3, maxTurns: 7, maxTimeMs: 1 } })).toEqual({ maxTurns: 9, maxCost: 1, maxTimeMs: 120_000 });
	});

	it.each([['0'], ['-1'], ['abc'], [''], ['Infinity']])('rejects --max-cost %j with a usage error', (value) => {
		expect(() => parseCli([`--max-cost=${value}`])).toThrow(UsageError);
		expect(() => parseCli([`--max-cost=${value}`])).toThrow('--max-cost must be a positive amount of US dollars');
	});

	it('rejects an empty --profile', () => {
		expect(() => parseCli(['--profile', ' '])).toThrow('--profile needs a profile name');
	});

	it('documents both flags and the config\'s limits and profiles', () => {
		expect(HELP).toContain('--max-cost <usd>');
		expect(HELP).toContain('--profile <name>');
		expect(HELP).toContain('limits {maxTurns, maxTokens, maxCost, maxTime}');
		expect(HELP).toContain('fallbackModels');
	});
});
