/** A file AGENT.md discovery put before the model (or meant to, when the size cap left it out). */
export interface AgentFileRecord {
	/** Relative to the repository root with `/`; absolute for files outside it (the global file and its imports). */
	path: string;
	/** Why it was loaded: `global`, `root→cwd`, `touched <path>` or `imported by <file>`. */
	reason: string;
	/** Bytes of it that reached the model. */
	bytes: number;
	/** Its size on disk. */
	size: number;
	/** The size cap cut it (or left it out: `bytes` is 0). */
	truncated: boolean;
}

export type ContextWarningKind = 'cycle' | 'escape' | 'depth' | 'secret' | 'missing' | 'unreadable' | 'truncated';

/** Something discovery refused or cut, one sentence for the user (`/context`, `orbit context`). */
export interface ContextWarning {
	kind: ContextWarningKind;
	/** The file where it happened, shown as `AgentFileRecord.path`. */
	file: string;
	message: string;
}
