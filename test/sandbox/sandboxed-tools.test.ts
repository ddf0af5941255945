// The shell and git tools with a real bubblewrap sandbox in their context.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox, type SandboxDetection } from '../../source/sandbox/detect-sandbox.ts';
import { SANDBOX_NOTE } from '../../tools/shell.ts';
import { callTool, git, makeContext, makeRepo, makeTempDir, removeTempDirs, waitFor, type TestContext } from '../tools/tool-test-context.ts';

let detection: SandboxDetection;
beforeAll(async () => {
	detection = await detectSandbox();
});
afterEach(removeTempDirs);

const linux = process.platform === 'linux';
const insideUid = process.getuid?.() === 0 ? 65534 : process.getuid?.();

function sandboxed(root: string, options: Parameters<typeof makeContext>[1] = {}): TestContext {
	if (!detection.available) throw new Error(`no sandbox on this machine: ${detection.reason}. ${detection.fix}`);
	return { ...makeContext(root, options), sandbox: detection.sandbox } as TestContext;
}

/** Host pids whose command line contains `marker`. */
function processesWith(marker: string): number[] {
	const found: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) found.push(Number(name));
		} catch {
			// Gone meanwhile.
		}
	}
	return found.filter((pid) => pid !== process.pid);
}

function hook(root: string, path: string, body: string): void {
	mkdirSync(join(root, path, '..'), { recursive: true });
	writeFileSync(join(root, path), `#!/bin/bash\n${body}\n`);
	chmodSync(join(root, path), 0o755);
}

describe.runIf(linux)('shell in the sandbox', () => {
	it('runs in the working directory with the output and exit code, and says what the sandbox forbids when a command fails', async () => {
		const root = await makeRepo();
		const ctx = sandboxed(root);
		const ok = await callTool(ctx, 'shell', { command: 'pwd; id -u; echo err >&2' });
		expect(ok.content).toBe(`${root}\n${insideUid}\nerr\n[exit code 0]`);
		expect(ok.details).toEqual({ command: 'pwd; id -u; echo err >&2', exitCode: 0, timedOut: false, sandboxed: true });
		const failed = await callTool(ctx, 'shell', { command: 'echo x > /usr/orbit-test' });
		expect(failed.isError).toBe(true);
		expect(failed.content).toBe(`bash: line 1: /usr/orbit-test: Read-only file system\n[exit code 1]\n${SANDBOX_NOTE}`);
	});

	it('kills everything inside on abort, processes in the background and those ignoring SIGTERM too', async () => {
		const root = await makeRepo();
		const ctx = sandboxed(root);
		const marker = `9${Date.now() % 100000}.25`;
		const running = callTool(ctx, 'shell', { command: `(trap '' TERM; sleep ${marker}) & sleep ${marker} & echo started; wait` });
		await waitFor(() => processesWith(`sleep\0${marker}`).length === 2, 'both sleeps to start');
		ctx.controller.abort();
		const result = await running;
		expect(result.interrupted).toBe(true);
		await waitFor(() => processesWith(`sleep\0${marker}`).length === 0, 'the sandbox to be gone');
	});

	it('kills everything inside on timeout', async () => {
		const root = await makeRepo();
		const marker = `8${Date.now() % 100000}.5`;
		const result = await callTool(sandboxed(root), 'shell', { command: `sleep ${marker} & echo started; wait`, timeout_ms: 500 });
		expect(result.content).toBe('started\n[timed out after 500 ms; process group killed]');
		await waitFor(() => processesWith(`sleep\0${marker}`).length === 0, 'the sandbox to be gone');
	});

	it('ends background processes with the command (they live in its PID namespace)', async () => {
		const root = await makeRepo();
		const marker = `7${Date.now() % 100000}.5`;
		const result = await callTool(sandboxed(root), 'shell', { command: `sleep ${marker} >/dev/null 2>&1 & echo left` });
		expect(result.content).toBe('left\n[exit code 0]');
		await waitFor(() => processesWith(`sleep\0${marker}`).length === 0, 'the background sleep to end');
	});

	it.runIf(process.getuid?.() === 0)('as root, every process of a command lives in the pids cgroup, and Orbit stays outside it', async () => {
		const cgroup = detection.sandbox?.layout.pidsCgroup;
		if (cgroup === undefined) {
			expect(detection.processLimit).toBe('none');
			return;
		}
		const members = () => readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
		const ownCgroups = readFileSync('/proc/thread-self/cgroup', 'utf8');
		const root = await makeRepo();
		const ctx = sandboxed(root);
		// The shell tool (the direct spawn on cgroup v1), then `file args` as a git hook runs them (`sh` enters first).
		const marker = `6${Date.now() % 100000}.5`;
		const running = callTool(ctx, 'shell', { command: `sleep ${marker} & (sleep ${marker}) & wait` });
		const spawned = detection.sandbox!.wrap(`sleep ${marker}`, { cwd: root, root, network: false });
		const hook = spawn(spawned.file, spawned.args, { stdio: 'ignore', detached: true });
		await waitFor(() => processesWith(`sleep\0${marker}`).length >= 3, 'the sleeps to start');
		for (const pid of processesWith(`sleep\0${marker}`)) expect(members()).toContain(pid);
		expect(members()).not.toContain(process.pid);
		expect(readFileSync('/proc/thread-self/cgroup', 'utf8')).toBe(ownCgroups);
		ctx.controller.abort();
		process.kill(-hook.pid!, 'SIGKILL');
		await running;
		await waitFor(() => processesWith(`sleep\0${marker}`).length === 0, 'the sandboxes to be gone');
	});

	it('reads and writes the repository, and keeps its output bounded', async () => {
		const root = await makeRepo();
		const ctx = sandboxed(root);
		expect((await callTool(ctx, 'shell', { command: 'mkdir -p src && echo made > src/new.txt && cat README.md' })).content).toBe('# test\n[exit code 0]');
		expect(readFileSync(join(root, 'src/new.txt'), 'utf8')).toBe('made\n');
		const big = await callTool(ctx, 'shell', { command: 'seq 1 2000000' });
		expect(big.content.length).toBeLessThan(30_000);
		expect(big.content.endsWith('2000000\n[exit code 0]')).toBe(true);
	});
});

describe.runIf(linux)('git hooks in the sandbox', () => {
	it('git_commit runs the pre-commit hook inside: the repository writable, .git read-only, no network', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		hook(root, '.git/hooks/pre-commit', 'id -u > hook-uid\ntouch .git/planted 2>hook-git-error\n(exec 3<>/dev/tcp/127.0.0.1/9) 2>hook-net-error\nexit 0');
		writeFileSync(join(root, 'a.txt'), 'changed\n');
		const result = await callTool(sandboxed(root), 'git_commit', { message: 'change a', paths: ['a.txt'] });
		expect(result.content).toMatch(/^Committed [0-9a-f]{7} on main: change a/);
		expect(readFileSync(join(root, 'hook-uid'), 'utf8').trim()).toBe(String(insideUid));
		expect(readFileSync(join(root, 'hook-git-error'), 'utf8')).toMatch(/Read-only file system/);
		expect(readFileSync(join(root, 'hook-net-error'), 'utf8')).toMatch(/Connection refused|Network is unreachable/);
		expect(existsSync(join(root, '.git/planted'))).toBe(false);
	});

	it('a hook the model wrote in a core.hooksPath folder of the repository cannot leave the sandbox, and its failure stops the commit', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		const outside = await makeTempDir('orbit-outside-');
		git(root, 'config', 'core.hooksPath', '.husky');
		hook(root, '.husky/pre-commit', `echo planted > ${outside}/from-hook || exit 1\necho "#!/bin/sh" > .git/hooks/post-checkout || exit 1`);
		writeFileSync(join(root, 'a.txt'), 'changed\n');
		const result = await callTool(sandboxed(root), 'git_commit', { message: 'change a' });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/^git commit failed: .*(No such file or directory|Read-only file system)/s);
		expect(readdirSync(outside)).toEqual([]);
		expect(git(root, 'log', '--format=%s')).toBe('initial\n');
	});

	it('commit-msg gets its argument; a hook outside the repository runs inside too', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		const hooks = await makeTempDir('orbit-global-hooks-');
		git(root, 'config', 'core.hooksPath', hooks);
		writeFileSync(join(hooks, 'commit-msg'), '#!/bin/sh\ncp "$1" seen-message\nid -u > seen-uid\n');
		chmodSync(join(hooks, 'commit-msg'), 0o755);
		writeFileSync(join(root, 'a.txt'), 'changed\n');
		const result = await callTool(sandboxed(root), 'git_commit', { message: 'hello hooks', paths: ['a.txt'] });
		expect(result.isError).toBe(false);
		expect(readFileSync(join(root, 'seen-message'), 'utf8')).toMatch(/^hello hooks/);
		expect(readFileSync(join(root, 'seen-uid'), 'utf8').trim()).toBe(String(insideUid));
	});

	it('a nested repository the model made cannot run its fsmonitor through git_status or git_commit', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		const outside = await makeTempDir('orbit-outside-');
		const marker = join(outside, 'fsmonitor-ran');
		const ctx = sandboxed(root);
		const made = await callTool(ctx, 'shell', {
			command: `git init -q sub && cd sub && git -c user.name=m -c user.email=m@m commit -q --allow-empty -m s && git config core.fsmonitor 'touch ${marker}; false' && echo x > f`,
		});
		expect(made.content).toBe('(no output)\n[exit code 0]');
		await callTool(ctx, 'git_commit', { message: 'add sub' });
		writeFileSync(join(root, 'sub', 'f'), 'changed\n');
		await callTool(ctx, 'git_status', {});
		await callTool(ctx, 'git_diff', {});
		expect(existsSync(marker)).toBe(false);
	});

	it('a repository without hooks commits as usual', async () => {
		const root = await makeRepo({ 'a.txt': 'a\n' });
		writeFileSync(join(root, 'b.txt'), 'b\n');
		const result = await callTool(sandboxed(root), 'git_commit', { message: 'add b' });
		expect(result.content).toMatch(/^Committed [0-9a-f]{7} on main: add b\n/);
	});
});
