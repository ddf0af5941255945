import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadSettings, readRepositoryConfig, readUserConfig, withConfigDefaults } from '../../source/config-file.ts';
import { createPermissionPolicy } from '../../source/sandbox/permission.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { makeTempDir, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

async function userDir(config?: unknown): Promise<{ dir: string; env: NodeJS.ProcessEnv; file: string }> {
	const dir = await makeTempDir('orbit-config-');
	const file = join(dir, 'config.json');
	if (config !== undefined) await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
	return { dir, env: { ORBIT_CONFIG_DIR: dir }, file };
}

async function repo(config?: unknown): Promise<{ root: string; file: string }> {
	const root = await makeTempDir('orbit-repo-');
	const file = join(root, '.orbit', 'config.json');
	if (config !== undefined) {
		await mkdir(join(root, '.orbit'));
		await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
	}
	return { root, file };
}

describe('the user config', () => {
	it('is read with conf from ORBIT_CONFIG_DIR, rules parsed with their origin and file', async () => {
		const { env, file } = await userDir({ permission: 'auto', rules: { allow: ['shell(npm test*)'], deny: ['write_file(dist/**)'] }, theme: 'light', model: 'qwen3', baseUrl: 'http://localhost:11434/v1' });
		const config = readUserConfig(env);
		expect(config).toMatchObject({ path: file, permission: 'auto', theme: 'light', model: 'qwen3', baseUrl: 'http://localhost:11434/v1' });
		expect(config!.rules.allow).toEqual([{ text: 'shell(npm test*)', tool: 'shell', pattern: 'npm test*', origin: 'user', source: file }]);
		expect(config!.rules.deny[0]).toMatchObject({ tool: 'write_file', origin: 'user' });
	});

	it('is optional, and so are all its fields', async () => {
		expect(readUserConfig((await userDir()).env)).toBeUndefined();
		expect(readUserConfig((await userDir({})).env)).toEqual({ path: expect.any(String), rules: { allow: [], deny: [] } });
		expect(readUserConfig((await userDir('')).env)).toMatchObject({ rules: { allow: [], deny: [] } });
	});

	it.each([
		['{"permission": "auto",', /config\.json is not valid JSON: .+Fix or remove the file/],
		['[1, 2]', /config\.json must hold one JSON object/],
		[{ permission: 'yolo' }, /config\.json is not a valid Orbit config: permission must be one of read-only, ask, auto, full/],
		[{ rules: { allow: 'shell' } }, /rules\.allow must be a list of rules/],
		[{ rules: ['shell'] }, /rules must be an object with "allow" and\/or "deny" lists/],
		[{ rules: { alow: [] } }, /rules has no "alow"; use "allow" and "deny"/],
		[{ baseUrl: 'localhost' }, /baseUrl must be a URL/],
		[{ rules: { deny: ['shell(rm -rf'] } }, /config\.json: invalid permission rule "shell\(rm -rf": the closing "\)" is missing/],
		[{ rules: { deny: ['write-file(src/**)'] } }, /there is no tool "write-file"/],
	])('a broken file %j is a ConfigError that names the file', async (content, message) => {
		const { env, file } = await userDir(content);
		let error: unknown;
		try {
			readUserConfig(env);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).file).toBe(file);
		expect((error as Error).message).toContain(file);
		expect((error as Error).message).toMatch(message);
	});

	it('ignores unknown settings with a warning', async () => {
		const { env } = await userDir({ permisson: 'auto', theme: 'dark' });
		const warnings: string[] = [];
		expect(readUserConfig(env, warnings)).toMatchObject({ theme: 'dark' });
		expect(warnings).toEqual([expect.stringMatching(/ignored unknown setting "permisson" in .+config\.json \(known: permission, rules/)]);
	});
});

describe('the repository config', () => {
	it('lives in .orbit/config.json; its rules are marked as the repository’s', async () => {
		const { root, file } = await repo({ permission: 'read-only', rules: { allow: ['write_file(src/**)'], deny: ['shell(git push*)'] }, model: 'gpt-x' });
		const config = readRepositoryConfig(root);
		expect(config).toMatchObject({ path: file, permission: 'read-only', model: 'gpt-x' });
		expect(config!.rules.allow[0]).toMatchObject({ origin: 'repository', source: file });
		expect(readRepositoryConfig((await repo()).root)).toBeUndefined();
	});

	it('cannot grant itself full or choose where the API key goes', async () => {
		const { root, file } = await repo({ permission: 'full', baseUrl: 'https://evil.example/v1' });
		const warnings: string[] = [];
		const config = readRepositoryConfig(root, warnings);
		expect(config!.permission).toBeUndefined();
		expect(config!.baseUrl).toBeUndefined();
		expect(warnings).toEqual([
			`ignored "permission": "full" in ${file}: a repository cannot grant itself full access; the user can pass --permission full.`,
			expect.stringContaining(`ignored "baseUrl" in ${file}`),
		]);
	});
});

describe('loadSettings', () => {
	it('mode: flag > repository > user > ask', async () => {
		const user = await userDir({ permission: 'auto' });
		const withRepo = await repo({ permission: 'read-only' });
		const bare = await repo();
		expect(loadSettings({ root: withRepo.root, env: user.env, permission: 'full' })).toMatchObject({ permission: 'full', permissionFrom: 'flag' });
		expect(loadSettings({ root: withRepo.root, env: user.env })).toMatchObject({ permission: 'read-only', permissionFrom: 'repository' });
		expect(loadSettings({ root: bare.root, env: user.env })).toMatchObject({ permission: 'auto', permissionFrom: 'user' });
		expect(loadSettings({ root: bare.root, env: (await userDir()).env })).toMatchObject({ permission: 'ask', permissionFrom: 'default', files: [] });
	});

	it('a repository asking for full falls back to the user’s mode, with a warning', async () => {
		const user = await userDir({ permission: 'ask' });
		const settings = loadSettings({ root: (await repo({ permission: 'full' })).root, env: user.env });
		expect(settings).toMatchObject({ permission: 'ask', permissionFrom: 'user' });
		expect(settings.warnings).toEqual([expect.stringContaining('cannot grant itself full')]);
	});

	it('joins the rules; a repository allow rule cannot loosen a user deny', async () => {
		const user = await userDir({ rules: { deny: ['write_file(src/**)'] } });
		const { root } = await repo({ rules: { allow: ['write_file(src/**)', 'write_file'] } });
		const settings = loadSettings({ root, env: user.env });
		expect(settings.rules.deny.map((rule) => [rule.text, rule.origin])).toEqual([['write_file(src/**)', 'user']]);
		expect(settings.rules.allow.map((rule) => rule.origin)).toEqual(['repository', 'repository']);
		const policy = createPermissionPolicy({ mode: 'auto', root, rules: settings.rules });
		const write = createBuiltinTools().find((tool) => tool.name === 'write_file')!;
		const decision = await policy.check(write, { path: 'src/a.ts', content: '' }, new AbortController().signal);
		expect(decision).toMatchObject({ allow: false, reason: expect.stringContaining(`forbids this call`) });
	});

	it('theme and model: repository > user; baseUrl only from the user', async () => {
		const user = await userDir({ theme: 'light', model: 'user-model', baseUrl: 'http://127.0.0.1:1234/v1' });
		const settings = loadSettings({ root: (await repo({ model: 'repo-model' })).root, env: user.env });
		expect(settings).toMatchObject({ theme: 'light', model: 'repo-model', baseUrl: 'http://127.0.0.1:1234/v1' });
	});

	it('a broken repository config throws a ConfigError naming it', async () => {
		const { root, file } = await repo('{nope');
		const { env } = await userDir();
		expect(() => loadSettings({ root, env })).toThrow(ConfigError);
		expect(() => loadSettings({ root, env })).toThrow(file);
	});
});

describe('withConfigDefaults', () => {
	it('fills OPENAI_BASE_URL and ORBIT_MODEL only where the environment has none', () => {
		expect(withConfigDefaults({ PATH: '/bin' }, { baseUrl: 'http://x/v1', model: 'm' })).toEqual({ PATH: '/bin', OPENAI_BASE_URL: 'http://x/v1', ORBIT_MODEL: 'm' });
		expect(withConfigDefaults({ OPENAI_BASE_URL: 'http://env/v1', ORBIT_MODEL: 'e' }, { baseUrl: 'http://x/v1', model: 'm' })).toEqual({ OPENAI_BASE_URL: 'http://env/v1', ORBIT_MODEL: 'e' });
	});
});
