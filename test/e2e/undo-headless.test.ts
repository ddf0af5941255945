import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

describe('orbit undo (real binary)', () => {
	it('restores what a headless run changed, leaving HEAD, branches and the staged change alone', async () => {
		const root = createRepo({ 'src/math.js': 'export const add = (a, b) => a + b;\n', 'notes.md': 'notes\n', 'staged.txt': 'v1\n' });
		execFileSync('sh', ['-c', 'echo v2 > staged.txt && git add staged.txt'], { cwd: root });
		const before = { head: git(root, 'rev-parse', 'HEAD'), refs: git(root, 'for-each-ref', 'refs/heads'), staged: git(root, 'diff', '--cached') };
		fake.script(
			{
				toolCalls: [
					{ name: 'edit_file', arguments: { path: 'src/math.js', old_string: 'a + b', new_string: 'a - b' } },
					{ name: 'write_file', arguments: { path: 'src/extra.js', content: 'export const extra = 1;\n' } },
				],
			},
			{ text: 'Done.' },
		);
		const env = cleanEnv({ OPENAI_API_KEY: 'sk-test' });
		const run = startOrbit(['-p', 'change the math', '--permission', 'auto', '--base-url', fake.url, '--model', 'fake-model'], { cwd: root, env });
		expect(await run.exit()).toBe(0);
		expect(readFileSync(join(root, 'src/math.js'), 'utf8')).toContain('a - b');

		const list = startOrbit(['undo', '--list'], { cwd: root, env });
		expect(await list.exit()).toBe(0);
		expect(list.stdout()).toMatch(/\(latest\)\n {2}turn 1 .*2 files: A src\/extra\.js, M src\/math\.js/);

		const undo = startOrbit(['undo'], { cwd: root, env });
		expect(await undo.exit()).toBe(0);
		expect(undo.stdout()).toMatch(/^Undid turn 1 of session \S+: removed src\/extra\.js, restored src\/math\.js\.\n$/);
		expect(readFileSync(join(root, 'src/math.js'), 'utf8')).toBe('export const add = (a, b) => a + b;\n');
		expect(existsSync(join(root, 'src/extra.js'))).toBe(false);
		expect({ head: git(root, 'rev-parse', 'HEAD'), refs: git(root, 'for-each-ref', 'refs/heads'), staged: git(root, 'diff', '--cached') }).toEqual(before);

		const again = startOrbit(['undo'], { cwd: root, env });
		expect(await again.exit()).toBe(1);
		expect(again.stderr()).toMatch(/already undone/);
	});
});
