import { accessSync, constants, existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Sandbox, SandboxSpawn, SandboxStatus } from './sandbox.ts';

/** Tasks (processes and threads) one sandboxed command may have at once: far above `npm test`, far below a fork bomb's appetite. */
export const DEFAULT_MAX_PROCESSES = 4096;

/** The uid and gid a command runs as inside the sandbox when Orbit runs as root. */
export const NOBODY = 65534;

export interface BubblewrapOptions {
	/** The bwrap binary (`bwrap` on PATH by default). */
	bwrapPath?: string;
	/** Where HOME, XDG_* and PATH come from (default `process.env`). */
	env?: NodeJS.ProcessEnv;
	/** More folders or files the sandbox must not see (the token store, …), besides the defaults. */
	hide?: string[];
	/** See DEFAULT_MAX_PROCESSES. */
	maxProcesses?: number;
	/** Forbid user namespaces inside the sandbox (`--disable-userns`, bubblewrap ≥ 0.8). Default true. */
	disableNestedUserNamespaces?: boolean;
	/**
	 * A pids cgroup (a folder with `cgroup.procs`, v1 or v2) each command enters before bwrap starts,
	 * made in the cgroup Orbit runs in (the direct spawn returns the spawning thread to the parent).
	 * Needed as root, where the kernel does not enforce RLIMIT_NPROC; `detectSandbox` sets one up.
	 */
	pidsCgroup?: string;
	/** The uid Orbit runs as (default `process.getuid()`); root maps to NOBODY inside. */
	uid?: number;
	gid?: number;
}

/** A bubblewrap sandbox, plus what it hides (for `orbit doctor` and tests). */
export interface BubblewrapSandbox extends Sandbox {
	readonly layout: SandboxLayout;
}

/** The machine-dependent part of the argv, computed once when the sandbox is made. */
export interface SandboxLayout {
	bwrap: string;
	uid: number;
	gid: number;
	/** The real home: an empty private tmpfs inside, and HOME there (unless it is, or holds, the repository). */
	home: string | undefined;
	/** Folders replaced by an empty tmpfs, parents first. */
	hiddenDirs: string[];
	/** Files replaced by /dev/null. */
	hiddenFiles: string[];
	/** Toolchains (node, python, …) found on PATH inside hidden folders, bound back read-only. */
	toolchains: string[];
	/** The folder of /etc/resolv.conf's target when it lies under /run, bound back when the network is allowed. */
	resolvDir: string | undefined;
	maxProcesses: number;
	disableNestedUserNamespaces: boolean;
	pidsCgroup: string | undefined;
}

const SECRET_FILES = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/security/opasswd'];
const SECRET_DIRS = ['/etc/ssl/private', '/var/lib/sss/secrets'];

/** Folders under a home that hold a toolchain and no credentials: bound back whole when on PATH. */
const TOOLCHAIN_HOMES = [
	'.nvm', '.volta', '.fnm', '.local/share/fnm', '.n', '.bun', '.deno', '.pyenv', '.rbenv', '.asdf', '.local/share/mise',
	'.rustup', '.sdkman', '.juliaup', '.ghcup', '.nix-profile', '.local/share/pnpm', 'go', '.go', 'sdk',
];

/**
 * Shell commands under bubblewrap (PRODUCT §7): every namespace unshared (the network too unless
 * allowed), an unprivileged uid (NOBODY when Orbit is root) with no capabilities and no nested user
 * namespaces, killed with Orbit, in a session of its own; the system read-only, a private /tmp,
 * /var/tmp, /dev/shm and /run, homes (/root, /home, the user's) hidden behind empty tmpfs mounts
 * with HOME a private writable one, a few secret files and the host's Unix sockets hidden; the
 * repository read-write with its `.git` read-only; at most `maxProcesses` tasks. `wrap` never throws
 * and starts nothing: it reads the repository's `.git`, /proc/net/unix and the pids cgroup's folder.
 */
export function createBubblewrapSandbox(options: BubblewrapOptions = {}): BubblewrapSandbox {
	const layout = planLayout(options);
	const status: SandboxStatus = { kind: 'bubblewrap', available: true };
	return {
		status,
		layout,
		wrap: (command, { cwd, root, network }) => bubblewrapSpawn(layout, command, { cwd, root, network }),
	};
}

/**
 * The spawn for `command` under `layout`. With a pids cgroup, `file args` is `sh`, which enters the
 * cgroup and then becomes bwrap; on cgroup v1 `direct` also offers bwrap itself, spawned by a thread
 * that enters the cgroup just for the spawn (`threadHop`), which saves that `sh` (≈ 1–1.5 ms).
 */
export function bubblewrapSpawn(layout: SandboxLayout, command: string, options: { cwd: string; root: string; network: boolean }): SandboxSpawn {
	const args = bubblewrapArgs(layout, command, { ...options, sockets: hostUnixSockets(layout) });
	const cgroup = layout.pidsCgroup;
	if (cgroup === undefined) return { file: layout.bwrap, args };
	const entry = cgroupEntryFile(cgroup);
	// `sh` moves itself into the cgroup (`0`: the writer), then becomes bwrap: same pid, so the process
	// group stays whole, and everything bwrap starts is born inside.
	const enter = 'echo 0 > "$0" || { echo "orbit: cannot enter the sandbox\'s process-limit cgroup $0" >&2; exit 126; }; exec "$@"';
	const spawn: SandboxSpawn = { file: '/bin/sh', args: ['-c', enter, entry, layout.bwrap, ...args] };
	if (basename(entry) === 'tasks') spawn.direct = { file: layout.bwrap, args, enter: () => threadHop(entry, join(dirname(cgroup), 'tasks')) };
	return spawn;
}

/**
 * The file a single-threaded process (the `sh` before bwrap) writes `0` to, to enter the cgroup
 * `dir`. cgroup v1: `tasks`, which moves only the writing thread, so the kernel skips its global
 * threadgroup lock, whose write side waits for an RCU grace period (≈ 10 ms a command through
 * `cgroup.procs`, measured: bench/README.md). cgroup v2 has no `tasks` and no such shortcut:
 * `cgroup.procs`. Never throws.
 */
export function cgroupEntryFile(dir: string): string {
	return existsSync(join(dir, 'tasks')) ? join(dir, 'tasks') : join(dir, 'cgroup.procs');
}

/**
 * Moves the calling thread alone into the v1 cgroup of `tasks` (writing `0`: the fast path above);
 * returns the move back into the cgroup of `homeTasks`, which never throws. A process spawned in
 * between is born in the cgroup, and the rest of Orbit never is. Throws when the cgroup is gone.
 */
export function threadHop(tasks: string, homeTasks: string): () => void {
	writeFileSync(tasks, '0');
	return () => {
		try {
			writeFileSync(homeTasks, '0');
		} catch {
			// Cannot happen for root in its own cgroup; the thread's later spawns would only count against the limit.
		}
	};
}

/**
 * The argv after `bwrap`. `sockets` are host Unix sockets to make unreachable (their path gets
 * /dev/null): a separate network namespace does not stop `connect()` to a socket file.
 */
export function bubblewrapArgs(layout: SandboxLayout, command: string, options: { cwd: string; root: string; network: boolean; sockets?: string[] }): string[] {
	const { cwd, root, network, sockets = [] } = options;
	const args = ['--unshare-all', ...(network ? ['--share-net'] : []), '--unshare-user'];
	if (layout.disableNestedUserNamespaces) args.push('--disable-userns');
	args.push('--uid', String(layout.uid), '--gid', String(layout.gid), '--cap-drop', 'ALL', '--die-with-parent', '--new-session');
	args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
	// Hidden folders that contain the repository (or are unrelated to it) go before the repository's
	// bind; those inside the repository after it, so they stay hidden. The repository itself is never hidden.
	const outside = (path: string) => !isInside(root, path);
	const home = layout.home !== undefined && outside(layout.home) ? layout.home : undefined;
	const hiddenDirs = [...layout.hiddenDirs, ...(home !== undefined && !layout.hiddenDirs.includes(home) ? [home] : [])]
		.filter((dir) => dir !== root)
		.sort((a, b) => depth(a) - depth(b));
	for (const dir of hiddenDirs.filter(outside)) args.push('--tmpfs', dir);
	if (network && layout.resolvDir !== undefined) args.push('--ro-bind-try', layout.resolvDir, layout.resolvDir);
	for (const file of layout.hiddenFiles) args.push('--ro-bind', '/dev/null', file);
	for (const toolchain of layout.toolchains.filter(outside)) args.push('--ro-bind-try', toolchain, toolchain);
	args.push('--bind', root, root);
	args.push(...gitBinds(root));
	for (const dir of hiddenDirs.filter((dir) => !outside(dir))) args.push('--tmpfs', dir);
	for (const socket of sockets) args.push('--ro-bind', '/dev/null', socket);
	args.push('--chdir', cwd);
	if (home !== undefined) args.push('--setenv', 'HOME', home);
	args.push('--setenv', 'TMPDIR', '/tmp');
	for (const name of ['SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'DISPLAY', 'WAYLAND_DISPLAY']) args.push('--unsetenv', name);
	// Same line as the command, so bash's line numbers in its messages stay the command's.
	args.push('--', 'bash', '-c', `ulimit -u ${layout.maxProcesses} 2>/dev/null; ${command}`);
	return args;
}

/**
 * Pathname Unix sockets bound on the host (in Orbit's network namespace) that the sandbox would
 * still see: a docker, LXD or editor socket outside the hidden folders. Read at every command, since
 * services come and go; the sandbox's own sockets live in its own namespace and are not listed.
 */
export function hostUnixSockets(layout: Pick<SandboxLayout, 'hiddenDirs'> & { home?: string }, table = readOrEmpty('/proc/net/unix')): string[] {
	const hidden = layout.home === undefined ? layout.hiddenDirs : [...layout.hiddenDirs, layout.home];
	const sockets = new Set<string>();
	for (const line of table.split('\n').slice(1)) {
		const path = line.trim().split(/\s+/).slice(7).join(' ');
		if (!path.startsWith('/') || hidden.some((dir) => isInside(dir, path))) continue;
		try {
			if (lstatSync(path).isSocket()) sockets.add(path);
		} catch {
			// Removed since: nothing to hide.
		}
	}
	return [...sockets];
}

/**
 * Read-only binds over the repository's `.git`: the folder, or the `.git` file of a worktree or
 * submodule together with the git folder it names (and that folder's common dir).
 */
export function gitBinds(root: string): string[] {
	const dotGit = join(root, '.git');
	let stat;
	try {
		stat = lstatSync(dotGit);
	} catch {
		return [];
	}
	if (stat.isSymbolicLink()) {
		const target = realOrUndefined(dotGit);
		return target === undefined ? [] : ['--ro-bind', target, target];
	}
	const binds = ['--ro-bind', dotGit, dotGit];
	if (stat.isDirectory()) return binds;
	const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(readOrEmpty(dotGit))?.[1];
	if (gitdir === undefined) return binds;
	const target = realOrUndefined(resolve(root, gitdir));
	if (target === undefined) return binds;
	binds.push('--ro-bind', target, target);
	const common = readOrEmpty(join(target, 'commondir')).trim();
	const commonDir = common === '' ? undefined : realOrUndefined(resolve(target, common));
	if (commonDir !== undefined && commonDir !== target) binds.push('--ro-bind', commonDir, commonDir);
	return binds;
}

/** What to hide and bind back on this machine. Reads the environment and the filesystem; never throws. */
export function planLayout(options: BubblewrapOptions = {}): SandboxLayout {
	const env = options.env ?? process.env;
	const ownUid = options.uid ?? process.getuid?.() ?? NOBODY;
	const ownGid = options.gid ?? process.getgid?.() ?? NOBODY;
	const home = absoluteOrUndefined(env.HOME) ?? homedir();
	const config = absoluteOrUndefined(env.XDG_CONFIG_HOME) ?? join(home, '.config');
	const data = absoluteOrUndefined(env.XDG_DATA_HOME) ?? join(home, '.local', 'share');
	const state = absoluteOrUndefined(env.XDG_STATE_HOME) ?? join(home, '.local', 'state');
	const wanted = ['/root', '/home', '/run', '/tmp', '/var/tmp', '/dev/shm', join(config, 'orbit'), join(data, 'orbit'), join(state, 'orbit'), ...SECRET_DIRS];
	if (isDirectory('/var/run') && !isSymlink('/var/run')) wanted.push('/var/run');
	const hiddenDirs: string[] = [];
	const hiddenFiles: string[] = [];
	for (const path of [...wanted, ...(options.hide ?? []).filter(isAbsolute)]) {
		const real = realOrUndefined(path);
		if (real === undefined || real === '/') continue;
		if (statOrUndefined(real)?.isDirectory()) hiddenDirs.push(real);
		else hiddenFiles.push(real);
	}
	// Only those this user can read (all of them for root): each mount costs time at every command.
	for (const file of [...SECRET_FILES, ...sshHostKeys()]) if (statOrUndefined(file)?.isFile() && readable(file)) hiddenFiles.push(file);
	const realHome = realOrUndefined(home);
	const dirs = unique(hiddenDirs).sort((a, b) => depth(a) - depth(b));
	const homes = realHome !== undefined && realHome !== '/' ? unique([realHome, home]) : [];
	const hiddenRoots = [...dirs, ...homes];
	const hides = (path: string) => hiddenRoots.some((dir) => isInside(dir, path));
	const files = unique(hiddenFiles).filter((file) => !dirs.some((dir) => isInside(dir, file)));
	const toolchains = toolchainRoots(env, realHome, hides, hiddenRoots);
	const resolv = realOrUndefined('/etc/resolv.conf');
	return {
		bwrap: options.bwrapPath ?? 'bwrap',
		uid: ownUid === 0 ? NOBODY : ownUid,
		gid: ownUid === 0 ? NOBODY : ownGid,
		home: realHome !== undefined && realHome !== '/' ? realHome : undefined,
		hiddenDirs: dirs,
		hiddenFiles: files,
		toolchains,
		resolvDir: resolv !== undefined && isInside('/run', resolv) ? dirname(resolv) : undefined,
		maxProcesses: options.maxProcesses ?? DEFAULT_MAX_PROCESSES,
		disableNestedUserNamespaces: options.disableNestedUserNamespaces ?? true,
		pidsCgroup: options.pidsCgroup,
	};
}

/**
 * The folders to bind back so PATH still finds node, npm, python, … installed in a hidden folder: a
 * known toolchain folder under a home whole (`~/.nvm`, `~/.pyenv`, …), otherwise only the PATH entry
 * itself (so `~/.cargo/bin` comes back, `~/.cargo/credentials.toml` does not). Node running Orbit
 * counts as on PATH. Never a hidden folder itself or one that holds one.
 */
function toolchainRoots(env: NodeJS.ProcessEnv, home: string | undefined, hidden: (path: string) => boolean, hiddenRoots: string[]): string[] {
	const entries = (env.PATH ?? '').split(delimiter).filter(isAbsolute).map((entry) => resolve(entry));
	entries.push(dirname(process.execPath));
	const roots: string[] = [];
	for (const entry of entries) {
		if (!hidden(entry) || !statOrUndefined(entry)?.isDirectory()) continue;
		const homeOf = home !== undefined && isInside(home, entry) ? home : ['/root', '/home'].find((base) => isInside(base, entry));
		const base = homeOf === '/home' ? join('/home', relative('/home', entry).split(sep)[0] ?? '') : homeOf;
		const known = base === undefined ? undefined : TOOLCHAIN_HOMES.map((name) => join(base, name)).find((dir) => isInside(dir, entry));
		roots.push(known ?? entry);
		if (base !== undefined && entry === join(base, '.cargo', 'bin') && statOrUndefined(join(base, '.rustup'))?.isDirectory()) roots.push(join(base, '.rustup'));
	}
	return unique(roots)
		.filter((root) => !hiddenRoots.some((dir) => isInside(root, dir)))
		.filter((root, _, all) => !all.some((other) => other !== root && isInside(other, root)));
}

function sshHostKeys(): string[] {
	try {
		return readdirSync('/etc/ssh')
			.filter((name) => /^ssh_host_.*_key$/.test(name))
			.map((name) => join('/etc/ssh', name));
	} catch {
		return [];
	}
}

/** Whether `path` is `dir` or inside it (both absolute and normalised). */
export function isInside(dir: string, path: string): boolean {
	return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function depth(path: string): number {
	return path.split(sep).length;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

function absoluteOrUndefined(value: string | undefined): string | undefined {
	return value !== undefined && isAbsolute(value) ? resolve(value) : undefined;
}

function realOrUndefined(path: string): string | undefined {
	try {
		return realpathSync(path);
	} catch {
		return undefined;
	}
}

function statOrUndefined(path: string) {
	try {
		return statSync(path);
	} catch {
		return undefined;
	}
}

function readable(path: string): boolean {
	try {
		accessSync(path, constants.R_OK);
		return true;
	} catch {
		return false;
	}
}

function isDirectory(path: string): boolean {
	return statOrUndefined(path)?.isDirectory() ?? false;
}

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

function readOrEmpty(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}
