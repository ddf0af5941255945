import { afterEach, describe, expect, it } from 'vitest';
import { callTool, makeContext, makeTempDir, removeTempDirs, writeFiles } from './tool-test-context.ts';

afterEach(removeTempDirs);

describe('built-in tools through executeToolCall', () => {
	it('malformed JSON arguments give an error result, not a throw', async () => {
		const ctx = makeContext(await makeTempDir());
		const result = await callTool(ctx, 'read_file', '{"path": "a.txt"');
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/^Invalid JSON in the arguments of read_file/);
	});

	it('wrong types and missing arguments give error results naming the field', async () => {
		const ctx = makeContext(await makeTempDir());
		const cases: Array<[string, unknown, RegExp]> = [
			['read_file', { path: 5 }, /path/],
			['read_file', { path: 'a', offset: 0 }, /offset/],
			['read_file', { path: 'a', offset: 1.5 }, /offset: must be a whole number/],
			['read_file', { path: 'a', limit: 5000 }, /limit/],
			['write_file', { path: 'a' }, /content/],
			['edit_file', { path: 'a', old_string: 'x', new_string: 'y', replace_all: 'yes' }, /replace_all/],
			['shell', { command: 'true', timeout_ms: 10_000_000 }, /timeout_ms/],
			['shell', {}, /command/],
			['git_commit', { message: 'x', paths: 'a.txt' }, /paths/],
			['git_log', { limit: -1 }, /limit/],
		];
		for (const [name, args, problem] of cases) {
			const result = await callTool(ctx, name, args);
			expect(result.isError, name).toBe(true);
			expect(result.content, name).toMatch(new RegExp(`^Invalid arguments for ${name}: `));
			expect(result.content, name).toMatch(problem);
		}
	});

	it('an empty argument string counts as {} for tools without required arguments', async () => {
		const ctx = makeContext(await makeTempDir());
		const result = await callTool(ctx, 'plan_read', '');
		expect(result).toMatchObject({ isError: false, content: '(no plan)' });
	});

	it('an unknown tool lists the available ones', async () => {
		const ctx = makeContext(await makeTempDir());
		const result = await callTool(ctx, 'rm_rf', {});
		expect(result.isError).toBe(true);
		expect(result.content).toContain('read_file');
	});

	it('a call made after the interrupt does not run', async () => {
		const root = await makeTempDir();
		await writeFiles(root, { 'a.txt': 'a\n' });
		const ctx = makeContext(root);
		ctx.controller.abort();
		const result = await callTool(ctx, 'write_file', { path: 'b.txt', content: 'b' });
		expect(result).toMatchObject({ isError: true, interrupted: true });
	});
});
