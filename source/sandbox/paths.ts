import { lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';

export interface ResolveOptions {
	/** The path will be written: anything inside a `.git` folder is refused as well. */
	forWrite?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Kernel pseudo-filesystems. Their magic links (`/proc/<pid>/root`, `/proc/self/cwd`, `/proc/self/fd/N`)
 * read as ordinary paths but open something else (another mount namespace, an open pipe, a deleted
 * file), so a path whose resolution passes through them is refused even when it seems to end inside.
 */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys'];

/**
 * Resolves a path given by the model (relative to `root`, or absolute inside `root`) to the absolute
 * real path it designates. The path itself is normalised first (`a/../b` is `b`); then symbolic
 * links are followed on every existing part, physically; for a file that does not exist yet, its
 * nearest existing ancestor decides. Throws an `Error` whose message the model can act on when the
 * path leaves the repository (by `..`, by an absolute path or through a symbolic link), passes
 * through `/proc` or `/sys` (`/proc/self/root/…`, a link to `/proc/1/cwd`), names something that is
 * not a file or a folder (a device, a FIFO, a socket), or (with `forWrite`) points into a `.git`
 * folder. Reading inside `.git` is allowed (refs, logs and hooks are what the git tools show anyway;
 * `.git/config`, which can hold a token in a remote URL, is a secret path: see `isSecretPath`).
 * Touches the disk only with `lstat`, `stat`, `readlink` and `realpath`.
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
	const walk = new Walk(path, realRoot);
	const real = isInside(realRoot, requested)
		? walk.follow(realRoot, relative(realRoot, requested).split(sep))
		: walk.follow(parse(requested).root, requested.split(sep));
	if (!isInside(realRoot, real)) {
		throw new Error(
			`The path ${JSON.stringify(path)} leads outside the repository through a symbolic link; file tools only work inside ${realRoot}.`,
		);
	}
	if (options.forWrite && relative(realRoot, real).split(sep).some((part) => part.toLowerCase() === '.git')) {
		throw new Error(`The path ${JSON.stringify(path)} is inside a .git folder, which file tools never write. Use the git_* tools instead.`);
	}
	refuseSpecialFile(path, real);
	return real;
}

/** The path of `abs` relative to `root`, with `/` separators; `.` for the root itself. Never throws. */
export function relativeToRoot(root: string, abs: string): string {
	const realRoot = realOrResolved(root);
	const base = isInside(realRoot, abs) ? realRoot : resolve(root);
	const rel = relative(base, abs);
	return rel === '' ? '.' : rel.split(sep).join('/');
}

/** Folders whose every file is a credential store. */
const SECRET_FOLDERS = new Set(['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker']);

/** Exact file names that hold credentials. */
const SECRET_NAMES = new Set([
	'.env',
	'.envrc',
	'.npmrc',
	'.yarnrc.yml',
	'.pypirc',
	'.netrc',
	'_netrc',
	'.pgpass',
	'.git-credentials',
	'.htpasswd',
	'.dockercfg',
	'credentials',
	'credentials.json',
	'credentials.yml',
	'credentials.yaml',
	'secrets.json',
	'secrets.yml',
	'secrets.yaml',
	'service-account.json',
	'id_rsa',
	'id_dsa',
	'id_ecdsa',
	'id_ed25519',
]);

/** Name shapes that hold credentials: `.env.local`, private keys and key stores, SSH keys with a suffix. */
const SECRET_SHAPES = [
	/^\.env\..+$/,
	/\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk)$/,
	/^id_(rsa|dsa|ecdsa|ed25519)(_.+)?$/,
	/\.credentials$/,
	/^service-account.*\.json$/,
];

/** Shapes that look secret but are templates or public halves, meant to be read. */
const NOT_SECRET = [/^\.env\.(example|sample|template|dist|defaults)$/, /\.pub$/];

/**
 * Whether a repository-relative path looks like it holds a secret, so reading it needs the user's
 * approval: `.env` and `.env.*` (not `.env.example` and other templates), private keys and key
 * stores (`*.pem`, `*.key`, `*.p12`, `id_rsa*` but not `*.pub`), package-manager and network
 * credentials (`.npmrc`, `.netrc`, `.pypirc`, `.git-credentials`, `credentials*`), anything in `.ssh`,
 * `.aws`, `.gnupg`…, and `.git/config` (a remote URL may carry a token). Case-insensitive; `/` or the
 * platform separator. Pure: never touches the disk, never throws.
 */
export function isSecretPath(relPath: string): boolean {
	const parts = relPath.split(/[\\/]+/).filter((part) => part !== '' && part !== '.').map((part) => part.toLowerCase());
	const name = parts.at(-1);
	if (name === undefined) return false;
	if (parts.slice(0, -1).some((part) => SECRET_FOLDERS.has(part))) return true;
	if (name === 'config' && parts.includes('.git')) return true;
	if (NOT_SECRET.some((shape) => shape.test(name))) return false;
	return SECRET_NAMES.has(name) || SECRET_SHAPES.some((shape) => shape.test(name));
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

function isMissing(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException).code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Physical path resolution (as `realpath(3)`), one component at a time, so that every symbolic link
 * on the way can be checked: `..` in a link's target applies to the real folder, and a walk that
 * enters a pseudo-filesystem stops. A missing component ends the walk; the rest is joined as written.
 */
class Walk {
	private hops = 0;
	private readonly pseudo: string[];

	constructor(
		private readonly original: string,
		realRoot: string,
	) {
		// A repository that itself lives under /proc (who would?) may still be used.
		this.pseudo = PSEUDO_FILESYSTEMS.filter((folder) => !isInside(folder, realRoot));
	}

	/** Resolves `parts` starting from the real folder `start`. */
	follow(start: string, parts: string[]): string {
		let current = start;
		for (let index = 0; index < parts.length; index++) {
			const part = parts[index]!;
			if (part === '' || part === '.') continue;
			if (part === '..') {
				current = dirname(current);
				continue;
			}
			const next = join(current, part);
			let stat: Stats;
			try {
				stat = lstatSync(next);
			} catch (error) {
				if (!isMissing(error)) throw error;
				return resolve(next, ...parts.slice(index + 1));
			}
			if (stat.isSymbolicLink()) {
				this.hops += 1;
				if (this.hops > MAX_SYMLINK_HOPS) throw new Error(`Too many symbolic links while resolving ${JSON.stringify(this.original)}.`);
				const target = readlinkSync(next);
				current = isAbsolute(target) ? this.follow(parse(target).root, target.split(sep)) : this.follow(current, target.split(sep));
			} else {
				current = next;
			}
			this.refusePseudo(current);
		}
		return current;
	}

	private refusePseudo(current: string): void {
		const folder = this.pseudo.find((candidate) => isInside(candidate, current));
		if (folder === undefined) return;
		throw new Error(
			`The path ${JSON.stringify(this.original)} leads into ${folder} through a symbolic link; file tools never follow links into ${folder}. Use a plain path inside the repository.`,
		);
	}
}

/** Refuses devices, FIFOs and sockets: reading one can block forever or touch hardware. Missing paths pass. */
function refuseSpecialFile(path: string, real: string): void {
	let stat: Stats;
	try {
		stat = statSync(real);
	} catch {
		return;
	}
	const kind = stat.isCharacterDevice()
		? 'a character device'
		: stat.isBlockDevice()
			? 'a block device'
			: stat.isFIFO()
				? 'a FIFO (named pipe)'
				: stat.isSocket()
					? 'a socket'
					: undefined;
	if (kind === undefined) return;
	throw new Error(`The path ${JSON.stringify(path)} (${basename(real)}) is ${kind}; file tools only read and write regular files and folders.`);
}
