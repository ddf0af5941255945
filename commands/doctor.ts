import { execFile } from 'node:child_process';
import { resolveEndpoint, urlWithoutCredentials } from '../source/config.ts';
import { detectSandbox, type SandboxDetection } from '../source/sandbox/detect-sandbox.ts';

/** What a subcommand may use: where to print, and the environment it reads. */
export interface SubcommandIo {
	stdout: { write(text: string): unknown };
	stderr: { write(text: string): unknown };
	env: NodeJS.ProcessEnv;
}

/** A subcommand (`orbit <name> …`): data plus one function that returns the exit code. Never throws. */
export interface Subcommand {
	name: string;
	summary: string;
	run(argv: string[], io: SubcommandIo): Promise<number>;
}

export interface DoctorChecks {
	nodeVersion: () => string;
	/** `git version 2.39.5` → `2.39.5`; undefined when git does not run. */
	gitVersion: () => Promise<string | undefined>;
	sandbox: () => Promise<SandboxDetection>;
}

const MIN_NODE_MAJOR = 20;

const defaultChecks: DoctorChecks = {
	nodeVersion: () => process.version,
	gitVersion: () =>
		new Promise((resolve) => {
			execFile('git', ['--version'], { timeout: 5_000 }, (error, stdout) => resolve(error ? undefined : (/(\d+\.\d+[\w.]*)/.exec(stdout)?.[1] ?? stdout.trim())));
		}),
	sandbox: () => detectSandbox(),
};

/**
 * `orbit doctor`: node and git versions, the sandbox (with why not and how to fix), and whether a
 * model endpoint is configured — never a key's value. Exit 0 when all four are fine, 1 otherwise,
 * 2 for unknown arguments.
 */
export function createDoctorCommand(checks: Partial<DoctorChecks> = {}): Subcommand {
	const { nodeVersion, gitVersion, sandbox } = { ...defaultChecks, ...checks };
	return {
		name: 'doctor',
		summary: 'Check node, git, the shell sandbox and the model endpoint',
		async run(argv, io) {
			if (argv.length > 0) {
				io.stderr.write(`orbit doctor: unknown argument "${argv[0]}" (orbit doctor takes none)\n`);
				return 2;
			}
			const [git, detection] = await Promise.all([gitVersion(), sandbox()]);
			const lines: string[] = [];
			let healthy = true;
			const report = (ok: boolean, label: string, text: string, more: string[] = []) => {
				healthy &&= ok;
				lines.push(`${ok ? 'ok ' : 'no '} ${label.padEnd(8)} ${text}`, ...more.map((line) => `             ${line}`));
			};
			const node = nodeVersion();
			const nodeMajor = Number(/^v?(\d+)/.exec(node)?.[1] ?? 0);
			report(nodeMajor >= MIN_NODE_MAJOR, 'node', nodeMajor >= MIN_NODE_MAJOR ? node : `${node}: Orbit needs Node.js ${MIN_NODE_MAJOR} or newer`);
			report(git !== undefined, 'git', git ?? 'not found: install git (Orbit works in git repositories)');
			if (detection.available) {
				const limit = { rlimit: 'process limit per command', cgroup: 'process limit per command (cgroup)', none: 'no process limit' }[detection.processLimit];
				const name = detection.version === undefined ? 'bubblewrap' : `bubblewrap ${detection.version}`;
				const warnings = detection.warnings.map((warning) => `warning: ${warning}`);
				report(true, 'sandbox', `${name} (${detection.bwrapPath ?? 'bwrap'}): shell commands run confined; ${limit}`, warnings);
			} else {
				report(false, 'sandbox', `none: ${detection.reason ?? 'unknown reason'}`, detection.fix ? [`fix: ${detection.fix}`] : []);
			}
			const endpoint = resolveEndpoint({}, io.env);
			const where = `${withoutCredentials(endpoint.baseURL)}, model ${endpoint.model}`;
			if (endpoint.configured) {
				report(true, 'model', `${where}; ${endpoint.apiKey !== undefined ? 'OPENAI_API_KEY is set' : 'no API key (fine for a local server)'}`);
			} else {
				report(false, 'model', 'no endpoint: set OPENAI_API_KEY (and OPENAI_BASE_URL for another provider), or OPENAI_BASE_URL=http://localhost:11434/v1 for Ollama');
			}
			io.stdout.write(`${lines.join('\n')}\n`);
			return healthy ? 0 : 1;
		},
	};
}

/** `orbit doctor`, with the real checks. */
export const doctorCommand: Subcommand = createDoctorCommand();

function withoutCredentials(url: string): string {
	return urlWithoutCredentials(url) ?? '(not a valid URL)';
}
