import { type FSWatcher, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { ORBIT_FOLDER } from './memory-files.ts';

export interface MemoryWatcher {
	/** Watches again if `.orbit/` appeared, disappeared or was replaced, or the watch failed (one `stat`). */
	check(): void;
	close(): void;
}

/**
 * Calls `onChange(name)` when something in `.orbit/` changes (`name` is the file name the system
 * reports, or undefined when it reports none). While `.orbit/` does not exist, watches the
 * repository root (not recursively) for it to appear; when `.orbit/` is removed or replaced, goes
 * back to that. Editors that save by renaming a new file over the old one are seen too, since the
 * folder is watched rather than the files. A failure to watch (no inotify watches left) is
 * silent: callers also compare file signatures before they use the files, so the watcher only
 * makes changes show up sooner. Never throws; `close()` stops it for good.
 */
export function watchMemoryFolder(root: string, onChange: (name: string | undefined) => void): MemoryWatcher {
	const folder = join(root, ORBIT_FOLDER);
	let watcher: FSWatcher | undefined;
	/** The `.orbit` folder's inode while it is watched; undefined while the root is watched. */
	let watchedInode: bigint | undefined;
	let closed = false;

	const folderInode = (): bigint | undefined => {
		try {
			const info = statSync(folder, { bigint: true });
			return info.isDirectory() ? info.ino : undefined;
		} catch {
			return undefined;
		}
	};

	const open = (path: string, listener: (name: string | undefined) => void): FSWatcher | undefined => {
		try {
			const created = watch(path, { persistent: false }, (_event, name) => listener(name === null ? undefined : String(name)));
			created.on('error', () => {
				created.close();
				if (watcher === created) watcher = undefined;
			});
			return created;
		} catch {
			return undefined;
		}
	};

	const arm = () => {
		if (closed) return;
		const inode = folderInode();
		if (watcher && inode === watchedInode) return;
		watcher?.close();
		watcher = undefined;
		watchedInode = inode;
		if (inode !== undefined) {
			watcher = open(folder, (name) => {
				if (closed) return;
				if (folderInode() !== watchedInode) arm();
				onChange(name);
			});
		} else {
			watcher = open(root, (name) => {
				if (closed || (name !== undefined && name !== ORBIT_FOLDER)) return;
				if (folderInode() === undefined) return;
				arm();
				onChange(undefined);
			});
		}
	};

	arm();
	return {
		check: arm,
		close() {
			closed = true;
			watcher?.close();
			watcher = undefined;
		},
	};
}
