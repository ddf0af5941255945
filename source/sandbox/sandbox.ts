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
	/** … and its arguments, which end by running `bash -c <command>`. */
	args: string[];
}

/** Confines a shell command: read-only system, read-write repository (its `.git` read-only), private /tmp, no network unless allowed. */
export interface Sandbox {
	readonly status: SandboxStatus;
	wrap(command: string, options: { cwd: string; root: string; network: boolean }): SandboxSpawn;
}
