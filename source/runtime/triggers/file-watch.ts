import { join } from 'node:path';
import type { Trigger } from '../trigger.ts';
import { pathExists, type TreeChange, WatchedTree } from './watched-tree.ts';

export interface FileWatchOptions {
	/** Quiet time after the last change before the changes are reported together. Default 300 ms. */
	debounceMs?: number;
	/** The longest a steady stream of changes can hold the report back. Default 2 000 ms. */
	maxDelayMs?: number;
	/** After a tool ends, changes are still taken for the agent's own for this long. Default 500 ms. */
	graceMs?: number;
	/** A path a file tool said it wrote (`path-touched`) stays the agent's for this long after the tool ends. Default 5 000 ms. */
	ownPathMs?: number;
	/** Folders watched at most (each is one OS watch). Default 20 000. */
	maxFolders?: number;
	/** Paths named in one item; the rest are counted. Default 20. */
	maxListed?: number;
}

/** A trigger that can say when its first look at the tree is done (tests and benchmarks wait for it). */
export interface FileWatchTrigger extends Trigger {
	/** Resolves when every folder found at start is watched (at once before `start`). */
	ready(): Promise<void>;
}

/**
 * File changes in the repository that the agent did not make (PRODUCT §1 Triggers). It fires
 * `{ source: 'file-watch', content }` — triage makes it an InTheEnd item — listing the changed paths
 * of one burst (debounced by `debounceMs`, held back at most `maxDelayMs`), relative to the root,
 * with deleted ones marked. Paths that .gitignore excludes, and `.git`, `node_modules` and `.orbit`,
 * are never reported.
 *
 * A change is the agent's own, and not reported, when it happens while a tool runs (a shell command
 * changes files too) or within `graceMs` after, or when it touches a path a file tool announced with
 * `path-touched` (write) within `ownPathMs` after that tool ended. A file that appeared and went
 * again within one burst (an editor's temporary file) is not reported.
 */
export function createFileWatchTrigger(options: FileWatchOptions = {}): FileWatchTrigger {
	const debounceMs = options.debounceMs ?? 300;
	const maxDelayMs = options.maxDelayMs ?? 2_000;
	const graceMs = options.graceMs ?? 500;
	const ownPathMs = options.ownPathMs ?? 5_000;
	const maxFolders = options.maxFolders ?? 20_000;
	const maxListed = options.maxListed ?? 20;
	let ready: Promise<void> = Promise.resolve();
	return {
		name: 'file-watch',
		ready: () => ready,
		start(context) {
			let toolsRunning = 0;
			let quietUntil = 0;
			/** Path → until when a change to it is the agent's; Infinity while its tool runs. */
			const ownPaths = new Map<string, number>();
			/** Path → whether it was seen existing during this burst, and whether it is a folder. */
			let burst = new Map<string, { seen: boolean; folder: boolean }>();
			let debounce: NodeJS.Timeout | undefined;
			let deadline: NodeJS.Timeout | undefined;
			let stopped = false;

			const isOwn = (path: string): boolean => {
				const now = Date.now();
				if (toolsRunning > 0 || now < quietUntil) return true;
				const until = ownPaths.get(path);
				if (until === undefined) return false;
				if (until > now) return true;
				ownPaths.delete(path);
				return false;
			};

			const flush = async () => {
				clearTimeout(debounce);
				clearTimeout(deadline);
				debounce = deadline = undefined;
				const changes = burst;
				burst = new Map();
				const lines: string[] = [];
				const paths = [...changes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
				const parents = new Set(paths.flatMap((path) => path.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'))));
				for (const path of paths) {
					const { seen, folder } = changes.get(path)!;
					// A folder whose files are listed needs no line of its own.
					if (folder && parents.has(path)) continue;
					const shown = folder ? `${path}/` : path;
					const present = await pathExists(join(context.root, path));
					if (present) lines.push(`- ${shown}`);
					else if (!seen) lines.push(`- ${shown} (deleted)`);
				}
				if (stopped || lines.length === 0) return;
				const listed = lines.length > maxListed ? [...lines.slice(0, maxListed), `… and ${lines.length - maxListed} more`] : lines;
				context.fire({ source: 'file-watch', content: `Files changed outside the agent:\n${listed.join('\n')}` });
			};

			const onChange = (change: TreeChange) => {
				if (stopped || change.own) return;
				const before = burst.get(change.path);
				burst.set(change.path, { seen: (before?.seen ?? false) || change.exists, folder: (before?.folder ?? false) || change.folder });
				clearTimeout(debounce);
				debounce = setTimeout(() => void flush(), debounceMs);
				debounce.unref();
				if (!deadline) {
					deadline = setTimeout(() => void flush(), maxDelayMs);
					deadline.unref();
				}
			};

			const tree = new WatchedTree({ root: context.root, isOwn, onChange, onProblem: (message) => context.note(message), maxFolders });
			const unsubscribe = context.subscribe((event) => {
				if (event.type === 'tool-start') toolsRunning += 1;
				else if (event.type === 'path-touched' && event.write) ownPaths.set(event.path, Infinity);
				else if (event.type === 'tool-end') {
					toolsRunning = Math.max(0, toolsRunning - 1);
					const now = Date.now();
					quietUntil = now + graceMs;
					for (const [path, until] of ownPaths) {
						if (until === Infinity) ownPaths.set(path, now + ownPathMs);
						else if (until <= now) ownPaths.delete(path);
					}
				}
			});
			ready = tree.start();
			return () => {
				stopped = true;
				unsubscribe();
				clearTimeout(debounce);
				clearTimeout(deadline);
				tree.close();
			};
		},
	};
}
