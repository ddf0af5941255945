import { notBuiltYet } from './not-built-yet.ts';

/** `/memory` — will show the project memory files; not built yet. */
export const memoryCommand = notBuiltYet({
	name: 'memory',
	summary: 'Show and edit the project memory',
	arrivesWith: 'project memory (.orbit/MEMORY.md and .orbit/AGREEMENTS.md, searched by the agent)',
});
