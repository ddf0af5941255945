import { describe, expect, it } from 'vitest';
import { createDoctorCommand, type DoctorChecks } from '../../commands/doctor.ts';
import type { SandboxDetection } from '../../source/sandbox/detect-sandbox.ts';

const working: SandboxDetection = { kind: 'bubblewrap', available: true, bwrapPath: '/usr/bin/bwrap', version: '0.8.0', processLimit: 'rlimit', warnings: [] };
const missing: SandboxDetection = {
	kind: 'none',
	available: false,
	reason: 'bubblewrap (bwrap) is not installed',
	fix: 'Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap)',
	processLimit: 'none',
	warnings: [],
};

async function doctor(checks: Partial<DoctorChecks>, env: NodeJS.ProcessEnv, argv: string[] = []) {
	let stdout = '';
	let stderr = '';
	const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env };
	const code = await createDoctorCommand({ nodeVersion: () => 'v20.20.2', gitVersion: async () => '2.39.5', sandbox: async () => working, ...checks }).run(argv, io);
	return { code, stdout, stderr };
}

describe('orbit doctor', () => {
	it('prints node, git, the sandbox and the endpoint, and exits 0 when all are fine — never the key', async () => {
		const { code, stdout } = await doctor({}, { OPENAI_API_KEY: 'sk-doctor-must-not-print-000000', OPENAI_BASE_URL: 'https://user:pass@gateway.example/v1?api-key=secret', ORBIT_MODEL: 'm1' });
		expect(code).toBe(0);
		expect(stdout).toBe(
			[
				'ok  node     v20.20.2',
				'ok  git      2.39.5',
				'ok  sandbox  bubblewrap 0.8.0 (/usr/bin/bwrap): shell commands run confined; process limit per command',
				'ok  model    https://gateway.example/v1, model m1; OPENAI_API_KEY is set',
				'',
			].join('\n'),
		);
		expect(stdout).not.toMatch(/sk-doctor|pass|secret/);
	});

	it('explains a missing sandbox with the fix, and exits 1', async () => {
		const { code, stdout } = await doctor({ sandbox: async () => missing }, { OPENAI_API_KEY: 'sk-x' });
		expect(code).toBe(1);
		expect(stdout).toContain('no  sandbox  none: bubblewrap (bwrap) is not installed\n             fix: Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap)');
	});

	it('shows the sandbox`s warnings', async () => {
		const { code, stdout } = await doctor({ sandbox: async () => ({ ...working, processLimit: 'none', warnings: ['no process limit as root.'] }) }, { OPENAI_API_KEY: 'sk-x' });
		expect(code).toBe(0);
		expect(stdout).toContain('no process limit\n             warning: no process limit as root.');
	});

	it('exits 1 for an old node, a missing git or no endpoint', async () => {
		expect((await doctor({ nodeVersion: () => 'v18.19.0' }, { OPENAI_API_KEY: 'sk-x' })).stdout).toContain('no  node     v18.19.0: Orbit needs Node.js 20 or newer');
		const noGit = await doctor({ gitVersion: async () => undefined }, { OPENAI_API_KEY: 'sk-x' });
		expect(noGit.code).toBe(1);
		expect(noGit.stdout).toContain('no  git      not found');
		const noModel = await doctor({}, {});
		expect(noModel.code).toBe(1);
		expect(noModel.stdout).toMatch(/no {2}model {4}no endpoint: set OPENAI_API_KEY/);
	});

	it('refuses arguments with exit code 2', async () => {
		const { code, stderr } = await doctor({}, {}, ['--fix']);
		expect(code).toBe(2);
		expect(stderr).toContain('unknown argument "--fix"');
	});
});
