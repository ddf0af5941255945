import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import * as z from 'zod';
import { type ConfigLimits, configLimits, limitsSchema, tightenLimits } from './config-limits.ts';
import { type LoginPreset, loginsSchema, type Profile, profileNameSchema, profilesSchema } from './config-profiles.ts';
import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from './sandbox/permission.ts';
import { type PermissionRules, parseRules, RULE_TARGETS, RuleSyntaxError } from './sandbox/rules.ts';

/** The repository's own config, relative to its root. */
export const REPOSITORY_CONFIG = '.orbit/config.json';

/** A config file Orbit cannot use; the message names the file and the mistake, for the user. */
export class ConfigError extends Error {
	override name = 'ConfigError';
	constructor(
		message: string,
		readonly file: string,
	) {
		super(message);
	}
}

const ruleList = z.array(z.string({ error: 'each rule must be a string, e.g. "shell(npm test*)"' }), { error: 'must be a list of rules' });

const configSchema = z.object({
	permission: z.enum(PERMISSION_MODES, { error: `must be one of ${PERMISSION_MODES.join(', ')}` }).optional(),
	rules: z
		.object(
			{ allow: ruleList.optional(), deny: ruleList.optional() },
			{
				error: (issue) =>
					issue.code === 'unrecognized_keys' ? `has no ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; use "allow" and "deny"` : 'must be an object with "allow" and/or "deny" lists',
			},
		)
		.strict()
		.optional(),
	theme: z.string({ error: 'must be a theme name' }).min(1).optional(),
	model: z.string({ error: 'must be a model name' }).min(1).optional(),
	baseUrl: z.url({ error: 'must be a URL such as http://localhost:11434/v1' }).optional(),
	profile: profileNameSchema.optional(),
	profiles: profilesSchema.optional(),
	logins: loginsSchema.optional(),
	limits: limitsSchema.optional(),
});

const KNOWN_KEYS = Object.keys(configSchema.shape);

/** One config file, validated; rules parsed (with their origin and file). */
export interface ConfigFile {
	path: string;
	permission?: PermissionMode;
	rules: PermissionRules;
	theme?: string;
	model?: string;
	baseUrl?: string;
	/** The profile used when neither `--profile` nor `ORBIT_PROFILE` names one. */
	profile?: string;
	profiles?: Record<string, Profile>;
	/** Named device-flow presets. */
	logins?: Record<string, LoginPreset>;
	limits?: ConfigLimits;
}

/** What the files decide, merged. */
export interface Settings {
	permission: PermissionMode;
	/** Which setting chose the mode. */
	permissionFrom: 'flag' | 'repository' | 'user' | 'default';
	/** The user's and the repository's rules together (each keeps its origin). */
	rules: PermissionRules;
	theme?: string;
	model?: string;
	baseUrl?: string;
	/** The user config's default profile (a repository cannot choose one). */
	profile?: string;
	/** The user config's provider profiles, by name ({} when none). */
	profiles: Record<string, Profile>;
	/** The user config's device-flow presets, by name ({} when none). */
	logins: Record<string, LoginPreset>;
	/** The user's limits, tightened by the repository's (see `tightenLimits`); flags win (`resolveLimits`). */
	limits: ConfigLimits;
	/** Settings that were ignored and why, one sentence each, to show the user. */
	warnings: string[];
	/** The files read (absent ones left out). */
	files: string[];
}

/**
 * The user's config folder: `ORBIT_CONFIG_DIR` when set, else the one `conf` uses for project
 * `orbit` (`$XDG_CONFIG_HOME/orbit` or `~/.config/orbit` on Linux, the platform's folder elsewhere).
 * Holds `config.json` and the global `AGENT.md`. Pure: never touches the disk.
 */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
	const dir = env.ORBIT_CONFIG_DIR?.trim();
	if (dir) return dir;
	if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'orbit');
	if (process.platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'orbit', 'Config');
	return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'orbit');
}

/**
 * Reads the user's config with `conf` (project `orbit`: `~/.config/orbit/config.json` on Linux, the
 * platform's config folder elsewhere; `ORBIT_CONFIG_DIR` in `env` names another folder). Undefined
 * when there is none. Throws `ConfigError` for invalid JSON, a wrong field or a malformed rule.
 */
export function readUserConfig(env: NodeJS.ProcessEnv = process.env, warnings: string[] = []): ConfigFile | undefined {
	const dir = userConfigDir(env);
	let store: Conf<{ text?: string }>;
	try {
		// conf parses nothing here: the text comes back as is, so that a mistake can name the file.
		store = new Conf<{ text?: string }>({ projectName: 'orbit', projectSuffix: '', cwd: dir, configName: 'config', deserialize: (text) => ({ text }) });
	} catch (error) {
		// conf creates the folder when the file is missing; an unwritable home means no config, not an error.
		if ((error as NodeJS.ErrnoException).syscall === 'mkdir') return undefined;
		throw new ConfigError(`Orbit could not read its user config in ${dir}: ${(error as Error).message}`, dir);
	}
	const text = store.get('text');
	if (text === undefined) return undefined;
	return parseConfigFile(text, store.path, 'user', warnings);
}

/**
 * Reads `<root>/.orbit/config.json`, undefined when absent. A repository comes with a clone, so its
 * config is not trusted like the user's: it may tighten (deny rules, a stricter mode), and its allow
 * rules only spare the mode's question (see `PermissionRule.origin`), but it can never grant `full`,
 * point the model client at another server (`baseUrl`: the user's API key would go there; nor
 * `profiles`, `logins` or `profile`, which choose where credentials go), or remove a user's deny
 * rule. Those settings are ignored with a warning; its `limits` only tighten the user's. Throws `ConfigError` as
 * `readUserConfig`.
 */
export function readRepositoryConfig(root: string, warnings: string[] = []): ConfigFile | undefined {
	const path = join(root, REPOSITORY_CONFIG);
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw new ConfigError(`Orbit could not read ${path}: ${(error as Error).message}`, path);
	}
	const config = parseConfigFile(text, path, 'repository', warnings);
	if (config.permission === 'full') {
		warnings.push(`ignored "permission": "full" in ${path}: a repository cannot grant itself full access; the user can pass --permission full.`);
		delete config.permission;
	}
	if (config.baseUrl !== undefined) {
		warnings.push(`ignored "baseUrl" in ${path}: a repository cannot choose the server your API key is sent to; set it in your user config, OPENAI_BASE_URL or --base-url.`);
		delete config.baseUrl;
	}
	for (const key of ['profile', 'profiles', 'logins'] as const) {
		if (config[key] === undefined) continue;
		warnings.push(`ignored "${key}" in ${path}: a repository cannot choose where your credentials are sent; set provider profiles and logins in your user config.`);
		delete config[key];
	}
	return config;
}

/**
 * Validates a config file's text. Unknown fields are ignored with a warning (an older Orbit may read
 * a newer file); everything else wrong throws `ConfigError` naming `path` and the field.
 */
export function parseConfigFile(text: string, path: string, origin: 'user' | 'repository', warnings: string[] = []): ConfigFile {
	let raw: unknown;
	try {
		raw = text.trim() === '' ? {} : JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}. Fix or remove the file.`, path);
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${path} must hold one JSON object, e.g. {"permission": "ask"}.`, path);
	const unknown = Object.keys(raw).filter((key) => !KNOWN_KEYS.includes(key) && !key.startsWith('__'));
	if (unknown.length > 0) warnings.push(`ignored unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')} in ${path} (known: ${KNOWN_KEYS.join(', ')}).`);
	const parsed = configSchema.safeParse(raw);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'} ${issue.message}`);
		throw new ConfigError(`${path} is not a valid Orbit config: ${problems.join('; ')}.`, path);
	}
	const data = parsed.data;
	let rules: PermissionRules;
	try {
		rules = parseRules(data.rules ?? {}, { origin, source: path, knownTools: Object.keys(RULE_TARGETS) });
	} catch (error) {
		if (error instanceof RuleSyntaxError) throw new ConfigError(`${path}: ${error.message}`, path);
		throw error;
	}
	return {
		path,
		rules,
		...(data.permission ? { permission: data.permission } : {}),
		...(data.theme ? { theme: data.theme } : {}),
		...(data.model ? { model: data.model } : {}),
		...(data.baseUrl ? { baseUrl: data.baseUrl } : {}),
		...(data.profile ? { profile: data.profile } : {}),
		...(data.profiles ? { profiles: data.profiles } : {}),
		...(data.logins ? { logins: data.logins } : {}),
		...(data.limits ? { limits: configLimits(data.limits) } : {}),
	};
}

/**
 * Merges what decides a session's permissions and defaults. The mode: `--permission` (the flag) >
 * the repository config (never `full`) > the user config > `ask`. Rules: the user's and the
 * repository's together (deny wins over allow whoever wrote it, so a repository cannot loosen a
 * user's deny). `theme`, `model`: repository > user; `baseUrl`, `profile`, `profiles`, `logins`:
 * the user's only; `limits`: the user's, tightened by the repository's. Flags and
 * environment variables still win over all of these where the caller applies them. Throws
 * `ConfigError` when a file is broken.
 */
export function loadSettings(input: { root: string; env?: NodeJS.ProcessEnv; permission?: PermissionMode }): Settings {
	const warnings: string[] = [];
	const user = readUserConfig(input.env ?? process.env, warnings);
	const repository = readRepositoryConfig(input.root, warnings);
	let permission: PermissionMode = 'ask';
	let permissionFrom: Settings['permissionFrom'] = 'default';
	if (input.permission !== undefined && isPermissionMode(input.permission)) {
		permission = input.permission;
		permissionFrom = 'flag';
	} else if (repository?.permission !== undefined) {
		permission = repository.permission;
		permissionFrom = 'repository';
	} else if (user?.permission !== undefined) {
		permission = user.permission;
		permissionFrom = 'user';
	}
	const theme = repository?.theme ?? user?.theme;
	const model = repository?.model ?? user?.model;
	const baseUrl = user?.baseUrl;
	return {
		permission,
		permissionFrom,
		rules: {
			allow: [...(user?.rules.allow ?? []), ...(repository?.rules.allow ?? [])],
			deny: [...(user?.rules.deny ?? []), ...(repository?.rules.deny ?? [])],
		},
		...(theme ? { theme } : {}),
		...(model ? { model } : {}),
		...(baseUrl ? { baseUrl } : {}),
		...(user?.profile ? { profile: user.profile } : {}),
		profiles: user?.profiles ?? {},
		logins: user?.logins ?? {},
		limits: tightenLimits(user?.limits, repository?.limits),
		warnings,
		files: [user?.path, repository?.path].filter((path): path is string => path !== undefined),
	};
}

/**
 * `env` with the config's `baseUrl` and `model` as `OPENAI_BASE_URL` and `ORBIT_MODEL` where `env`
 * has none, so `resolveEndpoint` keeps its order: flags > environment > config > defaults.
 */
export function withConfigDefaults(env: NodeJS.ProcessEnv, settings: Pick<Settings, 'baseUrl' | 'model'>): NodeJS.ProcessEnv {
	const filled: NodeJS.ProcessEnv = { ...env };
	if (settings.baseUrl && !env.OPENAI_BASE_URL?.trim()) filled.OPENAI_BASE_URL = settings.baseUrl;
	if (settings.model && !env.ORBIT_MODEL?.trim()) filled.ORBIT_MODEL = settings.model;
	return filled;
}
