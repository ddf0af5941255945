import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { errorMessage } from '../source/runtime/events.ts';
import type { ToolContext, ToolResult } from '../source/runtime/tool.ts';
import type { Sandbox } from '../source/sandbox/sandbox.ts';
import { processAlive } from '../source/sandbox/process-alive.ts';

/**
 * Variables simple-git refuses to pass on (editors, pagers, askpass, config and exec paths), and
 * GIT_* overrides that would point git somewhere other than the repository root. Identity
 * (GIT_AUTHOR_*, GIT_COMMITTER_*) stays.
 */
const WITHHELD_FROM_GIT = /^(EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS|GIT_(?!AUTHOR_|COMMITTER_).*)$/i;

/**
 * The client-side hooks git may run for Orbit's git tools when there is a sandbox; each runs inside
 * it. Hooks not listed (reference-transaction, post-index-change, …) do not run then.
 */
export const SANDBOXED_HOOKS = [
	'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg',
	'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'post-rewrite',
];

/**
 * simple-git on the repository root: stops on `ctx.signal` (killing git) and runs git, and the hooks
 * it starts, with the credential-free child environment. With `ctx.sandbox`, git itself runs on the
 * host but every hook runs in the sandbox (`.git` read-only, no network): `core.hooksPath` points to
 * Orbit's wrappers (see `sandboxedHooksPath`). Git also runs no fsmonitor and does not look inside
 * submodules' work trees, so a nested repository the model made cannot run its config's commands here.
 */
export function gitFor(ctx: Pick<ToolContext, 'root' | 'signal' | 'env' | 'sandbox'>): SimpleGit {
	const env = Object.fromEntries(Object.entries(ctx.env).filter(([name]) => !WITHHELD_FROM_GIT.test(name)));
	if (ctx.sandbox === undefined) return simpleGit({ baseDir: ctx.root, abort: ctx.signal }).env(env);
	return simpleGit({
		baseDir: ctx.root,
		abort: ctx.signal,
		config: [`core.hooksPath=${sandboxedHooksPath(ctx.sandbox, ctx.root)}`, 'core.fsmonitor=false', 'diff.ignoreSubmodules=dirty'],
		unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true },
	}).env(env);
}

const hookFolders = new WeakMap<Sandbox, Map<string, string>>();
let processHookFolder: string | undefined;

/**
 * `<tmp>/orbit-hooks-<pid>-<random>`, private to this process and removed at exit; those of Orbit
 * processes that died without cleaning up are removed on the way.
 */
function hookFolderOfProcess(): string {
	if (processHookFolder !== undefined) return processHookFolder;
	for (const name of readdirSync(tmpdir())) {
		const pid = Number(/^orbit-hooks-(\d+)-/.exec(name)?.[1]);
		if (!pid || pid === process.pid || processAlive(pid)) continue;
		const path = join(tmpdir(), name);
		try {
			if (lstatSync(path).uid === process.getuid?.()) rmSync(path, { recursive: true, force: true });
		} catch {
			// Someone else's, or gone.
		}
	}
	const folder = mkdtempSync(join(tmpdir(), `orbit-hooks-${process.pid}-`));
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
	processHookFolder = folder;
	return folder;
}


/**
 * A private folder (one per sandbox and repository) with one script per name in SANDBOXED_HOOKS,
 * rewritten at every call so it follows the sandbox (host sockets come and go). Each script asks git
 * for the repository's real hooks folder (`core.hooksPath` or `.git/hooks`), does nothing when that
 * hook is absent, and otherwise runs it through `sandbox.wrap` with the arguments and stdin git gave.
 * A hook outside the repository (hidden in the sandbox, e.g. global hooks in the home) is handed in
 * as an open file descriptor.
 */
export function sandboxedHooksPath(sandbox: Sandbox, root: string): string {
	let byRoot = hookFolders.get(sandbox);
	if (!byRoot) hookFolders.set(sandbox, (byRoot = new Map()));
	let folder = byRoot.get(root);
	if (folder === undefined) {
		folder = mkdtempSync(join(hookFolderOfProcess(), 'hooks-'));
		byRoot.set(root, folder);
	}
	const spawn = sandbox.wrap('exec "$0" "$@"', { cwd: root, root, network: false });
	const run = [spawn.file, ...spawn.args].map(shellQuote).join(' ');
	for (const name of SANDBOXED_HOOKS) {
		const script = [
			'#!/bin/sh',
			`# Written by Orbit: runs the repository's ${name} hook inside the shell sandbox.`,
			'hooks=$(unset GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT; git rev-parse --git-path hooks) || exit 1',
			'case $hooks in /*) ;; *) hooks=$PWD/$hooks ;; esac',
			`hook=$hooks/${name}`,
			'[ -f "$hook" ] && [ -x "$hook" ] || exit 0',
			`case $hook in ${shellQuote(root)}/*) exec ${run} "$hook" "$@" ;; esac`,
			`exec 3<"$hook" && exec ${run} /proc/self/fd/3 "$@"`,
			'',
		].join('\n');
		writeFileSync(join(folder, name), script, { mode: 0o755 });
	}
	return folder;
}

function shellQuote(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A failed git command as an error result; rethrows when the failure is the user's interrupt. */
export function gitFailure(what: string, error: unknown, signal: AbortSignal): ToolResult {
	if (signal.aborted) throw error;
	const message = errorMessage(error).trim();
	if (/not a git repository/i.test(message)) {
		return { content: `${what} failed: the workspace is not a git repository.`, isError: true };
	}
	return { content: `${what} failed: ${message}`, isError: true };
}
