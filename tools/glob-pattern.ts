import { isAbsolute, relative, sep } from 'node:path';
import picomatch from 'picomatch';

/**
 * A matcher for repository-relative paths. As in .gitignore and ripgrep, a pattern without `/`
 * matches file names at any depth; one with `/` matches from the root. Dotfiles match; a leading
 * `./`, or an absolute prefix equal to `root`, is dropped. Throws on a pattern picomatch rejects.
 */
export function globMatcher(pattern: string, root: string): (path: string) => boolean {
	let normalized = pattern.trim();
	if (isAbsolute(normalized)) {
		const inside = relative(root, normalized);
		if (!inside.startsWith('..') && !isAbsolute(inside)) normalized = inside.split(sep).join('/');
	}
	while (normalized.startsWith('./')) normalized = normalized.slice(2);
	const isMatch = picomatch(normalized, { dot: true, basename: !normalized.includes('/') });
	return (path) => isMatch(path);
}
