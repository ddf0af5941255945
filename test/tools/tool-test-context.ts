import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Plan } from '../../source/runtime/plan.ts';
import { executeToolCall, type PermissionPolicy, type ToolCallOutcome, type ToolContext } from '../../source/runtime/tool.ts';
import { childEnvironment } from '../../source/sandbox/env.ts';
import { createBuiltinTools } from '../../tools/index.ts';

/** A ToolContext whose side effects are recorded for assertions. */
export interface TestContext extends ToolContext {
	controller: AbortController;
	plan: Plan;
	said: string[];
	touchedPaths: string[];
}

export function makeContext(root: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): TestContext {
	const controller = new AbortController();
	const ctx: TestContext = {
		root,
		cwd: options.cwd ?? root,
		signal: controller.signal,
		env: childEnvironment(options.env ?? process.env),
		controller,
		plan: { steps: [] },
		said: [],
		touchedPaths: [],
		getPlan: () => ctx.plan,
		setPlan: (plan) => {
			ctx.plan = plan;
		},
		say: (text) => {
			ctx.said.push(text);
		},
		touched: (path) => {
			ctx.touchedPaths.push(path);
		},
	};
	return ctx;
}

export const allowEverything: PermissionPolicy = { mode: 'auto', check: async () => ({ allow: true }) };

const tools = new Map(createBuiltinTools().map((tool) => [tool.name, tool]));

/** Runs a built-in tool the way the loop does: JSON arguments through `executeToolCall`. */
export function callTool(ctx: ToolContext, name: string, args: unknown): Promise<ToolCallOutcome> {
	const json = typeof args === 'string' ? args : JSON.stringify(args);
	return executeToolCall(tools, { id: 'call-1', type: 'function', function: { name, arguments: json } }, ctx, allowEverything);
}

const tempDirs: string[] = [];

/** A fresh temporary folder (its real path), removed by `removeTempDirs`. */
export async function makeTempDir(prefix = 'orbit-tools-'): Promise<string> {
	const dir = realpathSync(await mkdtemp(join(tmpdir(), prefix)));
	tempDirs.push(dir);
	return dir;
}

export async function removeTempDirs(): Promise<void> {
	await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function git(root: string, ...args: string[]): string {
	return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A real git repository with an identity configured and, unless `files` is empty, a first commit. */
export async function makeRepo(files: Record<string, string | Buffer> = { 'README.md': '# test\n' }): Promise<string> {
	const root = await makeTempDir('orbit-repo-');
	git(root, 'init', '-q', '-b', 'main');
	git(root, 'config', 'user.name', 'Test User');
	git(root, 'config', 'user.email', 'test@example.com');
	git(root, 'config', 'commit.gpgsign', 'false');
	await writeFiles(root, files);
	if (Object.keys(files).length > 0) {
		git(root, 'add', '-A');
		git(root, 'commit', '-q', '-m', 'initial');
	}
	return root;
}

export async function writeFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
	for (const [path, content] of Object.entries(files)) {
		await mkdir(dirname(join(root, path)), { recursive: true });
		await writeFile(join(root, path), content);
	}
}

/** Polls `condition` until it holds; throws when `timeoutMs` passes first. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Whether a process exists and is not a zombie waiting to be reaped (PID 1 in a container may never reap). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
		throw error;
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}
