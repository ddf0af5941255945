import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { errorMessage } from '../runtime/events.ts';
import { relativeToRoot, resolveInsideRoot } from '../sandbox/paths.ts';
import { Budget, DEFAULT_MAX_BYTES } from './agent-file-budget.ts';
import { type FileScope, isInside, type LoadSink, type ReadFile, renderAgentFile } from './imports.ts';
import { readHead, statOrUndefined } from './agent-file-read.ts';
import type { AgentFileRecord, ContextWarning } from './agent-file-records.ts';

export type { AgentFileRecord, ContextWarning, ContextWarningKind } from './agent-file-records.ts';

/** The names looked for in each folder, in order: `AGENTS.md` counts only where there is no `AGENT.md`. */
export const AGENT_FILE_NAMES = ['AGENT.md', 'AGENTS.md'] as const;

/** Folders whose AGENT.md is never loaded on touch: git's own, and installed dependencies. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export interface ProjectContextOptions {
	/** The repository root, a real path (see `findRoot`). */
	root: string;
	/** The working directory, a real path inside `root`. */
	cwd: string;
	/** The user's config folder with the global AGENT.md (see `userConfigDir`); absent: no global file. */
	globalDir?: string;
	/** Total cap, in bytes, of all AGENT.md text and imports of the session (default `DEFAULT_MAX_BYTES`, 64 KB). */
	maxBytes?: number;
}

/** An AGENT.md loaded because a tool touched a path in its folder: the text for a ForNextTurn item. */
export interface TouchedAgentFile {
	/** As `AgentFileRecord.path`. */
	path: string;
	/** The folder it belongs to, relative to the root. */
	folder: string;
	/** `touched <path>`. */
	reason: string;
	/** Its text with imports expanded (and a notice where the size cap cut it). */
	text: string;
}

/** A system-prompt block, as `buildSystemPrompt`'s `sections` takes it. */
export interface ContextSection {
	title: string;
	body: string;
}

interface StartupLoad {
	sections: ContextSection[];
	files: AgentFileRecord[];
	warnings: ContextWarning[];
	seen: Set<string>;
	/** Every path looked at, with what it was (`mtime:size` or `-`), to notice changes. */
	fingerprint: Map<string, string>;
	bytes: number;
}

/**
 * The project's AGENT.md files for one session (PRODUCT §3). Synchronous on purpose: the system
 * prompt is built by a sync function before every request, and `loadFor` runs inside a tool's
 * `path-touched` event so that its item is in the bucket before the tool returns. Start-up reads
 * only the global file and one file per folder from the root down to the cwd — two `open`s per
 * folder, never a walk of the tree; other folders are looked at when a tool touches a path in them.
 */
export class ProjectContext {
	readonly root: string;
	readonly cwd: string;
	readonly globalDir: string | undefined;
	readonly maxBytes: number;
	private readonly budget: Budget;
	private readonly scope: FileScope;
	/** The real path of the user's config folder, when it exists. */
	private readonly globalReal: string | undefined;
	/** Folders from the root down to the cwd, root first (real paths). */
	private readonly chain: string[];
	/** Folders already looked at for an AGENT.md (the chain included): each at most once. */
	private readonly visited = new Set<string>();
	private startup!: StartupLoad;
	private readonly touched = { files: [] as AgentFileRecord[], warnings: [] as ContextWarning[], seen: new Set<string>() };

	/** Loads the start-up files. Throws when `cwd` is not inside `root` or `maxBytes` is not a positive number. */
	constructor(options: ProjectContextOptions) {
		this.root = options.root;
		this.cwd = options.cwd;
		if (!isInside(this.root, this.cwd)) throw new Error(`The working directory ${this.cwd} is not inside the repository root ${this.root}.`);
		this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
		if (!(this.maxBytes > 0)) throw new Error(`maxBytes must be a positive number of bytes, not ${options.maxBytes}.`);
		this.budget = new Budget(this.maxBytes);
		this.scope = { confine: this.root, name: 'the repository', label: (abs) => (isInside(this.root, abs) ? relativeToRoot(this.root, abs) : abs) };
		this.globalDir = options.globalDir;
		this.globalReal = options.globalDir === undefined ? undefined : realOrUndefined(options.globalDir);
		const fromRoot = relative(this.root, this.cwd);
		this.chain = [this.root, ...(fromRoot === '' ? [] : fromRoot.split(sep).map((_, index, parts) => join(this.root, ...parts.slice(0, index + 1))))];
		for (const folder of this.chain) this.visited.add(folder);
		this.startup = this.loadStartup();
	}

	/** The start-up files as system-prompt blocks, global first, then root → cwd, each titled with its path. */
	sections(): ContextSection[] {
		return this.startup.sections;
	}

	/** Every file loaded (start-up files and their imports first, then files loaded on touch), with the reason. */
	files(): AgentFileRecord[] {
		return [...this.startup.files, ...this.touched.files];
	}

	/** What was refused or cut: cycles, escapes, depth, secrets, missing imports, unreadable files, truncation. */
	warnings(): ContextWarning[] {
		return [...this.startup.warnings, ...this.touched.warnings];
	}

	/** Bytes of AGENT.md text (with imports and Orbit's notes) put before the model so far. */
	usedBytes(): number {
		return this.budget.used;
	}

	/**
	 * The AGENT.md files of the folders between the root → cwd chain and `path` (a path a tool touched,
	 * relative to the root or absolute), root first, that were not looked at before: every folder is
	 * looked at once per session, whether or not it has a file. A path that is a folder counts itself;
	 * a file (or a path not created yet) counts its parent folders. Folders that do not exist yet are
	 * not marked, `.git` and `node_modules` are skipped, and paths outside the root give nothing.
	 * Never throws.
	 */
	loadFor(path: string, tool?: string): TouchedAgentFile[] {
		const abs = isAbsolute(path) ? path : join(this.root, path);
		if (!isInside(this.root, abs)) return [];
		const rel = relative(this.root, abs);
		const parts = rel === '' ? [] : rel.split(sep);
		const isFolder = statOrUndefined(abs)?.isDirectory() ?? false;
		const folders = isFolder ? parts : parts.slice(0, -1);
		const touchedLabel = rel === '' ? '.' : parts.join('/');
		const reason = `touched ${touchedLabel}${tool ? ` (${tool})` : ''}`;
		const loaded: TouchedAgentFile[] = [];
		const sink = this.sink(this.touched, [this.startup.seen]);
		for (let index = 0; index < folders.length; index++) {
			if (SKIPPED_FOLDERS.has(folders[index]!)) break;
			const folder = join(this.root, ...folders.slice(0, index + 1));
			if (this.visited.has(folder)) continue;
			if (!(statOrUndefined(folder)?.isDirectory() ?? false)) break;
			this.visited.add(folder);
			const file = this.findProjectFile(folder, sink);
			if (file === undefined || sink.has(file.abs)) continue;
			const text = renderAgentFile(sink, this.scope, file, reason);
			loaded.push({ path: this.scope.label(file.abs), folder: folders.slice(0, index + 1).join('/'), reason, text });
		}
		return loaded;
	}

	/**
	 * Reads the start-up files again when any of them (or an import of them, or a candidate name in a
	 * folder of the chain) changed since they were read; true when it did. A few `stat`s: cheap enough
	 * to call before every request, so that an edit to AGENT.md reaches the next one.
	 */
	refresh(): boolean {
		for (const [path, seen] of this.startup.fingerprint) {
			if (fingerprintOf(path) === seen) continue;
			this.budget.used -= this.startup.bytes;
			this.startup = this.loadStartup();
			return true;
		}
		return false;
	}

	private loadStartup(): StartupLoad {
		const load: StartupLoad = { sections: [], files: [], warnings: [], seen: new Set(), fingerprint: new Map(), bytes: 0 };
		const before = this.budget.used;
		const sink = this.sink(load, [this.touched.seen], (abs) => load.fingerprint.set(abs, fingerprintOf(abs)));
		const global = this.globalReal === undefined ? undefined : this.findFile(this.globalReal, sink, (candidate) => realpathSync(candidate));
		if (global !== undefined) {
			// The user's own file may link elsewhere (dotfiles): its imports stay in the folder it really is in.
			const scope: FileScope = { confine: dirname(global.abs), name: "the global AGENT.md's folder", label: (abs) => abs };
			const body = renderAgentFile(sink, scope, global, 'global');
			load.sections.push({ title: `User instructions (${global.abs})`, body });
		}
		for (const folder of this.chain) {
			const file = this.findProjectFile(folder, sink);
			if (file === undefined || sink.has(file.abs)) continue;
			const body = renderAgentFile(sink, this.scope, file, 'root→cwd');
			load.sections.push({ title: `Project instructions (${this.scope.label(file.abs)})`, body });
		}
		load.bytes = this.budget.used - before;
		return load;
	}

	/** A sink that records into `into`; a file in `into.seen` or in one of `loaded` is not loaded again. */
	private sink(into: { files: AgentFileRecord[]; warnings: ContextWarning[]; seen: Set<string> }, loaded: Set<string>[], track?: (abs: string) => void): LoadSink {
		return {
			budget: this.budget,
			has: (abs) => into.seen.has(abs) || loaded.some((set) => set.has(abs)),
			add: (abs, record) => {
				into.seen.add(abs);
				into.files.push(record);
			},
			warn: (warning) => into.warnings.push(warning),
			...(track ? { track } : {}),
		};
	}

	/** A folder's AGENT.md (or AGENTS.md), read within the budget; a file leading out of the repository is refused. */
	private findProjectFile(folder: string, sink: LoadSink): ReadFile | undefined {
		return this.findFile(folder, sink, (candidate) => resolveInsideRoot(this.root, candidate));
	}

	private findFile(folder: string, sink: LoadSink, real: (candidate: string) => string): ReadFile | undefined {
		for (const name of AGENT_FILE_NAMES) {
			const candidate = join(folder, name);
			sink.track?.(candidate);
			const stat = statOrUndefined(candidate);
			if (stat === undefined || !stat.isFile()) continue;
			const label = this.scope.label(candidate);
			let abs: string;
			try {
				abs = real(candidate);
			} catch (error) {
				sink.warn({ kind: 'escape', file: label, message: `${label} not loaded: ${errorMessage(error)}` });
				return undefined;
			}
			if (abs !== candidate) sink.track?.(abs);
			try {
				return { abs, ...readHead(abs, this.budget.remaining) };
			} catch (error) {
				sink.warn({ kind: 'unreadable', file: label, message: `${label} could not be read: ${errorMessage(error)}` });
				return undefined;
			}
		}
		return undefined;
	}
}

/** Starts discovery for a session: see `ProjectContext`. */
export function createProjectContext(options: ProjectContextOptions): ProjectContext {
	return new ProjectContext(options);
}

function fingerprintOf(path: string): string {
	const stat = statOrUndefined(path);
	return stat === undefined ? '-' : `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
}

function realOrUndefined(path: string): string | undefined {
	try {
		return realpathSync(path);
	} catch {
		return undefined;
	}
}
