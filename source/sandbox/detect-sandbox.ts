import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BubblewrapOptions, type BubblewrapSandbox, createBubblewrapSandbox, DEFAULT_MAX_PROCESSES } from './bubblewrap.ts';
import type { SandboxStatus } from './sandbox.ts';
import { processAlive } from './process-alive.ts';

/** How the number of processes of one command is bounded (against fork bombs). */
export type ProcessLimit = 'rlimit' | 'cgroup' | 'none';

/** What `detectSandbox` found: the status for the status line and `orbit doctor`, and the sandbox when there is one. */
export interface SandboxDetection extends SandboxStatus {
	sandbox?: BubblewrapSandbox;
	/** The bwrap binary found, and its version (`0.8.0`). */
	bwrapPath?: string;
	version?: string;
	processLimit: ProcessLimit;
	/** Weaker points of a working sandbox, one sentence each, with the fix (old bubblewrap, no process limit as root). */
	warnings: string[];
}

export interface DetectOptions extends Pick<BubblewrapOptions, 'env' | 'hide' | 'maxProcesses'> {
	bwrapPath?: string;
	platform?: NodeJS.Platform;
	/** How long the trial run may take before bwrap counts as not working. */
	timeoutMs?: number;
}

const INSTALL_FIX =
	'Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap) and restart Orbit. Until then every shell command asks for approval.';
const UNTIL_THEN = 'Until then every shell command asks for approval.';

let cached: Promise<SandboxDetection> | undefined;

/**
 * Finds bubblewrap and proves it works by starting the real sandbox once with `true` (user
 * namespaces, AppArmor and seccomp only show when it runs). When it cannot, `reason` says why and
 * `fix` what to do. The result with default options is cached for the life of the process. Never rejects.
 */
export function detectSandbox(options?: DetectOptions): Promise<SandboxDetection> {
	if (options !== undefined) return detect(options);
	cached ??= detect({});
	return cached;
}

async function detect(options: DetectOptions): Promise<SandboxDetection> {
	const platform = options.platform ?? process.platform;
	if (platform !== 'linux') {
		return none(`no sandbox on ${platform}: Orbit confines shell commands with bubblewrap, which needs Linux`, `Run Orbit on Linux (or in a Linux VM) to sandbox commands. ${UNTIL_THEN}`);
	}
	const env = options.env ?? process.env;
	// ORBIT_BWRAP names a bubblewrap binary that is not on PATH.
	const bwrapPath = options.bwrapPath ?? (env.ORBIT_BWRAP?.trim() || undefined) ?? findOnPath('bwrap', env.PATH);
	if (bwrapPath === undefined) return none('bubblewrap (bwrap) is not installed', INSTALL_FIX);
	const versionRun = await run(bwrapPath, ['--version'], options.timeoutMs ?? 5_000);
	if (versionRun.error !== undefined) return none(`bwrap (${bwrapPath}) cannot run: ${versionRun.error}`, INSTALL_FIX, bwrapPath);
	const version = /(\d+\.\d+(?:\.\d+)?)/.exec(versionRun.stdout)?.[1];
	const warnings: string[] = [];
	const modern = version !== undefined && compareVersions(version, '0.8.0') >= 0;
	if (!modern) warnings.push(`bubblewrap ${version ?? '(unknown version)'} cannot forbid nested user namespaces inside the sandbox; upgrade to 0.8 or newer.`);
	const maxProcesses = options.maxProcesses ?? DEFAULT_MAX_PROCESSES;
	let processLimit: ProcessLimit = 'rlimit';
	let pidsCgroup: string | undefined;
	if (process.getuid?.() === 0) {
		// The kernel does not enforce RLIMIT_NPROC for root, even mapped to another uid in a user namespace.
		pidsCgroup = setUpPidsCgroup(maxProcesses);
		processLimit = pidsCgroup === undefined ? 'none' : 'cgroup';
		if (pidsCgroup === undefined) {
			warnings.push('Orbit runs as root and found no writable pids cgroup, so the number of processes a command may start is not limited (a fork bomb is stopped only by the command timeout); run Orbit as a normal user.');
		}
	}
	const sandbox = createBubblewrapSandbox({ bwrapPath, env, hide: options.hide, maxProcesses, disableNestedUserNamespaces: modern, pidsCgroup });
	const root = mkdtempSync(join(tmpdir(), 'orbit-sandbox-probe-'));
	try {
		const spawn = sandbox.wrap('true', { cwd: root, root, network: false });
		const trial = await run(spawn.file, spawn.args, options.timeoutMs ?? 5_000, env);
		if (trial.error === undefined) {
			return { kind: 'bubblewrap', available: true, sandbox, bwrapPath, version, processLimit, warnings };
		}
		return { ...diagnose(trial.error, trial.stderr), bwrapPath, version };
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

/** Why bwrap failed to start, from its message and the kernel's settings, with the fix. */
export function diagnose(error: string, stderr: string, readSetting: (name: string) => string | undefined = readProcSys): SandboxDetection {
	const message = (stderr.trim().split('\n').find((line) => line.trim() !== '') ?? error).trim();
	if (readSetting('kernel/apparmor_restrict_unprivileged_userns') === '1') {
		return none(
			`AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1), so bwrap cannot start: ${message}`,
			'Give bwrap an AppArmor profile that allows user namespaces (/etc/apparmor.d/bwrap: `abi <abi/4.0>, include <tunables/global> profile bwrap /usr/bin/bwrap flags=(unconfined) { userns, }`, then sudo apparmor_parser -r /etc/apparmor.d/bwrap), or lift the restriction: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0. ' + UNTIL_THEN,
		);
	}
	if (readSetting('kernel/unprivileged_userns_clone') === '0') {
		return none(
			`unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0), so bwrap cannot start: ${message}`,
			`Enable them: sudo sysctl -w kernel.unprivileged_userns_clone=1 (and add it to /etc/sysctl.d/ to keep it). ${UNTIL_THEN}`,
		);
	}
	if (readSetting('user/max_user_namespaces') === '0') {
		return none(
			`user namespaces are disabled (user.max_user_namespaces=0), so bwrap cannot start: ${message}`,
			`Enable them: sudo sysctl -w user.max_user_namespaces=15000 (and add it to /etc/sysctl.d/ to keep it). ${UNTIL_THEN}`,
		);
	}
	if (/namespace|Operation not permitted|Permission denied|uid map/i.test(message)) {
		return none(
			`bwrap cannot create its namespaces: ${message}`,
			`In a container this is usually the seccomp or AppArmor profile: run it with --security-opt seccomp=unconfined --security-opt apparmor=unconfined (Docker), or run Orbit on the host or in a VM. ${UNTIL_THEN}`,
		);
	}
	return none(`bwrap cannot start: ${message}`, `Check that \`bwrap --ro-bind / / true\` works for your user. ${UNTIL_THEN}`);
}

function none(reason: string, fix: string, bwrapPath?: string): SandboxDetection {
	return { kind: 'none', available: false, reason, fix, bwrapPath, processLimit: 'none', warnings: [] };
}

function readProcSys(name: string): string | undefined {
	try {
		return readFileSync(join('/proc/sys', name), 'utf8').trim();
	} catch {
		return undefined;
	}
}

function findOnPath(name: string, path: string | undefined): string | undefined {
	for (const dir of [...(path ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/bin']) {
		const candidate = join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not here.
		}
	}
	return undefined;
}

interface RunResult {
	stdout: string;
	stderr: string;
	/** Set when the program could not start, timed out or exited non-zero. */
	error?: string;
}

function run(file: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<RunResult> {
	return new Promise((resolve) => {
		execFile(file, args, { timeout: timeoutMs, env, encoding: 'utf8' }, (error, stdout, stderr) => {
			if (!error) return resolve({ stdout, stderr });
			const timedOut = (error as { killed?: boolean }).killed === true;
			resolve({ stdout, stderr, error: timedOut ? `no answer within ${timeoutMs} ms` : error.message.split('\n')[0] });
		});
	});
}

export function compareVersions(a: string, b: string): number {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) return difference;
	}
	return 0;
}

/**
 * A pids cgroup for this Orbit process (`orbit-sandbox-<pid>-<max>`, limit `max` tasks) under the cgroup
 * Orbit runs in, cgroup v1 or v2; removed at exit, and stale ones of dead Orbit processes removed
 * on the way. Undefined when there is none to be had (no pids controller, not writable, a v2 cgroup
 * that cannot delegate). Never throws.
 */
const cgroupsToRemove = new Set<string>();

export function setUpPidsCgroup(max: number): string | undefined {
	for (const base of pidsCgroupBases()) {
		try {
			removeStale(base);
			const dir = join(base.dir, `orbit-sandbox-${process.pid}-${max}`);
			mkdirSync(dir, { recursive: true });
			writeFileSync(join(dir, 'pids.max'), `${max}\n`);
			accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
			if (!cgroupsToRemove.has(dir)) {
				cgroupsToRemove.add(dir);
				process.once('exit', () => {
					try {
						rmdirSync(dir);
					} catch {
						// Still busy (processes dying with Orbit): removed as stale next time.
					}
				});
			}
			return dir;
		} catch {
			// Try the next hierarchy.
		}
	}
	return undefined;
}

function pidsCgroupBases(): { dir: string }[] {
	let mountinfo: string;
	let ownCgroups: string;
	try {
		mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
		ownCgroups = readFileSync('/proc/self/cgroup', 'utf8');
	} catch {
		return [];
	}
	const bases: { dir: string }[] = [];
	const own = ownCgroups.split('\n').map((line) => line.split(':'));
	for (const line of mountinfo.split('\n')) {
		const [left, right] = line.split(' - ');
		if (left === undefined || right === undefined) continue;
		const fields = left.split(' ');
		const mountRoot = fields[3] ?? '/';
		const mountPoint = fields[4];
		const [fsType, , superOptions = ''] = right.split(' ');
		if (mountPoint === undefined) continue;
		let path: string | undefined;
		if (fsType === 'cgroup' && superOptions.split(',').includes('pids')) {
			path = own.find((parts) => parts[1]?.split(',').includes('pids'))?.[2];
		} else if (fsType === 'cgroup2') {
			path = own.find((parts) => parts[0] === '0' && parts[1] === '')?.[2];
		}
		if (path === undefined) continue;
		const relativePath = mountRoot !== '/' && path.startsWith(mountRoot) ? path.slice(mountRoot.length) : path;
		const dir = join(mountPoint, relativePath);
		if (fsType === 'cgroup2' && !enableV2Pids(dir)) continue;
		bases.push({ dir });
	}
	return bases;
}

/** Lets the children of a v2 cgroup use the pids controller; false when it has none or may not delegate it. */
function enableV2Pids(dir: string): boolean {
	try {
		if (!readFileSync(join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('pids')) return false;
		if (readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('pids')) return true;
		writeFileSync(join(dir, 'cgroup.subtree_control'), '+pids');
		return true;
	} catch {
		return false;
	}
}

function removeStale(base: { dir: string }): void {
	for (const name of readdirSync(base.dir)) {
		const pid = /^orbit-sandbox-(\d+)-\d+$/.exec(name)?.[1];
		if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
		try {
			rmdirSync(join(base.dir, name));
		} catch {
			// Busy or gone.
		}
	}
}

