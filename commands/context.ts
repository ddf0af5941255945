import { notBuiltYet } from './not-built-yet.ts';

/** `/context` — will show which AGENT.md files were loaded; not built yet. */
export const contextCommand = notBuiltYet({
	name: 'context',
	summary: 'Show which AGENT.md files were loaded',
	arrivesWith: 'project context (AGENT.md discovery and imports)',
});
