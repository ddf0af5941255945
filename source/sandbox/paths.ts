import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface ResolveOptions {
	/** The path will be written: anything inside a `.git` folder is refused as well. */
	forWrite?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves a path given by the model (relative to `root`, or absolute inside `root`) to the absolute
 * real path it designates. Symbolic links are followed on every existing part of the path; for a file
 * that does not exist yet, its nearest existing ancestor decides. Throws an `Error` whose message the
 * model can act on when the path leaves the repository by `..`, by an absolute path or through a
 * symbolic link, or (with `forWrite`) when it points into a `.git` folder. Never touches the disk
 * beyond `lstat`, `readlink` and `realpath`.
 */
export function resolveInsideRoot(root: string, path: string, options: ResolveOptions = {}): string {
	if (path.includes('\0')) throw new Error(`The path ${JSON.stringify(path)} contains a NUL character.`);
	const realRoot = realOrResolved(root);
	const requested = isAbsolute(path) ? resolve(path) : resolve(realRoot, path);
	if (!isInside(realRoot, requested) && !isInside(resolve(root), requested)) {
		throw new Error(
			`The path ${JSON.stringify(path)} is outside the repository; file tools only work inside ${realRoot}. Use a path relative to the repository root.`,
		);
	}
	const real = realPathLenient(requested, 0);
	if (!isInside(realRoot, real)) {
		throw new Error(
			`The path ${JSON.stringify(path)} leads outside the repository through a symbolic link; file tools only work inside ${realRoot}.`,
		);
	}
	if (options.forWrite && relative(realRoot, real).split(sep).some((part) => part.toLowerCase() === '.git')) {
		throw new Error(`The path ${JSON.stringify(path)} is inside a .git folder, which file tools never write. Use the git_* tools instead.`);
	}
	return real;
}

/** The path of `abs` relative to `root`, with `/` separators; `.` for the root itself. Never throws. */
export function relativeToRoot(root: string, abs: string): string {
	const realRoot = realOrResolved(root);
	const base = isInside(realRoot, abs) ? realRoot : resolve(root);
	const rel = relative(base, abs);
	return rel === '' ? '.' : rel.split(sep).join('/');
}

function realOrResolved(root: string): string {
	try {
		return realpathSync(root);
	} catch {
		return resolve(root);
	}
}

function isInside(root: string, abs: string): boolean {
	return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * `realpath` that also works for paths that do not exist yet: the missing tail is joined to the real
 * path of the nearest existing ancestor, and dangling symbolic links are followed by hand.
 */
function realPathLenient(abs: string, hops: number): string {
	if (hops > MAX_SYMLINK_HOPS) throw new Error(`Too many symbolic links while resolving ${abs}.`);
	try {
		return realpathSync(abs);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
	}
	const parent = dirname(abs);
	if (parent === abs) return abs;
	const realParent = realPathLenient(parent, hops);
	const here = join(realParent, basename(abs));
	let isLink = false;
	try {
		isLink = lstatSync(here).isSymbolicLink();
	} catch {
		// Does not exist: the real parent decides.
	}
	if (!isLink) return here;
	return realPathLenient(resolve(realParent, readlinkSync(here)), hops + 1);
}
