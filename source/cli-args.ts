import { parseArgs } from 'node:util';
import { parseReminder } from './runtime/triggers/reminders.ts';
import { isPermissionMode, type PermissionMode } from './sandbox/permission.ts';

export interface CliOptions {
	prompt?: string;
	output: 'text' | 'jsonl';
	input: 'none' | 'jsonl';
	model?: string;
	baseUrl?: string;
	/** `--profile <name>`: a provider profile of the user's config (see `resolveProfile`). */
	profile?: string;
	/** Undefined when the flag is absent: the config files decide, else `ask`. */
	permission?: PermissionMode;
	/** The budgets; undefined when the flag is absent (config `limits`, then defaults, decide: `resolveLimits`). */
	maxTurns?: number;
	maxTokens?: number;
	/** US dollars per session. */
	maxCost?: number;
	maxTimeMs?: number;
	theme?: string;
	/** `--remind "10m text"`, in the order given: each fires its text as a timer trigger after the delay. */
	reminders: { delayMs: number; text: string }[];
	allowNetwork: boolean;
	/** `--resume [id]` (`id` absent: none given) or `--continue` (`latest`): go on with a recorded session. */
	resume?: { id?: string; latest: boolean };
	help: boolean;
	version: boolean;
	positionals: string[];
}

export class UsageError extends Error {
	override name = 'UsageError';
}

export const HELP = `orbit — a terminal workbench for an autonomous coding agent

Usage:
  orbit [options]                  the interactive workbench (needs a terminal)
  orbit -p "task" [options]        run headless until the agent is idle, then exit
  orbit --input jsonl [options]    headless, steered by control lines on stdin
  orbit doctor                     check node, git, the shell sandbox and the model endpoint
  orbit context                    list the AGENT.md files a session here would load, and why
  orbit undo [--turn N] [--list]   undo the agent's file changes of a turn (latest session by default)
  orbit replay <id|file> [--speed N] [--output jsonl|text]
                                   play a recorded session back; no model is called, nothing runs
  orbit export <id|file> [-o file|-]
                                   write a recorded session as a Markdown transcript
  orbit sessions                   list the sessions recorded in this repository
  orbit login [--profile NAME] [--preset NAME | --issuer URL | --device-endpoint URL --token-endpoint URL]
              [--client-id ID] [--scope S] [--base-url URL] [--model M]
                                   sign in with the OAuth device flow (open the URL on any device and
                                   enter the code); with --base-url, saves profile NAME to use the login
  orbit logout [--profile NAME]    revoke and delete a profile's login
  orbit auth status [--profile NAME]
                                   who is signed in, where, until when (exit 1 when no one is)
  orbit --continue [options]       go on with the latest session here (headless without a terminal)
  orbit --resume <id> [options]    go on with a recorded session

Options:
  -p, --prompt <task>       the task to start with (with --resume/--continue: a new task for that session)
  --resume <id>             go on with a recorded session (orbit sessions lists them); headless without
                            a terminal or with -p: runs until the agent is idle, then exits
  --continue                the same with the latest session of this repository
  --output text|jsonl       text: the agent's messages to you (default); jsonl: every event
  --input jsonl             read control lines from stdin:
                              {"type":"post","content":"…","priority":"interruption"|"for-next-turn"|"in-the-end"}
                              {"type":"abort"}   {"type":"stop"}
  --model <name>            model name (env ORBIT_MODEL)
  --base-url <url>          OpenAI-compatible endpoint (env OPENAI_BASE_URL; key from OPENAI_API_KEY)
  --profile <name>          a provider profile from the user config (env ORBIT_PROFILE); --model and
                            --base-url still override its fields
  --permission <mode>       read-only | ask (default; headless denies what needs approval) | auto | full
  --allow-network           let sandboxed shell commands use the network (off by default)
  --max-turns <n>           model calls per loop (default 100)
  --max-tokens <n>          tokens per session
  --max-cost <usd>          US dollars per session, e.g. 0.50 (priced models only)
  --max-time <duration>     wall time per loop, e.g. 90s, 10m, 1h
  --theme <name>            dark (default), light or high-contrast; NO_COLOR turns colours off
  --remind "<time> <text>"  tell the agent <text> after <time> (90s, 10m, 1h30m); repeatable
  -h, --help                this help
  -v, --version             the version

Config: permission, rules {allow, deny} (e.g. "shell(npm test*)", "write_file(src/**)"), theme, model,
baseUrl, limits {maxTurns, maxTokens, maxCost, maxTime} in ~/.config/orbit/config.json
(ORBIT_CONFIG_DIR overrides the folder) and .orbit/config.json in the repository (which cannot grant
full or set baseUrl, and can only tighten limits). --permission and the --max-* flags win over both.
Provider profiles live in the user config only: "profile" (the default one) and "profiles" {NAME:
{baseUrl, auth: {"type": "env", "variable": "KEY_VAR"} | {"type": "login"} | {"type": "none"}, model,
fallbackModels [..], prices {MODEL: {input, output}} (USD per million tokens)}}. "logins" {NAME:
{issuer | deviceEndpoint + tokenEndpoint, revocationEndpoint, clientId, scope}} are presets for
orbit login --preset NAME (github is built in); one named like a profile serves orbit login --profile NAME.

Exit codes: 0 done, 1 runtime or model error, 2 bad usage or input, 3 a limit reached, 130 interrupted (SIGINT).`;

/** Parses the command line; throws UsageError with a message meant for the user. */
export function parseCli(argv: string[]): CliOptions {
	let values;
	let positionals: string[];
	try {
		({ values, positionals } = parseArgs({
			args: withOptionalResumeValue(argv),
			allowPositionals: true,
			strict: true,
			options: {
				prompt: { type: 'string', short: 'p' },
				output: { type: 'string', default: 'text' },
				input: { type: 'string' },
				model: { type: 'string' },
				'base-url': { type: 'string' },
				permission: { type: 'string' },
				profile: { type: 'string' },
				'max-turns': { type: 'string' },
				'max-tokens': { type: 'string' },
				'max-cost': { type: 'string' },
				'max-time': { type: 'string' },
				theme: { type: 'string' },
				remind: { type: 'string', multiple: true },
				'allow-network': { type: 'boolean', default: false },
				resume: { type: 'string' },
				continue: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false },
				version: { type: 'boolean', short: 'v', default: false },
			},
		}));
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
	if (values.output !== 'text' && values.output !== 'jsonl') throw new UsageError(`--output must be text or jsonl, not "${values.output}"`);
	if (values.input !== undefined && values.input !== 'jsonl') throw new UsageError(`--input must be jsonl, not "${values.input}"`);
	if (values.permission !== undefined && !isPermissionMode(values.permission)) throw new UsageError(`--permission must be read-only, ask, auto or full, not "${values.permission}"`);
	if (values.prompt !== undefined && values.prompt.trim() === '') throw new UsageError('-p needs a task');
	if (values.profile !== undefined && values.profile.trim() === '') throw new UsageError('--profile needs a profile name');
	if (values.resume !== undefined && values.continue) throw new UsageError('--resume and --continue cannot be used together');
	const resume = values.continue ? { latest: true } : values.resume !== undefined ? { ...(values.resume === '' ? {} : { id: values.resume }), latest: false } : undefined;
	return {
		prompt: values.prompt,
		output: values.output,
		input: values.input === 'jsonl' ? 'jsonl' : 'none',
		model: values.model,
		baseUrl: values['base-url'],
		...(values.profile !== undefined && { profile: values.profile.trim() }),
		permission: values.permission,
		maxTurns: positiveInteger('--max-turns', values['max-turns']),
		maxTokens: positiveInteger('--max-tokens', values['max-tokens']),
		maxCost: positiveAmount('--max-cost', values['max-cost']),
		maxTimeMs: values['max-time'] === undefined ? undefined : parseDuration(values['max-time']),
		theme: values.theme,
		reminders: (values.remind ?? []).map(reminderArgument),
		allowNetwork: values['allow-network'],
		...(resume ? { resume } : {}),
		help: values.help,
		version: values.version,
		positionals,
	};
}

/** `--resume` may come without an id (before another option or last): give it an empty value. */
function withOptionalResumeValue(argv: string[]): string[] {
	return argv.map((arg, index) => (arg === '--resume' && (index === argv.length - 1 || argv[index + 1]!.startsWith('-')) ? '--resume=' : arg));
}

function reminderArgument(value: string): { delayMs: number; text: string } {
	const parsed = parseReminder(value);
	if ('error' in parsed) throw new UsageError(`--remind "${value}": ${parsed.error}`);
	return parsed;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${flag} must be a positive whole number, not "${value}"`);
	return number;
}

function positiveAmount(flag: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const amount = Number(value.trim().replace(/^\$/, ''));
	if (value.trim() === '' || !Number.isFinite(amount) || amount <= 0) throw new UsageError(`${flag} must be a positive amount of US dollars such as 0.50, not "${value}"`);
	return amount;
}

/** `90s`, `10m`, `1h`, `1500ms` or plain milliseconds. */
export function parseDuration(value: string): number {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
	if (!match) throw new UsageError(`--max-time must look like 90s, 10m or 1h, not "${value}"`);
	const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
	return Math.round(Number(match[1]) * unit);
}
