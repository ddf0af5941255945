import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRoot } from '../source/config.ts';
import { errorMessage } from '../source/runtime/events.ts';
import { checkpointEnv } from '../source/session/checkpoint-git.ts';
import { listCheckpoints } from '../source/session/checkpoint-refs.ts';
import { describeUndo, formatTurnList, undoTurn } from '../source/session/undo.ts';
import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';
import type { Subcommand } from './doctor.ts';

/**
 * `/undo [turn | list]`: restores the files the agent changed in this session's latest turn with
 * changes not yet undone (or in turn N), refusing — naming the files — when the user changed them since.
 * `/undo list` shows the session's turns with changes.
 */
export const undoCommand: SlashCommand = {
	name: 'undo',
	summary: "Undo the agent's file changes of a turn",
	usage: '/undo [turn | list]',
	async run(args, ctx) {
		if (ctx.checkpoints === undefined) return notice('Undo is not available in this session (no checkpoints are kept: not a git repository?).', 'warning');
		const { root } = ctx.checkpoints;
		if (args === 'list') {
			try {
				const sessions = (await listCheckpoints(root, checkpointEnv())).filter((group) => group.session === ctx.sessionId);
				return notice(sessions.length === 0 ? 'The agent has changed no files in this session yet.' : formatTurnList(sessions));
			} catch (error) {
				return notice(`Could not list the checkpoints: ${errorMessage(error)}`, 'error');
			}
		}
		if (args !== '' && !/^\d+$/.test(args)) return notice(`/undo takes a turn number or "list", not "${args}".`, 'error');
		if (ctx.checkpoints.busy()) return notice('The agent is working: /undo once it is idle (Esc interrupts it). Nothing was changed.', 'warning');
		const outcome = await undoTurn({ root, sessionId: ctx.sessionId, ...(args === '' ? {} : { turn: Number(args) }) });
		if (outcome.ok) return notice(describeUndo(outcome));
		return notice(outcome.message, outcome.reason === 'nothing' ? 'warning' : 'error');
	},
};

const USAGE = 'usage: orbit undo [--turn N] [--session ID] [--list]';

/**
 * `orbit undo [--turn N] [--session ID] [--list]`: undoes a turn of the repository's latest session
 * with checkpoints (or of `--session`), by default its latest turn with changes not yet undone.
 * `--list` prints the sessions and their turns. Exit 0 when done, 1 when there is nothing to undo,
 * the files changed since, or git failed; 2 for bad arguments. Never throws.
 */
export function createUndoSubcommand(cwd: () => string = () => process.cwd()): Subcommand {
	return {
		name: 'undo',
		summary: "Undo the agent's file changes of a turn (--list shows the turns)",
		async run(argv, io) {
			let values;
			try {
				({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { turn: { type: 'string' }, session: { type: 'string' }, list: { type: 'boolean', default: false } } }));
			} catch (error) {
				io.stderr.write(`orbit undo: ${errorMessage(error)}\n${USAGE}\n`);
				return 2;
			}
			if (values.turn !== undefined && !/^\d+$/.test(values.turn)) {
				io.stderr.write(`orbit undo: --turn needs a turn number, not "${values.turn}"\n${USAGE}\n`);
				return 2;
			}
			if (values.list && values.turn !== undefined) {
				io.stderr.write(`orbit undo: --list and --turn do not go together\n${USAGE}\n`);
				return 2;
			}
			const { root } = findRoot(cwd());
			if (!existsSync(join(root, '.git'))) {
				io.stderr.write('orbit undo: not in a git repository (checkpoints live in the repository\'s git refs)\n');
				return 1;
			}
			const env = checkpointEnv(io.env);
			if (values.list) {
				try {
					const sessions = await listCheckpoints(root, env);
					const shown = values.session === undefined ? sessions : sessions.filter((group) => group.session === values.session);
					io.stdout.write(`${formatTurnList(shown)}\n`);
					return 0;
				} catch (error) {
					io.stderr.write(`orbit undo: ${errorMessage(error)}\n`);
					return 1;
				}
			}
			const outcome = await undoTurn({ root, env: io.env, sessionId: values.session, turn: values.turn === undefined ? undefined : Number(values.turn) });
			if (outcome.ok) {
				io.stdout.write(`${describeUndo(outcome)}\n`);
				return 0;
			}
			io.stderr.write(`orbit undo: ${outcome.message}\n`);
			return 1;
		},
	};
}

/** `orbit undo` in the process's working directory. */
export const undoSubcommand: Subcommand = createUndoSubcommand();
