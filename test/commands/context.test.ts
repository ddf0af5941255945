import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { contextCommand, createContextSubcommand } from '../../commands/context.ts';
import { createProjectContext } from '../../source/context/agent-files.ts';
import { createRepo } from '../fixtures/run-orbit.ts';
import { fakeContext } from './fake-context.ts';

const made: string[] = [];
afterEach(() => {
	for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
	const root = realpathSync(createRepo(files));
	made.push(root);
	return root;
}

function configDir(files: Record<string, string> = {}): string {
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'orbit-config-')));
	made.push(dir);
	for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
	return dir;
}

async function runSubcommand(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
	let stdout = '';
	let stderr = '';
	const code = await createContextSubcommand(() => cwd).run(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env });
	return { code, stdout, stderr };
}

describe('/context', () => {
	it('lists what was loaded and why, with sizes and the warnings', async () => {
		const root = repo({ 'AGENT.md': 'root rules @docs/a.md @docs/missing.md\n', 'docs/a.md': 'A', 'lib/AGENT.md': 'lib', 'lib/x.ts': '' });
		const project = createProjectContext({ root, cwd: root });
		project.loadFor('lib/x.ts', 'read_file');
		const result = await contextCommand.run('', { ...fakeContext(), projectContext: project });
		expect(result).toEqual({
			kind: 'notice',
			tone: 'warning',
			text: [
				`AGENT.md files loaded: 3, ${project.usedBytes()} bytes of 64 KB.`,
				'  AGENT.md      root→cwd; 39 bytes',
				'  docs/a.md     imported by AGENT.md; 1 byte',
				'  lib/AGENT.md  touched lib/x.ts (read_file); 3 bytes',
				'Warnings:',
				'  - AGENT.md: @docs/missing.md is not found (docs/missing.md); left as text.',
			].join('\n'),
		});
	});

	it('says how discovery works when nothing was loaded, and when the session has none', async () => {
		const root = repo({ 'src/index.ts': '' });
		const global = configDir();
		const empty = await contextCommand.run('', { ...fakeContext(), projectContext: createProjectContext({ root, cwd: root, globalDir: global }) });
		expect(empty).toEqual({
			kind: 'notice',
			tone: 'info',
			text: `No AGENT.md files loaded. Orbit reads ${join(global, 'AGENT.md')}, then AGENT.md (or AGENTS.md) in each folder from the repository root to the working directory; another folder's file loads the first time a tool touches a path in it.`,
		});
		expect(await contextCommand.run('', fakeContext())).toMatchObject({ kind: 'notice', tone: 'warning', text: expect.stringMatching(/no project context/) });
		expect(await contextCommand.run('all', fakeContext())).toMatchObject({ kind: 'notice', tone: 'error', text: '/context takes no arguments (got "all").' });
	});
});

describe('orbit context', () => {
	it('prints the files a session in the working directory would load, global first, and exits 0', async () => {
		const root = repo({ 'AGENT.md': 'root', 'app/AGENTS.md': 'app', 'app/src/AGENT.md': 'not at start', 'other/AGENT.md': 'not at start' });
		const config = configDir({ 'AGENT.md': 'mine' });
		const { code, stdout, stderr } = await runSubcommand([], join(root, 'app'), { ORBIT_CONFIG_DIR: config });
		expect(stderr).toBe('');
		expect(code).toBe(0);
		const width = join(config, 'AGENT.md').length;
		expect(stdout).toBe(
			[
				`Repository: ${root}`,
				`Working directory: ${join(root, 'app')}`,
				'AGENT.md files loaded: 3, 11 bytes of 64 KB.',
				`  ${join(config, 'AGENT.md').padEnd(Math.min(48, width))}  global; 4 bytes`,
				`  ${'AGENT.md'.padEnd(Math.min(48, width))}  root→cwd; 4 bytes`,
				`  ${'app/AGENTS.md'.padEnd(Math.min(48, width))}  root→cwd; 3 bytes`,
				'',
			].join('\n'),
		);
	});

	it('refuses arguments (exit 2) and a working directory that is gone (exit 1)', async () => {
		const root = repo({ 'README.md': '' });
		expect(await runSubcommand(['--all'], root, {})).toEqual({ code: 2, stdout: '', stderr: 'orbit context: unknown argument "--all" (orbit context takes none)\n' });
		const gone = await runSubcommand([], join(root, 'no-such-folder'), {});
		expect(gone.code).toBe(1);
		expect(gone.stderr).toMatch(/^orbit context: .*no-such-folder/);
	});

	it('is dispatched by the CLI entry (a real child process on the sources)', async () => {
		const root = repo({ 'AGENT.md': 'from the child', 'sub/.keep': '' });
		const config = configDir();
		const main = resolve(import.meta.dirname, '../..');
		const loader = pathToFileURL(join(main, 'node_modules/tsx/dist/loader.mjs')).href;
		mkdirSync(join(root, 'sub'), { recursive: true });
		const child = spawn(process.execPath, ['--import', loader, join(main, 'source/cli.tsx'), 'context'], {
			cwd: join(root, 'sub'),
			env: { PATH: process.env.PATH, HOME: process.env.HOME, ORBIT_CONFIG_DIR: config },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const code = await new Promise<number | null>((done) => child.on('exit', (exit) => done(exit)));
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toContain(`Repository: ${root}\nWorking directory: ${join(root, 'sub')}\nAGENT.md files loaded: 1, 14 bytes of 64 KB.\n  AGENT.md  root→cwd; 14 bytes\n`);
	});
});
