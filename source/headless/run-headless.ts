import type { Readable, Writable } from 'node:stream';
import type { CliOptions } from '../cli-args.ts';
import { createLoginBearer } from '../auth/bearer.ts';
import { findRoot } from '../config.ts';
import { ConfigError, loadSettings, type Settings } from '../config-file.ts';
import { resolveLimits } from '../config-limits.ts';
import { EXIT } from '../exit-codes.ts';
import { type ModelSetup, ProfileError, resolveProfile } from '../profiles.ts';
import { createProjectAgent } from '../project-agent.ts';
import { setUpSandbox } from '../sandbox/sandbox-setup.ts';
import { type LoadedSession, loadSession } from '../session/resume.ts';
import { readControlLines } from './control-input.ts';
import { createOutput, drain } from './output.ts';

export interface HeadlessIO {
	stdin: Readable;
	stdout: Writable;
	stderr: Writable;
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Resolves when the process receives SIGINT (the host wires this up). */
	interrupted: Promise<void>;
	version: string;
}

export const NO_ENDPOINT_HELP = `orbit: no model endpoint is configured. Connect one of these ways:
  - an API key:        export OPENAI_API_KEY=…   (optionally OPENAI_BASE_URL and ORBIT_MODEL)
  - a local server:    orbit --base-url http://localhost:11434/v1 --model <name>   (Ollama)
                       orbit --base-url http://localhost:1234/v1 --model <name>    (LM Studio)
`;

/**
 * Runs the agent without a TTY: posts the `-p` task and/or follows control lines from stdin, until
 * the agent is idle with nothing more to do. With `--resume`/`--continue` it first goes on with the
 * recorded session (its unfinished loop, its waiting items), then does the same. Resolves with the
 * exit code; never throws for the user's mistakes (they become a message on stderr and exit code 2;
 * an unknown or missing session id too, with the recent sessions listed).
 */
export async function runHeadless(options: CliOptions, io: HeadlessIO): Promise<number> {
	let settings: Settings;
	try {
		settings = loadSettings({ root: findRoot(io.cwd).root, env: io.env, permission: options.permission });
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		io.stderr.write(`orbit: ${error.message}\n`);
		return EXIT.usage;
	}
	for (const warning of settings.warnings) io.stderr.write(`orbit: ${warning}\n`);
	let endpoint: ModelSetup;
	try {
		endpoint = resolveProfile({ flags: options, env: io.env, settings, loginBearer: (profile) => createLoginBearer({ profile, env: io.env }) });
	} catch (error) {
		if (!(error instanceof ProfileError)) throw error;
		io.stderr.write(`orbit: ${error.message}\n`);
		return EXIT.usage;
	}
	if (!endpoint.configured) {
		io.stderr.write(NO_ENDPOINT_HELP);
		return EXIT.usage;
	}
	if (options.prompt === undefined && options.input !== 'jsonl' && !options.resume) {
		io.stderr.write('orbit: headless mode needs a task (-p "task") or --input jsonl\n');
		return EXIT.usage;
	}
	let resume: LoadedSession | undefined;
	if (options.resume) {
		const { id, latest } = options.resume;
		const loaded = loadSession(findRoot(io.cwd).root, latest ? { latest: true } : { id: id ?? '' });
		if ('error' in loaded) {
			io.stderr.write(`orbit: ${loaded.error}\n`);
			return EXIT.usage;
		}
		resume = loaded;
		if (loaded.notice) io.stderr.write(`orbit: ${loaded.notice}\n`);
	}
	const sandbox = await setUpSandbox({ network: options.allowNetwork });
	if (sandbox.problem && settings.permission !== 'full' && settings.permission !== 'read-only') io.stderr.write(`orbit: ${sandbox.problem}\n`);
	let failed = false;
	let limited = false;
	let badInput = false;
	const write = createOutput(options.output, io.stdout, io.stderr);
	const { builder, project, reminders } = createProjectAgent({
		cwd: io.cwd,
		env: io.env,
		endpoint,
		sandbox,
		permission: settings.permission,
		limits: resolveLimits(options, settings),
		version: io.version,
		reminders: options.reminders,
		...(resume ? { resume } : {}),
		onWarning: (message) => io.stderr.write(`orbit: ${message}\n`),
	});
	for (const warning of project.warnings()) io.stderr.write(`orbit: ${warning.message}\n`);
	const agent = builder
		.permission({ mode: settings.permission, rules: settings.rules, shellSandboxed: sandbox.shellSandboxed })
		.subscribe((event) => {
			if (event.type === 'loop-end' && event.reason === 'error') failed = true;
			if (event.type === 'limit-reached') limited = true;
			write(event);
		})
		.start();

	let sigint = false;
	const interrupted = io.interrupted.then(() => {
		sigint = true;
	});

	if (options.prompt !== undefined) agent.post(options.prompt);
	const inputDone =
		options.input === 'jsonl'
			? readControlLines(io.stdin, (line) => {
					if ('error' in line) {
						badInput = true;
						io.stderr.write(`orbit: ignored an input line: ${line.error}\n`);
						return 'continue';
					}
					if (line.type === 'stop') return 'stop';
					if (line.type === 'abort') agent.abort();
					else agent.post(line.content, line.priority);
					return 'continue';
				})
			: Promise.resolve();

	// Reminders keep the run going until they have fired and the loops they started are over.
	const finished = inputDone.then(async () => {
		await agent.whenIdle();
		await reminders.settled();
		await agent.whenIdle();
	});
	await Promise.race([finished, interrupted]);
	await agent.stop(sigint ? 'interrupted' : 'done');
	await drain(io.stdout);
	if (sigint) return EXIT.interrupted;
	if (failed) return EXIT.error;
	if (limited) return EXIT.limit;
	if (badInput) return EXIT.usage;
	return EXIT.done;
}
