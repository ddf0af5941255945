/** Where each pane goes for a terminal size. Pure, so it is tested without a terminal. */
export interface WorkbenchLayout {
	stacked: boolean;
	thread: { width: number; height: number };
	context: { width: number; height: number };
	plan: { width: number; height: number };
}

/** Below this many columns the panes stack. */
export const STACK_BELOW_COLUMNS = 100;

/**
 * `mainRows` is what is left above the input and status lines. Side by side: Thread on the left,
 * Context over Plan on the right (about a third of the width). Stacked: Thread on top, then
 * Context and Plan, each a few rows.
 */
export function computeLayout(columns: number, mainRows: number): WorkbenchLayout {
	if (columns >= STACK_BELOW_COLUMNS) {
		const side = Math.max(32, Math.floor(columns * 0.34));
		const contextHeight = Math.max(4, Math.floor(mainRows / 2));
		return {
			stacked: false,
			thread: { width: columns - side, height: mainRows },
			context: { width: side, height: contextHeight },
			plan: { width: side, height: Math.max(3, mainRows - contextHeight) },
		};
	}
	const small = Math.max(3, Math.min(7, Math.floor(mainRows / 5)));
	return {
		stacked: true,
		thread: { width: columns, height: Math.max(3, mainRows - 2 * small) },
		context: { width: columns, height: small },
		plan: { width: columns, height: small },
	};
}
