// Checkpoints: what snapshotting the working tree costs before the agent's first change in a turn,
// and after the turn, on a medium repository (5,000 tracked files in 250 folders, ~10 MB, plus 200
// untracked files); and what undoing one turn costs. `git status` on the same tree for comparison.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCheckpointer } from '../source/session/checkpoint.ts';
import { undoTurn } from '../source/session/undo.ts';
import { percentile, round } from './stats.ts';

function generate(files: number): string {
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'orbit-bench-checkpoint-')));
	const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
	git('init', '-q', '-b', 'main');
	const body = 'export const value = 1;\n'.repeat(80);
	for (let index = 0; index < files; index++) {
		const folder = join(root, 'src', `m${index % 25}`, `p${Math.floor(index / 25) % 10}`);
		if (index < 250) mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, `f${index}.ts`), `// ${index}\n${body}`);
	}
	git('add', '-A');
	git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '-m', 'initial');
	mkdirSync(join(root, 'scratch'));
	for (let index = 0; index < 200; index++) writeFileSync(join(root, 'scratch', `u${index}.txt`), `untracked ${index}\n`);
	return root;
}

const time = async (work: () => Promise<unknown>): Promise<number> => {
	const start = performance.now();
	await work();
	return performance.now() - start;
};

export async function benchCheckpoint(files = 5_000, turns = 20) {
	const root = generate(files);
	try {
		const status = await time(async () => execFileSync('git', ['status', '--porcelain'], { cwd: root, stdio: 'pipe' }));
		const checkpointer = createCheckpointer({ root, sessionId: 'bench' });
		const firstBefore = await time(() => checkpointer.beforeChange(1));
		writeFileSync(join(root, 'src/m0/p0/f0.ts'), 'changed 1\n');
		const firstAfter = await time(() => checkpointer.afterTurn(1));
		const before: number[] = [];
		const after: number[] = [];
		for (let turn = 2; turn <= turns + 1; turn++) {
			before.push(await time(() => checkpointer.beforeChange(turn)));
			writeFileSync(join(root, `src/m${turn % 25}/p0/f${turn % 25}.ts`), `changed ${turn}\n`);
			writeFileSync(join(root, `scratch/new${turn}.txt`), 'new\n');
			after.push(await time(() => checkpointer.afterTurn(turn)));
		}
		await checkpointer.dispose();
		const undo = await time(() => undoTurn({ root }));
		return {
			files,
			gitStatusMs: round(status),
			firstBeforeChangeMs: round(firstBefore),
			firstAfterTurnMs: round(firstAfter),
			beforeChangeMs: { p50: round(percentile(before, 50)), p95: round(percentile(before, 95)) },
			afterTurnMs: { p50: round(percentile(after, 50)), p95: round(percentile(after, 95)) },
			undoMs: round(undo),
		};
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(JSON.stringify(await benchCheckpoint()));
