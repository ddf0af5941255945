import type { Subcommand } from './doctor.ts';

/**
 * `orbit <name> …`: the subcommands, each loaded only when asked for, so none of them costs the
 * workbench's start-up anything.
 */
export const SUBCOMMANDS: Readonly<Record<string, () => Promise<Subcommand>>> = {
	doctor: async () => (await import('./doctor.ts')).doctorCommand,
	context: async () => (await import('./context.ts')).contextSubcommand,
	sessions: async () => (await import('./sessions.ts')).sessionsSubcommand,
	replay: async () => (await import('./replay.ts')).replaySubcommand,
	export: async () => (await import('./export.ts')).exportSubcommand,
	undo: async () => (await import('./undo.ts')).undoSubcommand,
	login: async () => (await import('./login-subcommand.ts')).loginSubcommand,
	logout: async () => (await import('./logout.ts')).logoutSubcommand,
	auth: async () => (await import('./auth.ts')).authSubcommand,
};
