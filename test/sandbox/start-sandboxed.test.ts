import { describe, expect, it } from 'vitest';
import { type SandboxSpawn, startSandboxed } from '../../source/sandbox/sandbox.ts';

/** A spawn (`sh` entering a cgroup, then bwrap) with a direct way whose step is `enter`. */
function withDirect(enter: () => () => void): SandboxSpawn {
	return { file: '/bin/sh', args: ['-c', 'enter'], direct: { file: 'bwrap', args: ['--x'], enter } };
}

describe('startSandboxed', () => {
	it('starts file and args when there is no direct way', () => {
		expect(startSandboxed({ file: 'bash', args: ['-c', 'true'] }, (file, args) => [file, ...args])).toEqual(['bash', '-c', 'true']);
	});

	it('enters right before the direct start and leaves right after it', () => {
		const log: string[] = [];
		const spawned = withDirect(() => {
			log.push('enter');
			return () => log.push('leave');
		});
		const started = startSandboxed(spawned, (file, args) => {
			log.push(`start ${file} ${args.join(' ')}`);
			return 'child';
		});
		expect(started).toBe('child');
		expect(log).toEqual(['enter', 'start bwrap --x', 'leave']);
	});

	it('leaves even when the start throws, and passes the error on', () => {
		const log: string[] = [];
		const spawned = withDirect(() => () => log.push('leave'));
		expect(() =>
			startSandboxed(spawned, () => {
				throw new Error('spawn failed');
			}),
		).toThrow('spawn failed');
		expect(log).toEqual(['leave']);
	});

	it('falls back to file and args, which confine on their own, when the direct way cannot be entered', () => {
		const spawned = withDirect(() => {
			throw new Error('ENOENT: no such cgroup');
		});
		expect(startSandboxed(spawned, (file, args) => [file, ...args])).toEqual(['/bin/sh', '-c', 'enter']);
	});
});
