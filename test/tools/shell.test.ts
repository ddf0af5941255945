import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOOL_OUTPUT_CHARS } from '../../source/runtime/tool.ts';
import { HeadTailBuffer } from '../../tools/head-tail-buffer.ts';
import { callTool, isAlive, makeContext, makeTempDir, removeTempDirs, waitFor } from './tool-test-context.ts';

const started: number[] = [];

afterEach(async () => {
	for (const pid of started.splice(0)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Already gone, as the tests expect.
		}
	}
	await removeTempDirs();
});

function readPid(file: string): number {
	const pid = Number(readFileSync(file, 'utf8').trim());
	started.push(pid);
	return pid;
}

describe('shell', () => {
	it('returns the output and the exit code, stdout and stderr in order', async () => {
		const root = await makeTempDir();
		const ctx = makeContext(root);
		const ok = await callTool(ctx, 'shell', { command: 'echo one; echo two >&2; echo three; pwd' });
		expect(ok.isError).toBe(false);
		expect(ok.content).toBe(`one\ntwo\nthree\n${root}\n[exit code 0]`);
		expect(ok.details).toEqual({ command: 'echo one; echo two >&2; echo three; pwd', exitCode: 0, timedOut: false });
		const failed = await callTool(ctx, 'shell', { command: 'echo nope >&2; exit 3' });
		expect(failed.isError).toBe(true);
		expect(failed.content).toBe('nope\n[exit code 3]');
		const silent = await callTool(ctx, 'shell', { command: 'true' });
		expect(silent.content).toBe('(no output)\n[exit code 0]');
	});

	it('reports a syntax error like any failure', async () => {
		const root = await makeTempDir();
		const result = await callTool(makeContext(root), 'shell', { command: 'if then' });
		expect(result.content).toMatch(/syntax error near unexpected token `then'[\s\S]*\n\[exit code 2\]$/);
	});

	it('runs with stdin closed, in ctx.cwd', async () => {
		const root = await makeTempDir();
		const ctx = makeContext(root, { cwd: root });
		const result = await callTool(ctx, 'shell', { command: 'cat; echo "read: $?"' });
		expect(result.content).toBe('read: 0\n[exit code 0]');
	});

	it('does not show API keys or tokens from the environment', async () => {
		const root = await makeTempDir();
		const ctx = makeContext(root, {
			env: { ...process.env, OPENAI_API_KEY: 'sk-should-not-leak-0000000000', GITHUB_TOKEN: 'ghp_should_not_leak', VISIBLE_SETTING: 'yes' },
		});
		const result = await callTool(ctx, 'shell', { command: 'env' });
		expect(result.content).not.toContain('OPENAI_API_KEY');
		expect(result.content).not.toContain('GITHUB_TOKEN');
		expect(result.content).not.toContain('should-not-leak');
		expect(result.content).toContain('VISIBLE_SETTING=yes');
		expect(result.content).toMatch(/^ORBIT=1$/m);
	});

	it('kills the whole process group on timeout', async () => {
		const root = await makeTempDir();
		const pidFile = join(root, 'pid');
		const startedAt = Date.now();
		const result = await callTool(makeContext(root), 'shell', { command: `sleep 1000 & echo $! > ${pidFile}; echo started; wait`, timeout_ms: 500 });
		expect(Date.now() - startedAt).toBeLessThan(20_000);
		expect(result.isError).toBe(true);
		expect(result.content).toBe('started\n[timed out after 500 ms; process group killed]');
		expect(result.details).toMatchObject({ timedOut: true, exitCode: null });
		const grandchild = readPid(pidFile);
		await waitFor(() => !isAlive(grandchild), `grandchild ${grandchild} to die`);
	});

	it('kills the whole process group on abort, grandchildren included, and returns promptly', async () => {
		const root = await makeTempDir();
		const pidFile = join(root, 'pid');
		const ctx = makeContext(root);
		const running = callTool(ctx, 'shell', { command: `sleep 1000 & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; sleep 1000` });
		await waitFor(() => existsSync(pidFile), 'the command to start its grandchild');
		const grandchild = readPid(pidFile);
		expect(isAlive(grandchild)).toBe(true);
		const abortedAt = Date.now();
		ctx.controller.abort();
		const result = await running;
		expect(Date.now() - abortedAt).toBeLessThan(20_000);
		expect(result.interrupted).toBe(true);
		expect(result.content).toContain('[interrupted; process group killed]');
		await waitFor(() => !isAlive(grandchild), `grandchild ${grandchild} to die`);
	});

	it('kills a group that ignores SIGTERM with SIGKILL after the grace period', async () => {
		const root = await makeTempDir();
		const pidFile = join(root, 'pid');
		const ctx = makeContext(root);
		const running = callTool(ctx, 'shell', { command: `trap '' TERM; (trap '' TERM; sleep 1000) & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait` });
		await waitFor(() => existsSync(pidFile), 'the command to start its grandchild');
		const grandchild = readPid(pidFile);
		ctx.controller.abort();
		const result = await running;
		expect(result.interrupted).toBe(true);
		await waitFor(() => !isAlive(grandchild), `grandchild ${grandchild} to die`);
	});

	it('keeps the output of a command printing many megabytes bounded, with the end and a marker', async () => {
		const root = await makeTempDir();
		const result = await callTool(makeContext(root), 'shell', { command: 'seq 1 3000000; echo the-end >&2' });
		expect(result.isError).toBe(false);
		expect(result.content.length).toBeLessThan(MAX_TOOL_OUTPUT_CHARS);
		expect(result.content).not.toContain('[output truncated');
		expect(result.content.startsWith('1\n2\n3\n')).toBe(true);
		expect(result.content).toMatch(/\n\[… \d+ bytes of output omitted …\]\n/);
		expect(result.content.endsWith('2999999\n3000000\nthe-end\n[exit code 0]')).toBe(true);
	});
});

describe('HeadTailBuffer', () => {
	it('keeps only the head and the tail of 100 MB, and counts the rest', () => {
		const buffer = new HeadTailBuffer(1024, 1024);
		const chunk = Buffer.alloc(64 * 1024, 'a');
		for (let index = 0; index < 1600; index += 1) buffer.push(chunk);
		buffer.push(Buffer.from('END'));
		const { head, tail, droppedBytes } = buffer.read();
		expect(head).toHaveLength(1024);
		expect(tail).toHaveLength(1024);
		expect(tail.endsWith('aEND')).toBe(true);
		expect(droppedBytes).toBe(1600 * 64 * 1024 + 3 - 2048);
		expect((buffer as unknown as { tail: Buffer[] }).tail.length).toBeLessThanOrEqual(2);
	});
});
