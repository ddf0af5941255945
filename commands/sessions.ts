import { notBuiltYet } from './not-built-yet.ts';

/** `/sessions` — will list recorded sessions; not built yet. */
export const sessionsCommand = notBuiltYet({
	name: 'sessions',
	summary: 'List recorded sessions',
	arrivesWith: 'durable sessions (and orbit --resume)',
});
