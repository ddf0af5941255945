import { notBuiltYet } from './not-built-yet.ts';

/** `/undo` — will restore the agent's file changes of a turn; not built yet. */
export const undoCommand = notBuiltYet({
	name: 'undo',
	summary: "Undo the agent's file changes of a turn",
	arrivesWith: 'durable sessions and checkpoints',
});
