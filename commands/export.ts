import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findRoot } from '../source/config.ts';
import { errorMessage } from '../source/runtime/events.ts';
import { defaultExportPath, exportMarkdown } from '../source/session/export.ts';
import { readSessionLog, type SessionLog, SessionLogError } from '../source/session/read-log.ts';
import { resolveSessionLog } from '../source/session/replay-log.ts';

/** Orbit's own folder, where `examples/` ships: `..` from this file and from the bundle (`dist/cli.js`) alike. */
const SHIPPED = fileURLToPath(new URL('../', import.meta.url));
import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';
import type { Subcommand } from './doctor.ts';

export const EXPORT_USAGE = 'orbit export <id|file.jsonl> [-o file.md | -o -]';

/**
 * Writes the Markdown transcript of the log at `logPath` to `target` (folders are created), or to
 * `.orbit/exports/<id>.md` under `root` when `target` is undefined. Returns the session and where it
 * went. Throws SessionLogError for a log that cannot be read, and the file system's error when the
 * transcript cannot be written.
 */
export function exportSession(logPath: string, root: string, target?: string): { session: SessionLog; path: string } {
	const session = readSessionLog(logPath);
	const path = target ?? defaultExportPath(root, session.header.sessionId);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, exportMarkdown(session));
	return { session, path };
}

/**
 * `/export [file]`: the current session as a Markdown transcript, to `file` (relative to the working
 * directory) or `.orbit/exports/<id>.md` in the repository. The session must be recorded (a log file
 * in the context); otherwise it says so and writes nothing.
 */
export function createExportCommand(cwd: () => string = () => process.cwd()): SlashCommand {
	return {
		name: 'export',
		summary: 'Write the session as a Markdown transcript',
		usage: '/export [file]',
		run(args, ctx) {
			if (ctx.sessionLog === undefined) return notice('This session is not recorded, so there is nothing to export.', 'warning');
			const here = cwd();
			try {
				const { path, session } = exportSession(ctx.sessionLog, findRoot(here).root, args === '' ? undefined : resolve(here, args));
				const torn = session.torn ? ` (the log's last line was cut short and is left out)` : '';
				return notice(`Exported the session to ${shown(path, here)}${torn}.`);
			} catch (error) {
				return notice(`Could not export the session: ${errorMessage(error)}`, 'error');
			}
		},
	};
}

/** `/export` in the process's working directory. */
export const exportCommand: SlashCommand = createExportCommand();

/**
 * `orbit export <id|path> [-o file]`: writes a recorded session's transcript to `file`, to stdout
 * with `-o -`, or to `.orbit/exports/<id>.md` in the repository, and names the file on stdout.
 * Exit 0; 1 when the log cannot be read or the file written; 2 for bad arguments. Never throws.
 */
export function createExportSubcommand(cwd: () => string = () => process.cwd()): Subcommand {
	return {
		name: 'export',
		summary: 'Write a recorded session as a Markdown transcript',
		async run(argv, io) {
			let values;
			let positionals: string[];
			try {
				({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { output: { type: 'string', short: 'o' } } }));
			} catch (error) {
				io.stderr.write(`orbit export: ${errorMessage(error)}\nUsage: ${EXPORT_USAGE}\n`);
				return 2;
			}
			if (positionals.length !== 1) {
				io.stderr.write(`orbit export: ${positionals.length === 0 ? 'say which session: an id from .orbit/sessions or a .jsonl file' : `one session at a time (got ${positionals.length})`}\nUsage: ${EXPORT_USAGE}\n`);
				return 2;
			}
			const here = cwd();
			try {
				const root = findRoot(here).root;
				const logPath = resolveSessionLog(positionals[0]!, here, root, SHIPPED);
				if (values.output === '-') {
					io.stdout.write(exportMarkdown(readSessionLog(logPath)));
					return 0;
				}
				const { path, session } = exportSession(logPath, root, values.output === undefined ? undefined : resolve(here, values.output));
				if (session.torn) io.stderr.write(`orbit export: line ${session.torn.line} of ${session.path} was cut short; it is left out\n`);
				io.stdout.write(`Exported session ${session.header.sessionId} to ${shown(path, here)}\n`);
				return 0;
			} catch (error) {
				io.stderr.write(`orbit export: ${error instanceof SessionLogError ? error.message : `cannot write the transcript: ${errorMessage(error)}`}\n`);
				return 1;
			}
		},
	};
}

export const exportSubcommand: Subcommand = createExportSubcommand();

/** A path relative to `here` when it lies below it, else absolute. */
function shown(path: string, here: string): string {
	const rel = relative(here, path);
	return rel !== '' && !rel.startsWith('..') ? rel : path;
}
