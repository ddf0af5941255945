// File-watch trigger: how long watching a large repository takes to start, how many OS watches it
// holds, and how long an outside change takes to become a trigger (debounce included). For
// comparison, Node 20's own `fs.watch(root, { recursive: true })` on a tenth of the tree.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, watch, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent } from '../source/runtime/agent.ts';
import type { ModelClient } from '../source/runtime/model.ts';
import { createFileWatchTrigger } from '../source/runtime/triggers/file-watch.ts';
import { WatchedTree } from '../source/runtime/triggers/watched-tree.ts';
import { createPermissionPolicy } from '../source/sandbox/permission.ts';
import { percentile, round } from './stats.ts';

/** `files` files in folders of 20, three levels deep, plus ignored `node_modules` and `dist` trees. */
function generate(files: number): string {
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'orbit-bench-watch-')));
	writeFileSync(join(root, '.gitignore'), 'dist/\n');
	const tree = (base: string, count: number) => {
		for (let index = 0; index < count; index++) {
			const leaf = Math.floor(index / 20);
			const folder = join(root, base, `a${leaf % 10}`, `b${Math.floor(leaf / 10) % 10}`, `c${Math.floor(leaf / 100)}`);
			if (index % 20 === 0) mkdirSync(folder, { recursive: true });
			writeFileSync(join(folder, `f${index}.ts`), '');
		}
	};
	tree('src', files);
	tree('node_modules', files / 5);
	tree('dist', files / 10);
	return root;
}

const idleModel: ModelClient = {
	name: 'idle',
	async *stream() {
		yield { type: 'done', finishReason: 'stop' };
	},
};

export async function benchFileWatch(files = 100_000, runs = 5) {
	const root = generate(files);
	try {
		const startMs: number[] = [];
		let folders = 0;
		for (let run = 0; run < runs; run++) {
			const tree = new WatchedTree({ root, isOwn: () => false, onChange: () => {}, onProblem: (message) => console.error(message), maxFolders: 50_000 });
			const start = performance.now();
			await tree.start();
			startMs.push(performance.now() - start);
			folders = tree.size;
			tree.close();
		}

		const trigger = createFileWatchTrigger();
		const agent = new Agent({ sessionId: 'bench', root, model: idleModel, tools: [], permission: createPermissionPolicy('auto'), systemPrompt: () => 'system', triggers: [trigger] });
		let fired: (() => void) | undefined;
		agent.subscribe((event) => {
			if (event.type === 'trigger') fired?.();
		});
		agent.start();
		await trigger.ready();
		// The watcher and its timers do not keep a process alive (the host does); this bench must.
		const keepAlive = setInterval(() => {}, 1_000);
		const latencyMs: number[] = [];
		for (let run = 0; run < 10; run++) {
			const seen = new Promise<void>((resolve) => (fired = resolve));
			const start = performance.now();
			await writeFile(join(root, 'src', 'a3', 'b4', 'c0', `new-${run}.ts`), 'x');
			await seen;
			latencyMs.push(performance.now() - start);
			await agent.whenIdle();
		}
		clearInterval(keepAlive);
		await agent.stop();

		// Node's recursive mode walks and watches every file synchronously, ignored trees included.
		const small = generate(files / 10);
		const nodeStart = performance.now();
		const watcher = watch(small, { recursive: true, persistent: false });
		const nodeRecursiveMs = performance.now() - nodeStart;
		watcher.close();
		rmSync(small, { recursive: true, force: true });

		return {
			files: files + files / 5 + files / 10,
			trackedFiles: files,
			foldersWatched: folders,
			startMedianMs: round(percentile(startMs, 50)),
			changeToTriggerMs: { p50: round(percentile(latencyMs, 50)), p95: round(percentile(latencyMs, 95)), debounceMs: 300 },
			nodeRecursiveSyncStartMs: { files: (files + files / 5 + files / 10) / 10, ms: round(nodeRecursiveMs) },
		};
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(JSON.stringify(await benchFileWatch()));
