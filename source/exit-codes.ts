/** Process exit codes, documented in the README. */
export const EXIT = {
	done: 0,
	error: 1,
	usage: 2,
	limit: 3,
	interrupted: 130,
	terminated: 143,
} as const;
