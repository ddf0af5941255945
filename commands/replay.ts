import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findRoot } from '../source/config.ts';
import { createOutput } from '../source/headless/output.ts';
import { errorMessage } from '../source/runtime/events.ts';
import { ReplayPlayer } from '../source/session/replay.ts';
import { readSessionLog, type SessionLog, SessionLogError } from '../source/session/read-log.ts';
import { resolveSessionLog } from '../source/session/replay-log.ts';

/** Orbit's own folder, where `examples/` ships: `..` from this file and from the bundle (`dist/cli.js`) alike. */
const SHIPPED = fileURLToPath(new URL('../', import.meta.url));
import type { Subcommand, SubcommandIo } from './doctor.ts';

export const REPLAY_USAGE = 'orbit replay <id|file.jsonl> [--speed N] [--output jsonl|text]';

export interface ReplayDeps {
	cwd(): string;
	/** True when a person is at a terminal (stdin and stdout are TTYs): the workbench replays then. */
	interactive(): boolean;
	/** Opens the replay workbench; resolves with the exit code. */
	runTui(session: SessionLog, speed: number, env: NodeJS.ProcessEnv): Promise<number>;
}

const defaultDeps: ReplayDeps = {
	cwd: () => process.cwd(),
	interactive: () => process.stdin.isTTY === true && process.stdout.isTTY === true,
	async runTui(session, speed, env) {
		const { runReplayTui } = await import('../source/ui/replay/run-replay-tui.tsx');
		return runReplayTui({ session, speed }, env);
	},
};

/**
 * `orbit replay <id|path>`: plays a recorded session back — in the workbench when a person is at a
 * terminal, else (or with `--output`) as events on stdout: `jsonl` every recorded event, one per
 * line, exactly as logged; `text` the agent's messages. Headless output is immediate unless `--speed`
 * is given. Never builds an agent, calls a model or runs a tool. Exit 0; 1 when the log cannot be
 * read; 2 for bad arguments. A torn last line is reported on stderr and left out. Never throws.
 */
export function createReplaySubcommand(overrides: Partial<ReplayDeps> = {}): Subcommand {
	const deps = { ...defaultDeps, ...overrides };
	return {
		name: 'replay',
		summary: 'Play a recorded session back without calling a model',
		async run(argv, io) {
			let values;
			let positionals: string[];
			try {
				({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { speed: { type: 'string' }, output: { type: 'string' } } }));
			} catch (error) {
				return usage(io, errorMessage(error));
			}
			if (positionals.length !== 1) return usage(io, positionals.length === 0 ? 'say which session: an id from .orbit/sessions or a .jsonl file' : `one session at a time (got ${positionals.length})`);
			const speed = values.speed === undefined ? undefined : Number(values.speed);
			if (speed !== undefined && (!Number.isFinite(speed) || speed <= 0)) return usage(io, `--speed must be a positive number such as 0.5, 2 or 10, not "${values.speed}"`);
			const output = values.output;
			if (output !== undefined && output !== 'jsonl' && output !== 'text') return usage(io, `--output must be jsonl or text, not "${output}"`);

			let session: SessionLog;
			try {
				const cwd = deps.cwd();
				session = readSessionLog(resolveSessionLog(positionals[0]!, cwd, findRoot(cwd).root, SHIPPED));
			} catch (error) {
				if (!(error instanceof SessionLogError)) throw error;
				io.stderr.write(`orbit replay: ${error.message}\n`);
				return 1;
			}
			if (session.torn) io.stderr.write(`orbit replay: line ${session.torn.line} of ${session.path} was cut short (a crash while writing?); it is left out\n`);
			if (output === undefined && deps.interactive()) return deps.runTui(session, speed ?? 1, io.env);
			return playHeadless(session, output ?? 'jsonl', speed, io);
		},
	};
}

async function playHeadless(session: SessionLog, format: 'jsonl' | 'text', speed: number | undefined, io: SubcommandIo): Promise<number> {
	// A reader that stops early (`| head`) closes the pipe: the replay ends quietly, it is not an error.
	let closed = false;
	let player: ReplayPlayer | undefined;
	const stream = io.stdout as Partial<Pick<Writable, 'on'>>;
	stream.on?.('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') io.stderr.write(`orbit replay: cannot write the events: ${error.message}\n`);
		closed = true;
		player?.stop();
	});
	// createOutput only ever calls write(text).
	const write = createOutput(format, io.stdout as unknown as Writable, io.stderr as unknown as Writable);
	if (speed === undefined) {
		for (const event of session.events) {
			if (closed) break;
			write(event);
		}
		return 0;
	}
	player = new ReplayPlayer(session.events, (event) => write(event), { speed });
	player.start();
	await player.finished;
	return 0;
}

function usage(io: SubcommandIo, message: string): number {
	io.stderr.write(`orbit replay: ${message}\nUsage: ${REPLAY_USAGE}\n`);
	return 2;
}

/** `orbit replay` with the process's terminal and working directory. */
export const replaySubcommand: Subcommand = createReplaySubcommand();
