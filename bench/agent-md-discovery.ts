// (i) AGENT.md discovery at start-up in a generated repository of 100,000 files: `findRoot` and
// `createProjectContext` from a working directory five folders deep, with the global file, the
// root → cwd chain and imports, to the system-prompt sections. The point is that start-up looks
// only at the folders from the root to the cwd and never walks the tree: the fs calls are counted
// (no `readdir` at all), and a full walk of the same tree is timed for comparison.
import fs, { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRoot } from '../source/config.ts';
import { createProjectContext } from '../source/context/agent-files.ts';
import { percentile, round } from './stats.ts';

const BRANCHING = 5;
const DEPTH = 5;
const FILES_PER_LEAF = 32; // 5^5 leaf folders × 32 = 100,000 files

/** Writes the repository; returns the root (a real path) and how many files it holds. */
function generateRepository(): { root: string; global: string; files: number; folders: number } {
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'orbit-bench-agent-md-')));
	const global = join(root, '..', `${root.split('/').at(-1)}-config`);
	mkdirSync(global);
	writeFileSync(join(global, 'AGENT.md'), '# Mine\nAnswer briefly.\n');
	mkdirSync(join(root, '.git'));
	let files = 0;
	let folders = 0;
	const fill = (folder: string, depth: number) => {
		mkdirSync(folder, { recursive: true });
		folders += 1;
		if (depth === DEPTH) {
			for (let index = 0; index < FILES_PER_LEAF; index++) writeFileSync(join(folder, `file-${index}.ts`), `export const value${index} = ${index};\n`);
			files += FILES_PER_LEAF;
			return;
		}
		for (let branch = 0; branch < BRANCHING; branch++) fill(join(folder, `d${branch}`), depth + 1);
	};
	fill(root, 0);
	// A few AGENT.md files: on the chain to the cwd (d0/d0/d0/d0/d0), beside it, and deep in other branches.
	const agentFiles: Record<string, string> = {
		'AGENT.md': '# Project\nRun the tests with npm test.\nStyle: @docs/style.md\n',
		'docs/style.md': 'Tabs, kebab-case file names.\n',
		'd0/AGENT.md': '# Package d0\nNo default exports.\n',
		'd0/d0/d0/AGENTS.md': '# Inner\nKeep functions small.\n',
		'd0/d0/d0/d0/d0/AGENT.md': '# Leaf\nThese files are generated.\n',
		'd1/AGENT.md': '# Sibling package\n',
		'd4/d4/d4/AGENT.md': '# Far away\n',
		'd2/d3/d1/d0/d4/AGENTS.md': '# Deepest elsewhere\n',
	};
	for (const [path, text] of Object.entries(agentFiles)) {
		if (mkdirSync(join(root, path, '..'), { recursive: true }) !== undefined) folders += 1;
		writeFileSync(join(root, path), text);
		files += 1;
	}
	return { root, global, files, folders };
}

/** Counts the calls of the sync fs functions discovery could use while `run` runs. */
function countFsCalls(run: () => void): Record<string, number> {
	const names = ['statSync', 'lstatSync', 'openSync', 'readSync', 'readFileSync', 'readdirSync', 'opendirSync', 'realpathSync', 'readlinkSync', 'existsSync'] as const;
	const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
	const originals = names.map((name) => target[name]!);
	const counts: Record<string, number> = {};
	names.forEach((name, index) => {
		counts[name] = 0;
		const original = originals[index]!;
		target[name] = function (this: unknown, ...args: unknown[]) {
			counts[name]! += 1;
			return original.apply(this, args);
		};
	});
	syncBuiltinESMExports();
	try {
		run();
	} finally {
		names.forEach((name, index) => {
			target[name] = originals[index]!;
		});
		syncBuiltinESMExports();
	}
	return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
}

/** What scanning the tree for AGENT.md files would cost (the thing discovery avoids). */
function walkTree(folder: string): number {
	let found = 0;
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		if (entry.isDirectory()) found += entry.name === '.git' ? 0 : walkTree(join(folder, entry.name));
		else if (entry.name === 'AGENT.md' || entry.name === 'AGENTS.md') found += 1;
	}
	return found;
}

export async function benchAgentMdDiscovery(runs = 50) {
	const generationStart = performance.now();
	const { root, global, files, folders } = generateRepository();
	const generationMs = performance.now() - generationStart;
	const cwd = join(root, 'd0/d0/d0/d0/d0');
	try {
		const start = () => {
			const found = findRoot(cwd);
			const project = createProjectContext({ root: found.root, cwd: found.cwd, globalDir: global });
			return { project, sections: project.sections() };
		};
		const coldStart = performance.now();
		const first = start();
		const coldMs = performance.now() - coldStart;
		const startup: number[] = [];
		for (let run = 0; run < runs + 5; run += 1) {
			const began = performance.now();
			start();
			if (run >= 5) startup.push(performance.now() - began);
		}
		const touch: number[] = [];
		for (let run = 0; run < runs; run += 1) {
			const { project } = start();
			const began = performance.now();
			project.loadFor('d2/d3/d1/d0/d4/file-7.ts', 'read_file');
			touch.push(performance.now() - began);
		}
		const fsCalls = countFsCalls(() => void start());
		const walk: number[] = [];
		let walkFound = 0;
		for (let run = 0; run < 3; run += 1) {
			const began = performance.now();
			walkFound = walkTree(root);
			walk.push(performance.now() - began);
		}
		return {
			files,
			folders,
			generationS: round(generationMs / 1000, 1),
			cwdDepth: DEPTH,
			runs,
			// The first start-up in the process (cold caches of the module code, not of the disk).
			coldStartupMs: round(coldMs, 3),
			startupMedianMs: round(percentile(startup, 50), 3),
			startupP95Ms: round(percentile(startup, 95), 3),
			loadedAtStart: first.project.files().map((file) => file.path),
			sectionBytes: first.project.usedBytes(),
			fsCallsAtStart: fsCalls,
			firstTouchMedianMs: round(percentile(touch, 50), 3),
			fullWalkMedianMs: round(percentile(walk, 50), 1),
			fullWalkFound: walkFound,
			targetMs: 50,
		};
	} finally {
		rmSync(root, { recursive: true, force: true });
		rmSync(global, { recursive: true, force: true });
	}
}
