import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { errorMessage } from '../events.ts';

/** A change seen in the tree: the path (relative to the root, `/`-separated) and whether it exists now. */
export interface TreeChange {
	path: string;
	exists: boolean;
	/** A folder that appeared or went (its files, when it has any, are reported one by one too). */
	folder: boolean;
	/** What `isOwn` said when the event arrived. */
	own: boolean;
}

export interface WatchedTreeOptions {
	root: string;
	/** Asked synchronously when an event arrives, before anything asynchronous: is this the agent's own change? */
	isOwn(path: string): boolean;
	/** A change to a file (or a folder that appeared or went) that is not ignored. */
	onChange(change: TreeChange): void;
	/** Something went wrong that limits watching (too many folders, the OS watch limit, an unreadable folder). */
	onProblem(message: string): void;
	/** Folders watched at most (each holds one OS watch). */
	maxFolders: number;
}

interface Folder {
	/** Relative to the root, `/`-separated; '' for the root. */
	rel: string;
	parent: Folder | undefined;
	/** This folder's .gitignore, when it has one. */
	rules: Ignore | undefined;
	watcher: FSWatcher | undefined;
}

/** Never watched or reported, wherever they are (as in tools/file-list.ts), plus the root's `.orbit`. */
const NEVER = new Set(['.git', 'node_modules']);

/**
 * Watches the folders of a repository with one non-recursive `fs.watch` each (Node 20's recursive
 * mode on Linux walks and watches every file synchronously, ignored folders included). Folders that
 * .gitignore rules exclude, `.git`, `node_modules` and the root's `.orbit` are never entered; a
 * folder's .gitignore is read when the folder is first watched and again when it changes. Folders
 * that appear later are watched, and the files found in them reported. Files are never listed up
 * front: only folders are read.
 */
export class WatchedTree {
	private readonly folders = new Map<string, Folder>();
	private closed = false;
	private full = false;

	constructor(private readonly options: WatchedTreeOptions) {}

	/** Watches the whole tree; resolves when every folder found is watched. Never rejects. */
	async start(): Promise<void> {
		await this.add('', undefined, false);
	}

	close(): void {
		this.closed = true;
		for (const folder of this.folders.values()) folder.watcher?.close();
		this.folders.clear();
	}

	/** How many folders are watched. */
	get size(): number {
		return this.folders.size;
	}

	/** Watches `rel` and the folders below it; with `report`, each file found is reported as a change. */
	private async add(rel: string, parent: Folder | undefined, report: boolean, own = false): Promise<void> {
		if (this.closed || this.folders.has(rel)) return;
		if (this.folders.size >= this.options.maxFolders) {
			this.stopGrowing(`more than ${this.options.maxFolders} folders`);
			return;
		}
		const folder: Folder = { rel, parent, rules: undefined, watcher: undefined };
		// Watch first, then read: a file created in between is seen by one or the other.
		try {
			folder.watcher = watch(this.abs(rel), { persistent: false }, (_type, name) => {
				if (name) this.onEvent(folder, name.toString());
			});
			folder.watcher.on('error', () => this.remove(rel));
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOSPC' || code === 'EMFILE') this.stopGrowing(`the system's limit on watches (${code})`);
			else if (code !== 'ENOENT' && code !== 'ENOTDIR') this.options.onProblem(`cannot watch ${rel || 'the repository'}: ${errorMessage(error)}`);
			return;
		}
		this.folders.set(rel, folder);
		let entries;
		try {
			entries = await readdir(this.abs(rel), { withFileTypes: true });
		} catch {
			this.remove(rel);
			return;
		}
		if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) await this.loadRules(folder);
		const below: Promise<void>[] = [];
		for (const entry of entries) {
			if (this.closed) return;
			const isFolder = entry.isDirectory();
			// At start files are only counted on, never listed: no per-file work.
			if (!isFolder && !report) continue;
			const path = join2(rel, entry.name);
			if (this.neverWatched(path, entry.name)) continue;
			if (this.ignored(folder, path, isFolder)) continue;
			if (isFolder) below.push(this.add(path, folder, report, own));
			else if (report) this.options.onChange({ path, exists: true, folder: false, own });
		}
		// Sibling folders are read side by side (libuv's thread pool bounds how many at once).
		await Promise.all(below);
	}

	private onEvent(folder: Folder, name: string): void {
		if (this.closed || this.folders.get(folder.rel) !== folder) return;
		const path = join2(folder.rel, name);
		if (this.neverWatched(path, name)) return;
		const own = this.options.isOwn(path);
		void this.settle(folder, path, name, own);
	}

	/** Looks at what the event left behind: a new folder is watched, a .gitignore re-read, a file reported. */
	private async settle(folder: Folder, path: string, name: string, own: boolean): Promise<void> {
		let isFolder: boolean | undefined;
		try {
			isFolder = (await lstat(this.abs(path))).isDirectory();
		} catch {
			isFolder = undefined;
		}
		if (this.closed) return;
		if (name === '.gitignore' && !isFolder) {
			await this.loadRules(folder);
			// Rules may have let folders in that were left out, or shut some out: watch what they allow now.
			await this.rescan(folder);
		}
		if (isFolder === undefined) {
			// Gone. When the folder holding it is gone too, its parent reports the folder instead.
			if (!(await pathExists(this.abs(folder.rel)))) return;
			const wasFolder = this.folders.has(path);
			this.removeTree(path);
			if (wasFolder || !this.ignored(folder, path, false)) this.options.onChange({ path, exists: false, folder: wasFolder, own });
			return;
		}
		if (this.ignored(folder, path, isFolder)) return;
		if (isFolder) {
			if (this.folders.has(path)) return;
			this.options.onChange({ path, exists: true, folder: true, own });
			await this.add(path, folder, true, own);
			return;
		}
		this.options.onChange({ path, exists: true, folder: false, own });
	}

	private async rescan(folder: Folder): Promise<void> {
		let entries;
		try {
			entries = await readdir(this.abs(folder.rel), { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const path = join2(folder.rel, entry.name);
			if (!entry.isDirectory() || this.neverWatched(path, entry.name)) continue;
			if (this.ignored(folder, path, true)) this.removeTree(path);
			else if (!this.folders.has(path)) await this.add(path, folder, false);
			else await this.rescan(this.folders.get(path)!);
		}
	}

	private async loadRules(folder: Folder): Promise<void> {
		try {
			folder.rules = ignore().add(await readFile(this.abs(join2(folder.rel, '.gitignore')), 'utf8'));
		} catch {
			// A missing or unreadable .gitignore ignores nothing.
			folder.rules = undefined;
		}
	}

	/** Like git: the deepest .gitignore with an opinion wins; a negation can bring a path back. */
	private ignored(folder: Folder, path: string, isFolder: boolean): boolean {
		const chain: Folder[] = [];
		for (let current: Folder | undefined = folder; current; current = current.parent) chain.unshift(current);
		let ignored = false;
		for (const { rel, rules } of chain) {
			if (!rules) continue;
			const local = rel === '' ? path : path.slice(rel.length + 1);
			const verdict = rules.test(isFolder ? `${local}/` : local);
			if (verdict.ignored) ignored = true;
			else if (verdict.unignored) ignored = false;
		}
		return ignored;
	}

	private neverWatched(path: string, name: string): boolean {
		return NEVER.has(name) || path === '.orbit';
	}

	private remove(rel: string): void {
		this.folders.get(rel)?.watcher?.close();
		this.folders.delete(rel);
	}

	private removeTree(rel: string): void {
		for (const key of [...this.folders.keys()]) if (key === rel || key.startsWith(`${rel}/`)) this.remove(key);
	}

	private stopGrowing(reason: string): void {
		if (this.full) return;
		this.full = true;
		this.options.onProblem(`watching ${this.folders.size} folders and no more (${reason}); changes in the others are not reported`);
	}

	private abs(rel: string): string {
		return rel === '' ? this.options.root : join(this.options.root, rel);
	}
}

function join2(folder: string, name: string): string {
	return folder === '' ? name : `${folder}/${name}`;
}

/** True when something (a file, a folder, a link) is at `path`. Never throws. */
export async function pathExists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}
