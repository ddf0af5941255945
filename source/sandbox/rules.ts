import { isAbsolute, posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { relativeToRoot, resolveInsideRoot } from './paths.ts';

/**
 * Permission rules: `tool` (every call of the tool) or `tool(pattern)`, where the pattern is matched
 * against the tool's key argument (see `RULE_TARGETS`):
 * - path tools (`read_file(src/**)`, `write_file(.env*)`): a picomatch glob on the path relative to the
 *   repository root; as in .gitignore, a pattern without `/` matches names at any depth, a leading `/`
 *   or `./` anchors it to the root, dotfiles match;
 * - `shell(npm test*)`: the command, with `*` for any text and everything else literal;
 * - `glob(…)`: the glob pattern the model asks for, same wildcard as `shell`.
 */
export interface PermissionRule {
	/** The rule as written. */
	text: string;
	tool: string;
	/** Undefined for a bare tool name: every call matches. */
	pattern?: string;
	/**
	 * Who wrote it. `user` (the user's config, a flag, a library host) is trusted; `repository`
	 * (`.orbit/config.json`, which comes with a clone) can lift only the mode's question, never the
	 * sandbox fallback, secret reads or writes to Orbit's own config.
	 */
	origin: 'user' | 'repository';
	/** Where it was written (a file path), for messages. */
	source?: string;
}

export interface PermissionRules {
	allow: PermissionRule[];
	deny: PermissionRule[];
}

export type RuleTarget =
	| { kind: 'path'; arg: string; /** when the argument is absent */ fallback?: string }
	| { kind: 'paths'; arg: string }
	| { kind: 'command'; arg: string }
	| { kind: 'text'; arg: string }
	| { kind: 'none' };

/**
 * Which argument a rule's pattern is matched against, per built-in tool. A test checks that every
 * built-in tool is listed, so a new tool has to decide here. Unknown tools (a library host's own)
 * fall back to a string `path` or `command` argument.
 */
export const RULE_TARGETS: Readonly<Record<string, RuleTarget>> = {
	read_file: { kind: 'path', arg: 'path' },
	write_file: { kind: 'path', arg: 'path' },
	edit_file: { kind: 'path', arg: 'path' },
	grep: { kind: 'path', arg: 'path', fallback: '.' },
	git_diff: { kind: 'path', arg: 'path', fallback: '.' },
	git_commit: { kind: 'paths', arg: 'paths' },
	glob: { kind: 'text', arg: 'pattern' },
	shell: { kind: 'command', arg: 'command' },
	user_send_message: { kind: 'none' },
	plan_read: { kind: 'none' },
	plan_update: { kind: 'none' },
	memory_search: { kind: 'none' },
	// `memory_add(MEMORY)`: facts may be recorded unasked while agreements still ask.
	memory_add: { kind: 'text', arg: 'file' },
	memory_remove: { kind: 'text', arg: 'file' },
	git_status: { kind: 'none' },
	git_log: { kind: 'none' },
};

const TOOL_NAME = /^[A-Za-z_][\w-]*$/;

export class RuleSyntaxError extends Error {
	override name = 'RuleSyntaxError';
}

export interface ParseRuleOptions {
	origin?: PermissionRule['origin'];
	source?: string;
	/** Tool names a rule may name; default: any name. Config files pass the built-in tools. */
	knownTools?: readonly string[];
}

/** Parses one rule. Throws `RuleSyntaxError` with a message that shows the rule and how to write it. */
export function parseRule(text: string, options: ParseRuleOptions = {}): PermissionRule {
	const trimmed = text.trim();
	const fail = (problem: string): never => {
		throw new RuleSyntaxError(`invalid permission rule ${JSON.stringify(text)}: ${problem}. Write a tool name (git_commit) or tool(pattern), e.g. shell(npm test*) or write_file(src/**).`);
	};
	if (trimmed === '') fail('it is empty');
	const open = trimmed.indexOf('(');
	const tool = (open === -1 ? trimmed : trimmed.slice(0, open)).trim();
	if (!TOOL_NAME.test(tool)) fail(tool === '' ? 'the tool name is missing' : `${JSON.stringify(tool)} is not a tool name`);
	if (options.knownTools && !options.knownTools.includes(tool)) fail(`there is no tool ${JSON.stringify(tool)} (tools: ${options.knownTools.join(', ')})`);
	const rule: PermissionRule = { text: trimmed, tool, origin: options.origin ?? 'user', ...(options.source ? { source: options.source } : {}) };
	if (open === -1) return rule;
	if (!trimmed.endsWith(')')) fail(trimmed.includes(')') ? 'nothing may follow the closing ")"' : 'the closing ")" is missing');
	const pattern = trimmed.slice(open + 1, -1).trim();
	if (pattern === '') fail(`the pattern is empty; write the bare name ${tool} to match every call`);
	const target = targetOf(tool);
	if (target?.kind === 'none') fail(`${tool} has no argument to match; write the bare name ${tool}`);
	if (target?.kind === 'path' || target?.kind === 'paths') {
		try {
			picomatch.makeRe(normalizePathPattern(pattern));
		} catch (error) {
			fail(`the glob ${JSON.stringify(pattern)} is not valid (${error instanceof Error ? error.message : String(error)})`);
		}
	}
	return { ...rule, pattern };
}

/** Parses lists of allow and deny rules; the first malformed rule throws `RuleSyntaxError`. */
export function parseRules(lists: { allow?: readonly string[]; deny?: readonly string[] }, options: ParseRuleOptions = {}): PermissionRules {
	return { allow: (lists.allow ?? []).map((text) => parseRule(text, options)), deny: (lists.deny ?? []).map((text) => parseRule(text, options)) };
}

/**
 * A tool call as the rules see it. Path arguments carry every spelling that matters: as the model
 * wrote it (normalised, relative to the root) and where it really leads (after symbolic links).
 */
export interface CallSubject {
	tool: string;
	/** One entry per path argument, each with its spellings; undefined when the tool has none. */
	paths?: string[][];
	/** `git_commit` without `paths`: every change in the repository. */
	everything?: boolean;
	command?: string;
	text?: string;
}

/** Describes a validated call for rule matching and secret checks. Never throws. */
export function describeCall(tool: string, args: unknown, root: string): CallSubject {
	const record = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
	const target = targetOf(tool) ?? guessTarget(record);
	switch (target.kind) {
		case 'path': {
			const value = record[target.arg];
			const path = typeof value === 'string' && value !== '' ? value : target.fallback;
			return path === undefined ? { tool } : { tool, paths: [pathSpellings(root, path)] };
		}
		case 'paths': {
			const value = record[target.arg];
			if (!Array.isArray(value)) return { tool, paths: [], everything: true };
			return { tool, paths: value.filter((path): path is string => typeof path === 'string').map((path) => pathSpellings(root, path)) };
		}
		case 'command':
		case 'text': {
			const value = record[target.arg];
			return typeof value === 'string' ? { tool, [target.kind]: value } : { tool };
		}
		case 'none':
			return { tool };
	}
}

/**
 * Whether an allow rule covers the call. Strict: every spelling of every path must match, a
 * `git_commit` of everything is covered only by a bare rule, and in a shell command the `*` never
 * spans `;`, `&`, `|`, `<`, `>`, a backquote, `$(` or a new line, so `shell(npm test*)` does not
 * allow `npm test; rm -rf ~`.
 */
export function allowRuleMatches(rule: PermissionRule, call: CallSubject): boolean {
	if (rule.tool !== call.tool) return false;
	if (rule.pattern === undefined) return true;
	if (call.paths !== undefined) {
		if (call.everything || call.paths.length === 0) return false;
		const matches = pathMatcher(rule.pattern, false);
		return call.paths.every((spellings) => spellings.every(matches));
	}
	if (call.command !== undefined) return wildcard(rule.pattern, SAFE_STAR).test(squeeze(call.command));
	if (call.text !== undefined) return wildcard(rule.pattern, ANY_STAR).test(call.text.trim());
	return false;
}

/**
 * Whether a deny rule covers the call. Broad: any spelling of any path (case-insensitively), a
 * `git_commit` of everything, the whole command or any simple command in it (split at `;`, `&&`,
 * `||`, `|`, `&`, new lines, `$(`, backquotes and parentheses, without leading `VAR=value`, `sudo`,
 * `env`, `exec`, `command`, `nohup`, `time` or `xargs`). A guard rail, not a sandbox: `bash -c "rm …"` hides
 * `rm` from `shell(rm *)`.
 */
export function denyRuleMatches(rule: PermissionRule, call: CallSubject): boolean {
	if (rule.tool !== call.tool) return false;
	if (rule.pattern === undefined) return true;
	if (call.paths !== undefined) {
		if (call.everything) return true;
		const matches = pathMatcher(rule.pattern, true);
		return call.paths.some((spellings) => spellings.some(matches));
	}
	if (call.command !== undefined) {
		const matches = wildcard(rule.pattern, ANY_STAR);
		return [squeeze(call.command), ...simpleCommands(call.command)].some((command) => matches.test(command));
	}
	if (call.text !== undefined) return wildcard(rule.pattern, ANY_STAR).test(call.text.trim());
	return false;
}

/** A rule to suggest to the user for this call, e.g. `shell(npm test*)` or `write_file(src/app.ts)`. */
export function suggestRule(call: CallSubject): string {
	if (call.command !== undefined) {
		const words = squeeze(call.command).split(' ').slice(0, 2).join(' ');
		return `${call.tool}(${words}*)`;
	}
	const first = call.paths?.[0]?.[0];
	if (first !== undefined && !call.everything) return `${call.tool}(${first})`;
	return call.tool;
}

function targetOf(tool: string): RuleTarget | undefined {
	return Object.hasOwn(RULE_TARGETS, tool) ? RULE_TARGETS[tool] : undefined;
}

function guessTarget(args: Record<string, unknown>): RuleTarget {
	if (typeof args.path === 'string') return { kind: 'path', arg: 'path' };
	if (typeof args.command === 'string') return { kind: 'command', arg: 'command' };
	return { kind: 'none' };
}

/** The path as written (normalised, root-relative when inside) and, when it resolves, its real path. */
function pathSpellings(root: string, path: string): string[] {
	const spellings = [lexical(root, path)];
	try {
		const real = relativeToRoot(root, resolveInsideRoot(root, path));
		if (!spellings.includes(real)) spellings.push(real);
	} catch {
		// Refused or unresolvable: the tool refuses it too; the spelling as written still meets deny rules.
	}
	return spellings;
}

function lexical(root: string, path: string): string {
	let normalized = path.split(sep).join('/');
	if (isAbsolute(path)) {
		const inside = relative(root, path);
		if (inside.startsWith('..') || isAbsolute(inside)) return posix.normalize(normalized);
		normalized = inside.split(sep).join('/');
	}
	const clean = posix.normalize(normalized).replace(/\/+$/, '');
	return clean === '' ? '.' : clean;
}

function normalizePathPattern(pattern: string): string {
	let normalized = pattern.trim();
	while (normalized.startsWith('./')) normalized = normalized.slice(2);
	if (normalized.startsWith('/')) normalized = normalized.replace(/^\/+/, '');
	return normalized;
}

function pathMatcher(pattern: string, nocase: boolean): (path: string) => boolean {
	const anchored = pattern.trim().startsWith('/') || pattern.includes('/');
	const isMatch = picomatch(normalizePathPattern(pattern), { dot: true, basename: !anchored, nocase });
	return (path) => isMatch(path);
}

/** What `*` may cover in an allow rule for a command: no chaining, redirection or substitution. */
const SAFE_STAR = '(?:(?!\\$\\()[^;&|`<>\\n\\r])*';
const ANY_STAR = '[\\s\\S]*';

function wildcard(pattern: string, star: string): RegExp {
	const body = squeeze(pattern)
		.split('*')
		.map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join(star);
	return new RegExp(`^${body}$`);
}

/** Trims and turns every run of spaces and tabs into one space. */
function squeeze(command: string): string {
	return command.trim().replace(/[ \t]+/g, ' ');
}

const WRAPPER = /^(?:[A-Za-z_]\w*=\S*\s+|(?:sudo|env|exec|command|nohup|time|xargs)(?:\s+-\S+)*\s+)+/;

function simpleCommands(command: string): string[] {
	return command
		.split(/&&|\|\||;|\||&|\n|\r|\$\(|`|\(|\)/)
		.map((part) => squeeze(part).replace(WRAPPER, ''))
		.filter((part) => part !== '');
}
