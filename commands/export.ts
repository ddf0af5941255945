import { notBuiltYet } from './not-built-yet.ts';

/** `/export` — will export the session; not built yet. */
export const exportCommand = notBuiltYet({
	name: 'export',
	summary: 'Export the session',
	arrivesWith: 'durable sessions (the session log)',
});
