import './early-input.ts';
import { setFlagsFromString } from 'node:v8';
import { SUBCOMMANDS } from '../commands/subcommands.ts';
import { HELP, parseCli, UsageError } from './cli-args.ts';
import { EXIT } from './exit-codes.ts';
import { runHeadless } from './headless/run-headless.ts';
import { setUpSandbox } from './sandbox/sandbox-setup.ts';
import { VERSION } from './version.ts';

/** Entry: arguments → headless run or help. Sets `process.exitCode`; never leaves a stack trace for the user's mistakes. */
async function main(argv: string[]): Promise<number> {
	const load = argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0]) ? SUBCOMMANDS[argv[0]] : undefined;
	if (load) return (await load()).run(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
	let options;
	try {
		options = parseCli(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`orbit: ${error.message}\nRun orbit --help for the options.\n`);
		return EXIT.usage;
	}
	if (options.help) {
		process.stdout.write(`${HELP}\n`);
		return EXIT.done;
	}
	if (options.version) {
		process.stdout.write(`${VERSION}\n`);
		return EXIT.done;
	}
	if (options.positionals.length > 0) {
		process.stderr.write(`orbit: unknown command "${options.positionals[0]}"\nRun orbit --help for the options.\n`);
		return EXIT.usage;
	}
	const terminal = process.stdin.isTTY && process.stdout.isTTY;
	// Without a terminal, --resume/--continue go on headless.
	if (options.prompt === undefined && options.input === 'none' && !(options.resume && !terminal)) {
		if (!terminal) {
			process.stderr.write('orbit: no terminal. Run headless with orbit -p "task" (add --output jsonl for events, --input jsonl for control lines); see orbit --help.\n');
			return EXIT.usage;
		}
		// The workbench waits on people and sockets: over a streamed answer V8's optimizing compiler spent
		// more CPU compiling than its code ever saved (bench/README.md, fourth pass). Baseline code only.
		setFlagsFromString('--max-opt=1');
		// Probing the sandbox spawns bubblewrap; let it run while the workbench's modules load.
		void setUpSandbox({ network: options.allowNetwork });
		const { runTui } = await import('./ui/run-tui.tsx');
		return runTui(options, process.env, VERSION);
	}
	let onSigint!: () => void;
	const interrupted = new Promise<void>((resolve) => {
		onSigint = () => {
			if (sigints++ > 0) process.exit(EXIT.interrupted);
			resolve();
		};
	});
	let sigints = 0;
	process.on('SIGINT', onSigint);
	process.on('SIGTERM', () => process.exit(EXIT.terminated));
	// `orbit -p … | head`: the reader left; stop quietly (the session log has everything) rather than crash.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(EXIT.done);
		throw error;
	});
	return runHeadless(options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, interrupted, version: VERSION });
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
		// Open handles (stdin, sockets) must not keep a finished run alive.
		setImmediate(() => process.exit(code));
	},
	(error: unknown) => {
		process.stderr.write(`orbit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(EXIT.error);
	},
);
