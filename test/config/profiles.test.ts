import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings, REPOSITORY_CONFIG } from '../../source/config-file.ts';
import { DEFAULT_MAX_TURNS, resolveLimits } from '../../source/config-limits.ts';
import type { Profile } from '../../source/config-profiles.ts';
import { ProfileError, resolveProfile, saveProfile } from '../../source/profiles.ts';

/** A user config folder and a repository folder, with the given config files (JSON values or raw text). */
function setUp(files: { user?: unknown; repository?: unknown } = {}) {
	const base = mkdtempSync(join(tmpdir(), 'orbit-config-'));
	const configDir = join(base, 'config');
	const root = join(base, 'repo');
	mkdirSync(configDir);
	mkdirSync(join(root, '.orbit'), { recursive: true });
	const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, '\t'));
	if (files.user !== undefined) writeFileSync(join(configDir, 'config.json'), text(files.user));
	if (files.repository !== undefined) writeFileSync(join(root, REPOSITORY_CONFIG), text(files.repository));
	const env = { ORBIT_CONFIG_DIR: configDir };
	return { configDir, root, env, userFile: join(configDir, 'config.json'), load: () => loadSettings({ root, env }) };
}

const WORK: Profile = {
	baseUrl: 'https://gw.example.com/v1',
	auth: { type: 'env', variable: 'WORK_KEY' },
	model: 'gpt-4.1',
	fallbackModels: ['gpt-4.1-mini'],
	prices: { 'gpt-4.1': { input: 2, output: 8 } },
};

describe('config files: profiles, logins and limits', () => {
	it('reads profiles, logins, the default profile and limits from the user config, next to the older fields', () => {
		const { load } = setUp({
			user: {
				permission: 'auto',
				model: 'old-model',
				profile: 'work',
				profiles: { work: WORK, local: { baseUrl: 'http://127.0.0.1:11434/v1', auth: { type: 'none' } } },
				logins: { corp: { issuer: 'https://id.example.com', clientId: 'orbit', scope: 'openid offline_access' } },
				limits: { maxTurns: 50, maxTokens: 2_000_000, maxCost: 5, maxTime: '30m' },
			},
		});
		const settings = load();
		expect(settings.permission).toBe('auto');
		expect(settings.model).toBe('old-model');
		expect(settings.profile).toBe('work');
		expect(settings.profiles.work).toEqual(WORK);
		expect(Object.keys(settings.profiles)).toEqual(['work', 'local']);
		expect(settings.logins).toEqual({ corp: { issuer: 'https://id.example.com', clientId: 'orbit', scope: 'openid offline_access' } });
		expect(settings.limits).toEqual({ maxTurns: 50, maxTokens: 2_000_000, maxCost: 5, maxTimeMs: 30 * 60_000 });
		expect(settings.warnings).toEqual([]);
	});

	it('a config without the new fields loads as before', () => {
		const settings = setUp({ user: { theme: 'light' } }).load();
		expect(settings.profiles).toEqual({});
		expect(settings.logins).toEqual({});
		expect(settings.limits).toEqual({});
		expect(settings.profile).toBeUndefined();
		expect(settings.theme).toBe('light');
	});

	it.each([
		[{ profiles: { work: { auth: { type: 'env' } } } }, 'profiles.work.auth.variable'],
		[{ profiles: { work: { auth: { type: 'oauth' } } } }, 'profiles.work.auth.type must be {"type": "env", "variable": "NAME"}, {"type": "login"} or {"type": "none"}'],
		[{ profiles: { work: { baseUrl: 'not a url' } } }, 'profiles.work.baseUrl must be a URL'],
		[{ profiles: { work: { fallbackModels: 'gpt-4.1-mini' } } }, 'profiles.work.fallbackModels must be a list of model names'],
		[{ profiles: { work: { prices: { 'gpt-4.1': { input: -1, output: 8 } } } } }, 'profiles.work.prices.gpt-4.1.input must not be negative'],
		[{ profiles: { work: { modell: 'x' } } }, 'profiles.work has no "modell"'],
		[{ profiles: { 'bad name': {} } }, 'profiles.bad name'],
		[{ profile: '' }, 'profile must be a profile name'],
		[{ logins: { corp: { clientId: 'orbit' } } }, 'logins.corp needs "issuer" or both "deviceEndpoint" and "tokenEndpoint"'],
		[{ logins: { corp: { deviceEndpoint: 'https://id.example.com/device' } } }, 'logins.corp needs "issuer"'],
		[{ limits: { maxCost: 0 } }, 'limits.maxCost must be more than 0'],
		[{ limits: { maxTurns: 2.5 } }, 'limits.maxTurns must be a positive whole number'],
		[{ limits: { maxTime: 'soon' } }, 'limits.maxTime must be a duration'],
		[{ limits: { maxDollars: 3 } }, 'limits has no "maxDollars"'],
	])('rejects %j with a ConfigError naming the file and the field', (user, expected) => {
		const { load, userFile } = setUp({ user });
		let error: unknown;
		try {
			load();
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).file).toBe(userFile);
		expect((error as ConfigError).message).toContain(userFile);
		expect((error as ConfigError).message).toContain(expected);
	});

	it('accepts a login preset with both endpoints instead of an issuer', () => {
		const presets = { gh: { deviceEndpoint: 'https://github.com/login/device/code', tokenEndpoint: 'https://github.com/login/oauth/access_token', clientId: 'abc' } };
		expect(setUp({ user: { logins: presets } }).load().logins).toEqual(presets);
	});

	it('ignores a repository\'s profile, profiles and logins with a warning each: they would choose where credentials go', () => {
		const { load, root } = setUp({
			user: { profiles: { work: WORK } },
			repository: { profile: 'evil', profiles: { evil: { baseUrl: 'https://attacker.example.com/v1', auth: { type: 'env', variable: 'WORK_KEY' } } }, logins: { evil: { issuer: 'https://attacker.example.com' } }, theme: 'light' },
		});
		const settings = load();
		expect(settings.profile).toBeUndefined();
		expect(Object.keys(settings.profiles)).toEqual(['work']);
		expect(settings.logins).toEqual({});
		expect(settings.theme).toBe('light');
		const file = join(root, REPOSITORY_CONFIG);
		for (const key of ['profile', 'profiles', 'logins']) expect(settings.warnings).toContainEqual(expect.stringMatching(new RegExp(`^ignored "${key}" in ${file.replaceAll('/', '\\/')}: a repository cannot choose where your credentials are sent`)));
	});

	it('a repository\'s limits only tighten the user\'s', () => {
		const { load } = setUp({
			user: { limits: { maxTurns: 50, maxCost: 5, maxTime: '30m' } },
			repository: { limits: { maxTurns: 80, maxCost: 1, maxTokens: 1000 } },
		});
		expect(load().limits).toEqual({ maxTurns: 50, maxCost: 1, maxTokens: 1000, maxTimeMs: 30 * 60_000 });
	});
});

describe('resolveLimits', () => {
	it('flags win over the config; turns default to 100; other limits are absent unless set', () => {
		const settings = { limits: { maxTurns: 50, maxCost: 5, maxTimeMs: 60_000, maxTokens: 1000 } };
		expect(resolveLimits({}, { limits: {} })).toEqual({ maxTurns: DEFAULT_MAX_TURNS });
		expect(DEFAULT_MAX_TURNS).toBe(100);
		expect(resolveLimits({}, settings)).toEqual({ maxTurns: 50, maxCost: 5, maxTimeMs: 60_000, maxTokens: 1000 });
		expect(resolveLimits({ maxTurns: 200, maxCost: 9, maxTimeMs: 1000, maxTokens: 5 }, settings)).toEqual({ maxTurns: 200, maxCost: 9, maxTimeMs: 1000, maxTokens: 5 });
	});
});

describe('resolveProfile', () => {
	const settingsWith = (extra: object = {}) => ({ profiles: { work: WORK, local: { baseUrl: 'http://127.0.0.1:1234/v1' }, sso: { baseUrl: 'https://sso.example.com/v1', auth: { type: 'login' as const }, model: 'big' } }, ...extra });

	it('without a profile keeps the flags > environment > config order of resolveEndpoint', () => {
		const setup = resolveProfile({ flags: {}, env: { OPENAI_API_KEY: 'sk-env', ORBIT_MODEL: 'env-model' }, settings: { profiles: {}, baseUrl: 'http://config.example.com/v1', model: 'config-model' } });
		expect(setup).toEqual({ baseURL: 'http://config.example.com/v1', apiKey: 'sk-env', model: 'env-model', configured: true, fallbackModels: [], prices: {} });
		expect(resolveProfile({ flags: { model: 'flag-model' }, env: {}, settings: { profiles: {} } })).toMatchObject({ model: 'flag-model', configured: false });
	});

	it('--profile > ORBIT_PROFILE > the config\'s profile; the profile\'s key comes from its variable, never OPENAI_API_KEY', () => {
		const env = { WORK_KEY: 'sk-work', OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: 'http://env.example.com/v1', ORBIT_MODEL: 'env-model', ORBIT_PROFILE: 'local' };
		const settings = settingsWith({ profile: 'sso' });
		expect(resolveProfile({ flags: { profile: 'work' }, env, settings })).toEqual({
			baseURL: 'https://gw.example.com/v1',
			apiKey: 'sk-work',
			model: 'gpt-4.1',
			configured: true,
			profile: 'work',
			fallbackModels: ['gpt-4.1-mini'],
			prices: { 'gpt-4.1': { input: 2, output: 8 } },
		});
		const local = resolveProfile({ flags: {}, env, settings });
		expect(local).toEqual({ baseURL: 'http://127.0.0.1:1234/v1', model: 'gpt-4.1-mini', configured: true, profile: 'local', fallbackModels: [], prices: {} });
		expect(local.apiKey).toBeUndefined();
		const bearer = { token: async () => 't', refresh: async () => 't' };
		const seen: string[] = [];
		const sso = resolveProfile({ flags: {}, env: {}, settings, loginBearer: (name) => (seen.push(name), bearer) });
		expect(sso).toMatchObject({ baseURL: 'https://sso.example.com/v1', model: 'big', profile: 'sso' });
		expect(sso.bearer).toBe(bearer);
		expect(seen).toEqual(['sso']);
	});

	it('--model and --base-url override the profile\'s fields', () => {
		const setup = resolveProfile({ flags: { profile: 'work', model: 'gpt-5', baseUrl: 'http://127.0.0.1:9/v1' }, env: { WORK_KEY: 'sk-work' }, settings: settingsWith() });
		expect(setup).toMatchObject({ baseURL: 'http://127.0.0.1:9/v1', model: 'gpt-5', apiKey: 'sk-work', fallbackModels: ['gpt-4.1-mini'] });
	});

	it('an unknown profile is a usage error listing the known ones', () => {
		expect(() => resolveProfile({ flags: { profile: 'home' }, env: {}, settings: settingsWith() })).toThrow(ProfileError);
		expect(() => resolveProfile({ flags: { profile: 'home' }, env: {}, settings: settingsWith() })).toThrow('unknown profile "home" (from --profile); known profiles: work, local, sso.');
		expect(() => resolveProfile({ flags: {}, env: { ORBIT_PROFILE: 'home', ORBIT_CONFIG_DIR: '/cfg' }, settings: { profiles: {} } })).toThrow('unknown profile "home" (from ORBIT_PROFILE); no profiles are defined; add them under "profiles" in /cfg/config.json.');
		expect(() => resolveProfile({ flags: {}, env: {}, settings: settingsWith({ profile: 'toString' }) })).toThrow('unknown profile "toString"');
	});

	it('a profile whose key variable is unset or empty is an error naming the variable', () => {
		for (const env of [{}, { WORK_KEY: '  ' }]) {
			expect(() => resolveProfile({ flags: { profile: 'work' }, env, settings: settingsWith() })).toThrow('profile "work" takes its API key from the environment variable WORK_KEY, which is not set');
		}
	});

	it('a login profile without a bearer source is an error, not a request without credentials', () => {
		expect(() => resolveProfile({ flags: { profile: 'sso' }, env: {}, settings: settingsWith() })).toThrow(ProfileError);
	});
});

describe('saveProfile', () => {
	it('creates the user config owner-only with the profile, and the profile resolves', () => {
		const { configDir, env, root } = setUp();
		const path = saveProfile(env, 'corp', { baseUrl: 'https://gw.example.com/v1', auth: { type: 'login' } });
		expect(path).toBe(join(configDir, 'config.json'));
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ profiles: { corp: { baseUrl: 'https://gw.example.com/v1', auth: { type: 'login' } } } });
		const settings = loadSettings({ root, env });
		expect(settings.profiles.corp).toEqual({ baseUrl: 'https://gw.example.com/v1', auth: { type: 'login' } });
	});

	it('creates the config folder when it is missing', () => {
		const base = mkdtempSync(join(tmpdir(), 'orbit-config-'));
		const env = { ORBIT_CONFIG_DIR: join(base, 'a', 'b') };
		const path = saveProfile(env, 'x', { model: 'm' });
		expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ profiles: { x: { model: 'm' } } });
	});

	it('updates one profile and keeps every other field, profile and unknown setting as they were, and the file\'s mode', () => {
		const user = { permission: 'auto', futureSetting: { keep: true }, profile: 'work', profiles: { work: WORK, corp: { baseUrl: 'https://old.example.com/v1', model: 'keep-me', prices: { 'keep-me': { input: 1, output: 2 } } } }, limits: { maxCost: 5 } };
		const { env, userFile } = setUp({ user });
		chmodSync(userFile, 0o640);
		saveProfile(env, 'corp', { baseUrl: 'https://new.example.com/v1', auth: { type: 'login' }, model: undefined });
		const saved = JSON.parse(readFileSync(userFile, 'utf8'));
		expect(saved).toEqual({ ...user, profiles: { work: WORK, corp: { baseUrl: 'https://new.example.com/v1', model: 'keep-me', prices: { 'keep-me': { input: 1, output: 2 } }, auth: { type: 'login' } } } });
		expect(statSync(userFile).mode & 0o777).toBe(0o640);
	});

	it('writes through a symbolic link to its target', () => {
		const { env, userFile, configDir } = setUp();
		const target = join(configDir, 'real.json');
		writeFileSync(target, JSON.stringify({ theme: 'light' }));
		symlinkSync(target, userFile);
		saveProfile(env, 'p', { model: 'm' });
		expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ theme: 'light', profiles: { p: { model: 'm' } } });
	});

	it('refuses a broken file, a bad name or a bad field, and leaves the file untouched', () => {
		const broken = '{ "permission": "auto", ';
		const { env, userFile } = setUp({ user: broken });
		expect(() => saveProfile(env, 'corp', { model: 'm' })).toThrow(ConfigError);
		expect(() => saveProfile(env, 'corp', { model: 'm' })).toThrow(`${userFile} is not valid JSON`);
		expect(readFileSync(userFile, 'utf8')).toBe(broken);
		const good = setUp({ user: { theme: 'light' } });
		const before = readFileSync(good.userFile, 'utf8');
		expect(() => saveProfile(good.env, 'bad name', { model: 'm' })).toThrow(ProfileError);
		expect(() => saveProfile(good.env, 'corp', { baseUrl: 'nope' })).toThrow('profiles.corp.baseUrl must be a URL');
		expect(readFileSync(good.userFile, 'utf8')).toBe(before);
	});
});
