import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary folder (a real path) holding `files`; a value `{ link }` makes a symbolic link to that target. */
export function makeTree(files: Record<string, string | { link: string }>, prefix = 'orbit-context-'): string {
	const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
	writeTree(root, files);
	return root;
}

export function writeTree(root: string, files: Record<string, string | { link: string }>): void {
	for (const [path, content] of Object.entries(files)) {
		const abs = join(root, path);
		mkdirSync(dirname(abs), { recursive: true });
		if (typeof content === 'string') writeFileSync(abs, content);
		else symlinkSync(content.link, abs);
	}
}

/** Temporary folders made in a test, removed by `cleanUp`. */
export function folders() {
	const made: string[] = [];
	return {
		make(files: Record<string, string | { link: string }> = {}): string {
			const root = makeTree(files);
			made.push(root);
			return root;
		},
		cleanUp(): void {
			for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
		},
	};
}
