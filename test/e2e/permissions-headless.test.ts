import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, type ScriptedToolCall, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

type Message = { role: string; content: string | null };
const lastToolResults = (request: RecordedRequest) => {
	const messages = (request.body as { messages: Message[] }).messages;
	const results: string[] = [];
	for (let index = messages.length - 1; index >= 0 && messages[index]!.role === 'tool'; index -= 1) results.unshift(messages[index]!.content ?? '');
	return results;
};

/** A user config folder for ORBIT_CONFIG_DIR, so the developer's own config never leaks into a test. */
function userConfig(config?: unknown): string {
	const dir = mkdtempSync(join(tmpdir(), 'orbit-config-'));
	if (config !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
	return dir;
}

function repoConfig(root: string, config: unknown): void {
	mkdirSync(join(root, '.orbit'), { recursive: true });
	writeFileSync(join(root, '.orbit', 'config.json'), JSON.stringify(config));
}

/**
 * Runs `orbit -p` where the model makes `calls` in one turn, then stops; resolves with the tool
 * results the model saw in its next request, the exit code and stderr.
 */
async function runWithCalls(calls: ScriptedToolCall[], options: { root: string; configDir: string; args?: string[]; noSandbox?: boolean }) {
	let results: string[] | undefined;
	fake.script({ toolCalls: calls }, (request) => {
		results = lastToolResults(request);
		return { text: 'ok' };
	});
	const env = cleanEnv({ OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model', ORBIT_CONFIG_DIR: options.configDir });
	// As on a machine where bubblewrap cannot start.
	if (options.noSandbox) env.ORBIT_BWRAP = join(tmpdir(), 'no-such-bwrap');
	const run = startOrbit(['-p', 'do the task', ...(options.args ?? [])], { cwd: options.root, env });
	const code = await run.exit();
	expect(results, `the model's second request never came\nstderr: ${run.stderr()}`).toBeDefined();
	return { code, results: results!, stderr: run.stderr() };
}

const write = (path: string, content = 'changed\n'): ScriptedToolCall => ({ name: 'write_file', arguments: { path, content } });
const shell = (command: string): ScriptedToolCall => ({ name: 'shell', arguments: { command } });

describe('permissions in headless mode', () => {
	it('ask (the default): a write is denied, and the model reads why and what the user can do', async () => {
		const root = createRepo({ 'src/app.js': 'original\n' });
		const { code, results } = await runWithCalls([write('src/app.js')], { root, configDir: userConfig() });
		expect(code).toBe(0);
		expect(results).toHaveLength(1);
		expect(results[0]).toMatch(/^Permission denied for write_file: write_file needs the user's approval \(the permission mode is ask and write_file changes files\)/);
		expect(results[0]).toContain('no one can approve in this headless session');
		expect(results[0]).toContain('"write_file(src/app.js)" under rules.allow');
		expect(results[0]).toContain('--permission auto');
		expect(readFileSync(join(root, 'src/app.js'), 'utf8')).toBe('original\n');
	});

	it('an allow rule in the user config lets shell(node --version*) run in ask mode; other commands stay denied', async () => {
		const root = createRepo({ 'README.md': '# r\n' });
		const configDir = userConfig({ rules: { allow: ['shell(node --version*)'] } });
		const { code, results } = await runWithCalls([shell('node --version'), shell('node -e "require(\'fs\').writeFileSync(\'x\', \'\')"')], { root, configDir });
		expect(code).toBe(0);
		expect(results[0]).toMatch(/v\d+\.\d+\.\d+/);
		expect(results[0]).not.toContain('Permission denied');
		expect(results[1]).toMatch(/^Permission denied for shell: /);
		expect(existsSync(join(root, 'x'))).toBe(false);
	});

	it('a deny rule blocks even in auto, naming the rule and its file', async () => {
		const root = createRepo({ 'src/app.js': 'original\n', 'docs/a.md': 'a\n' });
		const configDir = userConfig({ rules: { deny: ['write_file(src/**)'] } });
		const { results } = await runWithCalls([write('src/app.js'), write('docs/a.md')], { root, configDir, args: ['--permission', 'auto'] });
		expect(results[0]).toContain(`Permission denied for write_file: the rule "write_file(src/**)" in ${join(configDir, 'config.json')} forbids this call`);
		expect(results[1]).not.toContain('Permission denied');
		expect(readFileSync(join(root, 'src/app.js'), 'utf8')).toBe('original\n');
		expect(readFileSync(join(root, 'docs/a.md'), 'utf8')).toBe('changed\n');
	});

	it('a repository config cannot grant full (warned on stderr) nor let its allow rules run commands unsandboxed', async () => {
		const root = createRepo({ 'src/app.js': 'original\n' });
		repoConfig(root, { permission: 'full', rules: { allow: ['shell'] } });
		const { code, results, stderr } = await runWithCalls([write('src/app.js'), shell('touch pwned')], { root, configDir: userConfig(), noSandbox: true });
		expect(code).toBe(0);
		expect(stderr).toContain(`ignored "permission": "full" in ${join(root, '.orbit', 'config.json')}: a repository cannot grant itself full access`);
		expect(results[0]).toMatch(/^Permission denied for write_file: .*the permission mode is ask/);
		expect(results[1]).toMatch(/^Permission denied for shell: .*no sandbox is available/);
		expect(readFileSync(join(root, 'src/app.js'), 'utf8')).toBe('original\n');
		expect(existsSync(join(root, 'pwned'))).toBe(false);
	});

	it('the repository config may tighten the mode; the flag still wins', async () => {
		const root = createRepo({ 'src/app.js': 'original\n' });
		repoConfig(root, { permission: 'read-only' });
		const tightened = await runWithCalls([write('src/app.js')], { root, configDir: userConfig({ permission: 'auto' }) });
		expect(tightened.results[0]).toMatch(/^Permission denied for write_file: the session is read-only/);
		const flagged = await runWithCalls([write('src/app.js')], { root, configDir: userConfig({ permission: 'auto' }), args: ['--permission', 'auto'] });
		expect(flagged.results[0]).not.toContain('Permission denied');
		expect(readFileSync(join(root, 'src/app.js'), 'utf8')).toBe('changed\n');
	});

	it('without a sandbox, auto still asks before shell: headless, a denial that says the sandbox is unavailable', async () => {
		const root = createRepo({ 'README.md': '# r\n' });
		const { results, stderr } = await runWithCalls([shell('touch made-by-shell')], { root, configDir: userConfig(), args: ['--permission', 'auto'], noSandbox: true });
		expect(stderr).toContain('No sandbox for shell commands: bwrap');
		expect(results[0]).toMatch(/^Permission denied for shell: shell needs the user's approval \(no sandbox is available on this machine, so the command would run unconfined\)/);
		expect(results[0]).toContain('"shell(touch made-by-shell*)"');
		expect(results[0]).toContain('--permission full');
		expect(existsSync(join(root, 'made-by-shell'))).toBe(false);
	});

	it('full runs shell unsandboxed, by the user’s explicit choice', async () => {
		const root = createRepo({ 'README.md': '# r\n' });
		const { results } = await runWithCalls([shell('touch made-by-shell && echo made')], { root, configDir: userConfig(), args: ['--permission', 'full'] });
		expect(results[0]).toContain('made');
		expect(existsSync(join(root, 'made-by-shell'))).toBe(true);
	});

	it('a secret-looking file needs approval even in auto', async () => {
		const root = createRepo({ '.env': 'OPENAI_API_KEY=sk-live-value-that-must-not-leak\n' });
		const { results } = await runWithCalls([{ name: 'read_file', arguments: { path: '.env' } }], { root, configDir: userConfig(), args: ['--permission', 'auto'] });
		expect(results[0]).toMatch(/^Permission denied for read_file: .*\.env looks like it holds secrets/);
		expect(results[0]).not.toContain('sk-live-value');
	});

	it('a broken config file stops the run with exit code 2 and a message naming the file', async () => {
		const root = createRepo({ 'README.md': '# r\n' });
		const configDir = userConfig();
		writeFileSync(join(configDir, 'config.json'), '{"permission": "yolo"}');
		const run = startOrbit(['-p', 'task'], { cwd: root, env: cleanEnv({ OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model', ORBIT_CONFIG_DIR: configDir }) });
		expect(await run.exit()).toBe(2);
		expect(run.stderr()).toContain(`orbit: ${join(configDir, 'config.json')} is not a valid Orbit config: permission must be one of read-only, ask, auto, full`);
		expect(run.stderr()).not.toMatch(/\n\s+at /);
	});
});
