import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { sessionLogPath } from './event-log.ts';

/**
 * Which log `idOrPath` names, for `orbit replay` and `orbit export`: a path (it ends in `.jsonl`,
 * holds a path separator, or names an existing file) resolved against `cwd` — or, when no such file
 * is there and the path is relative, the same path under `shipped` if it exists there (so
 * `orbit replay examples/refactor-session.jsonl` works from any folder); else the session id's
 * log, `<root>/.orbit/sessions/<id>.jsonl`. Does not check that the result exists.
 */
export function resolveSessionLog(idOrPath: string, cwd: string, root: string, shipped?: string): string {
	const asPath = resolve(cwd, idOrPath);
	if (existsSync(asPath)) return asPath;
	if (!(idOrPath.endsWith('.jsonl') || /[/\\]/.test(idOrPath) || isAbsolute(idOrPath))) return sessionLogPath(root, idOrPath);
	if (shipped !== undefined && !isAbsolute(idOrPath) && existsSync(resolve(shipped, idOrPath))) return resolve(shipped, idOrPath);
	return asPath;
}
