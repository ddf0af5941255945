import { findRoot } from '../config.ts';
import type { PermissionDecision, PermissionPolicy, Tool } from '../runtime/tool.ts';
import { isSecretPath } from './paths.ts';
import { allowRuleMatches, type CallSubject, denyRuleMatches, describeCall, parseRule, type PermissionRule, type PermissionRules, RULE_TARGETS, suggestRule } from './rules.ts';

export const PERMISSION_MODES = ['read-only', 'ask', 'auto', 'full'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

export function isPermissionMode(value: unknown): value is PermissionMode {
	return typeof value === 'string' && (PERMISSION_MODES as readonly string[]).includes(value);
}

export interface ApprovalRequest {
	tool: string;
	access: Tool['access'];
	args: unknown;
	/** Why a person is asked, one clause each: "the permission mode is ask", "no sandbox is available…". */
	reason?: string;
}

/** Asks a person. Absent in headless mode, where every question becomes a denial the model can read. */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<PermissionDecision>;

export interface PermissionPolicyOptions {
	mode: PermissionMode;
	/** Parsed rules, or rule strings (parsed here, `user` origin; a malformed one throws `RuleSyntaxError`). */
	rules?: { allow?: readonly (string | PermissionRule)[]; deny?: readonly (string | PermissionRule)[] };
	approver?: Approver;
	/**
	 * Whether `execute` tools (shell) run inside an OS sandbox. Default false: then every command
	 * needs approval even in `auto` (never silently unconfined); only `full` runs it without asking.
	 */
	shellSandboxed?: boolean;
	/** The repository root path rules are relative to; default: the repository around `process.cwd()`. */
	root?: string;
}

/** The policy Orbit builds: its mode can be changed by the user (flag, TUI), never by a tool. */
export interface ModePermissionPolicy extends PermissionPolicy {
	readonly mode: PermissionMode;
	setMode(mode: PermissionMode): void;
}

/** Why a call needs a person, beyond deny rules. Allow rules lift them by origin (see `PermissionRule.origin`). */
type ConcernKind = 'mode' | 'unsandboxed' | 'secret' | 'orbit-config' | 'agreements';
interface Concern {
	kind: ConcernKind;
	clause: string;
}

/** Writing this makes the next session's rules and mode: only the user may, whatever the mode (but `full`). */
const ORBIT_CONFIG = '.orbit/config.json';
/** Agreements join every system prompt: a model that wrote one unasked (say, from a prompt injection) would keep obeying it. */
const AGREEMENTS = '.orbit/agreements.md';

/**
 * The permission modes and rules of PRODUCT §7. In order:
 * 1. a deny rule that matches refuses the call, in every mode;
 * 2. `read-only` refuses every tool that is not a reading one (no allow rule lifts that);
 * 3. `full` runs everything else;
 * 4. otherwise the call needs a person when the mode is `ask` and the tool writes or executes, when
 *    an `execute` tool would run without a sandbox (`shellSandboxed` false, also in `auto`), when a
 *    reading tool opens a secret-looking file (`isSecretPath`: `.env`, keys, …), when a tool
 *    writes `.orbit/config.json`, or when it changes the agreements (`.orbit/AGREEMENTS.md`);
 * 5. an allow rule that matches lifts those questions: one from the user lifts them all, one from a
 *    repository's own config only the mode's (a clone cannot run itself unsandboxed, read secrets or
 *    rewrite its config unasked);
 * 6. what remains goes to the approver; with none (headless) it is a denial whose reason tells the
 *    model what happened and what the user can do (a rule to add, a flag).
 * `check` never throws.
 */
export function createPermissionPolicy(options: PermissionPolicyOptions): ModePermissionPolicy;
/** The same with no rules and no sandbox (every command asks, but in `full`). */
export function createPermissionPolicy(mode: PermissionMode, approver?: Approver): ModePermissionPolicy;
export function createPermissionPolicy(first: PermissionMode | PermissionPolicyOptions, approver?: Approver): ModePermissionPolicy {
	const options: PermissionPolicyOptions = typeof first === 'string' ? { mode: first, approver } : first;
	if (!isPermissionMode(options.mode)) throw new Error(`Unknown permission mode ${JSON.stringify(options.mode)}; use ${PERMISSION_MODES.join(', ')}.`);
	const rules = toRules(options.rules);
	const shellSandboxed = options.shellSandboxed ?? false;
	let root = options.root;
	let mode = options.mode;
	return {
		get mode() {
			return mode;
		},
		setMode(next: PermissionMode) {
			if (!isPermissionMode(next)) throw new Error(`Unknown permission mode ${JSON.stringify(next)}; use ${PERMISSION_MODES.join(', ')}.`);
			mode = next;
		},
		async check(tool: Tool, args: unknown, signal: AbortSignal): Promise<PermissionDecision> {
			root ??= findRoot(process.cwd()).root;
			const call = describeCall(tool.name, args, root);
			const denied = rules.deny.find((rule) => denyRuleMatches(rule, call));
			if (denied) {
				return {
					allow: false,
					reason: `the rule ${JSON.stringify(denied.text)} in ${denied.source ?? 'the permission rules'} forbids this call. Do not try to get around it with another tool or spelling; do the task another way or tell the user.`,
				};
			}
			if (mode === 'read-only' && tool.access !== 'read') {
				return { allow: false, reason: `the session is read-only; ${tool.name} changes files or runs commands. Describe the change to the user instead.` };
			}
			if (mode === 'full') return { allow: true };
			let concerns = concernsFor(tool, call, mode, shellSandboxed);
			if (concerns.length === 0) return { allow: true };
			const allowed = rules.allow.filter((rule) => allowRuleMatches(rule, call));
			if (allowed.some((rule) => rule.origin === 'user')) return { allow: true };
			if (allowed.length > 0) concerns = concerns.filter((concern) => concern.kind !== 'mode');
			if (concerns.length === 0) return { allow: true };
			const reason = concerns.map((concern) => concern.clause).join('; ');
			if (options.approver) {
				try {
					return await options.approver({ tool: tool.name, access: tool.access, args, reason }, signal);
				} catch (error) {
					return { allow: false, reason: `the approval failed (${error instanceof Error ? error.message : String(error)})` };
				}
			}
			return { allow: false, reason: headlessDenial(tool.name, call, reason, concerns) };
		},
	};
}

function toRules(rules: PermissionPolicyOptions['rules']): PermissionRules {
	const each = (list: readonly (string | PermissionRule)[] | undefined) => (list ?? []).map((rule) => (typeof rule === 'string' ? parseRule(rule) : rule));
	return { allow: each(rules?.allow), deny: each(rules?.deny) };
}

function concernsFor(tool: Tool, call: CallSubject, mode: PermissionMode, shellSandboxed: boolean): Concern[] {
	const concerns: Concern[] = [];
	if (mode === 'ask' && tool.access !== 'read') {
		concerns.push({ kind: 'mode', clause: `the permission mode is ask and ${tool.name} ${tool.access === 'execute' ? 'runs commands' : 'changes files'}` });
	}
	// git_commit runs the repository's hooks, which are commands like any other.
	if ((tool.access === 'execute' || tool.name === 'git_commit') && !shellSandboxed) {
		concerns.push({ kind: 'unsandboxed', clause: 'no sandbox is available on this machine, so the command would run unconfined' });
	}
	const spellings = call.paths?.flat() ?? [];
	if (tool.access === 'read') {
		const secret = spellings.find(isSecretPath);
		if (secret !== undefined) concerns.push({ kind: 'secret', clause: `${secret} looks like it holds secrets` });
	}
	const writesPath = tool.access === 'write' && (RULE_TARGETS[tool.name]?.kind ?? 'path') === 'path';
	if (writesPath && spellings.some((path) => path.toLowerCase() === ORBIT_CONFIG)) {
		concerns.push({ kind: 'orbit-config', clause: `${ORBIT_CONFIG} holds Orbit's own permissions` });
	}
	const memoryEdit = tool.name === 'memory_add' || tool.name === 'memory_remove';
	if ((memoryEdit && call.text === 'AGREEMENTS') || (writesPath && spellings.some((path) => path.toLowerCase() === AGREEMENTS))) {
		concerns.push({ kind: 'agreements', clause: 'agreements are rules for every later request, which only the user sets' });
	}
	return concerns;
}

function headlessDenial(tool: string, call: CallSubject, reason: string, concerns: Concern[]): string {
	const kinds = new Set(concerns.map((concern) => concern.kind));
	const rule = JSON.stringify(suggestRule(call));
	let remedy: string;
	if (kinds.has('orbit-config')) remedy = `Only the user changes Orbit's settings; tell them what you would change.`;
	else if (kinds.has('agreements')) remedy = `Ask the user to confirm the agreement (with user_send_message), or record it as a fact in MEMORY instead.`;
	else if (kinds.has('secret')) remedy = `The user can allow it with a rule such as ${rule} under rules.allow in their Orbit config.`;
	else if (kinds.has('unsandboxed')) {
		remedy = `The user can allow such commands with a rule such as ${rule} under rules.allow in their Orbit config, or rerun with --permission full to run commands without a sandbox.`;
	} else remedy = `The user can allow it with a rule such as ${rule} under rules.allow in their Orbit config, or rerun with --permission auto.`;
	return `${tool} needs the user's approval (${reason}), and no one can approve in this headless session. ${remedy} Meanwhile continue with tools that are allowed, or tell the user what you would do.`;
}
