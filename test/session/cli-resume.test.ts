import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../source/cli-args.ts';

describe('--resume and --continue', () => {
	it('parse an id, a missing id, and the latest session', () => {
		expect(parseCli(['--resume', '20261122-0801']).resume).toEqual({ id: '20261122-0801', latest: false });
		expect(parseCli(['--resume']).resume).toEqual({ latest: false });
		expect(parseCli(['--resume', '--output', 'jsonl'])).toMatchObject({ resume: { latest: false }, output: 'jsonl' });
		expect(parseCli(['--continue', '-p', 'more work'])).toMatchObject({ resume: { latest: true }, prompt: 'more work' });
		expect(parseCli(['-p', 'task']).resume).toBeUndefined();
	});

	it('refuse both at once', () => {
		expect(() => parseCli(['--continue', '--resume', 'x'])).toThrow(new UsageError('--resume and --continue cannot be used together'));
	});
});
