import { findRoot } from '../source/config.ts';
import { formatSessionList, listSessions } from '../source/session/sessions.ts';
import { notice, type SlashCommand } from './command.ts';
import type { Subcommand } from './doctor.ts';

const HINT = 'Go on with one: orbit --resume <id> (or orbit --continue for the latest).';

/** `/sessions` — the sessions recorded in this repository, newest first; the current one is marked with *. */
export const sessionsCommand: SlashCommand = {
	name: 'sessions',
	summary: 'List recorded sessions',
	run(_args, ctx) {
		const sessions = listSessions(findRoot(process.cwd()).root);
		if (sessions.length === 0) return notice('No sessions recorded here yet.');
		return notice(`${formatSessionList(sessions, { limit: 20, current: ctx.sessionId })}\n${HINT}`);
	},
};

/**
 * `orbit sessions [--all]`: the sessions of the repository around the working directory, with date,
 * state and first task, newest first (20 unless --all). Exit 0; 2 for an unknown argument.
 */
export const sessionsSubcommand: Subcommand = {
	name: 'sessions',
	summary: 'List the sessions recorded in this repository',
	async run(argv, io) {
		const all = argv.includes('--all');
		const unknown = argv.find((arg) => arg !== '--all');
		if (unknown !== undefined) {
			io.stderr.write(`orbit sessions: unknown argument "${unknown}" (orbit sessions takes only --all)\n`);
			return 2;
		}
		const sessions = listSessions(findRoot(process.cwd()).root);
		io.stdout.write(`${formatSessionList(sessions, all ? {} : { limit: 20 })}\n`);
		if (sessions.length > 0) io.stdout.write(`${HINT}\n`);
		return 0;
	},
};
