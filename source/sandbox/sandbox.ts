/** Whether shell commands can be confined on this machine, and if not, why and how to fix it. */
export interface SandboxStatus {
	kind: 'bubblewrap' | 'none';
	available: boolean;
	/** Why no sandbox is available (missing binary, no user namespaces, AppArmor, …). */
	reason?: string;
	/** What the user can do about it, one or two sentences. */
	fix?: string;
}

export interface SandboxSpawn {
	/** The program to spawn (e.g. `bwrap`) … */
	file: string;
	/** … and its arguments, which end by running `bash -c <command>`. Complete on their own: a hook script runs them as they are. */
	args: string[];
	/** A faster start of the same sandbox for a caller that spawns in-process; use it through `startSandboxed`. */
	direct?: DirectSpawn;
}

/** `file args` spawned with a step around the spawn (as root: the spawning thread enters the process-limit cgroup, so the child is born there). */
export interface DirectSpawn {
	file: string;
	args: string[];
	/** Right before the spawn, on the spawning thread; returns what to call right after it. Throws when this way is closed. */
	enter(): () => void;
}

/** Confines a shell command: read-only system, read-write repository (its `.git` read-only), private /tmp, no network unless allowed. */
export interface Sandbox {
	readonly status: SandboxStatus;
	wrap(command: string, options: { cwd: string; root: string; network: boolean }): SandboxSpawn;
}

/**
 * Starts `spawned` through `start` (a synchronous spawn, e.g. `(file, args) => spawn(file, args, …)`):
 * the direct way when there is one and it can be entered, with its step around `start`; otherwise
 * `file args`, which confine on their own. Returns what `start` returns; throws only what it throws.
 */
export function startSandboxed<T>(spawned: SandboxSpawn, start: (file: string, args: string[]) => T): T {
	const { direct } = spawned;
	let leave: (() => void) | undefined;
	try {
		leave = direct?.enter();
	} catch {
		leave = undefined;
	}
	if (direct === undefined || leave === undefined) return start(spawned.file, spawned.args);
	try {
		return start(direct.file, direct.args);
	} finally {
		leave();
	}
}
