import { ansiLine, ansiLineWidth } from './ansi-line.ts';
import type { BlockLayout } from './render/block-lines.ts';
import type { ThreadBlock } from './store/thread-blocks.ts';
import type { Theme } from './theme.ts';
import { type ScrollPosition, threadWindow } from './thread-window.ts';

/** Where the Thread pane's body is on the screen (0-based cells) and what it shows. */
export interface ThreadView {
	top: number;
	left: number;
	width: number;
	height: number;
	theme: Theme;
	layout: BlockLayout;
	blocks: readonly ThreadBlock[];
	position: ScrollPosition;
}

/** What the painter writes to: the terminal. */
export interface PaintTarget {
	write(text: string): unknown;
	readonly rows?: number;
	readonly columns?: number;
}

const SAVE_CURSOR = '\u001B7';
const RESTORE_CURSOR = '\u001B8';
const RESET = '\u001B[0m';
export const BEGIN_SYNC = '\u001B[?2026h';
export const END_SYNC = '\u001B[?2026l';

/**
 * Draws the Thread pane's body straight onto the terminal, beside Ink. Ink lays out and draws the
 * pane (border, title) with an empty body; streamed text then costs one paint of the body's
 * changed rows, never a React render or an Ink frame of the whole screen.
 *
 * The contract with Ink's output (see `inkStdout`): whenever Ink writes, `overlay()` goes out in
 * the same write and puts every body row back, since Ink rewrites whole lines and
 * its lines hold blanks where the body is. Rows are written with absolute cursor moves between a
 * cursor save and restore, so Ink's own idea of the cursor stays true.
 */
export class ThreadPainter {
	private view: ThreadView | undefined;
	/** The rows as they should be, and as they are on the screen now (both padded to the body's width). */
	private composed: string[] = [];
	private painted: string[] = [];
	private stale = true;
	private scheduled = false;

	constructor(private readonly target: PaintTarget) {}

	/** The pane's latest layout and inputs; called on every render of the pane. A change paints soon. */
	setView(view: ThreadView): void {
		const before = this.view;
		this.view = view;
		if (
			before &&
			before.top === view.top &&
			before.left === view.left &&
			before.width === view.width &&
			before.height === view.height &&
			before.theme === view.theme &&
			before.layout === view.layout &&
			before.blocks === view.blocks &&
			before.position === view.position
		)
			return;
		if (!before || before.width !== view.width || before.top !== view.top || before.left !== view.left) this.painted = [];
		this.threadChanged();
	}

	/** The thread's content changed: paint soon (once, however many changes come before). */
	threadChanged = (): void => {
		this.stale = true;
		if (this.scheduled) return;
		this.scheduled = true;
		queueMicrotask(() => {
			this.scheduled = false;
			this.paint();
		});
	};

	/** Writes the rows that differ from what is on the screen, in one synchronized update. */
	paint(): void {
		const changes = this.render(false);
		if (changes !== '') this.target.write(`${BEGIN_SYNC}${SAVE_CURSOR}${changes}${RESTORE_CURSOR}${END_SYNC}`);
	}

	/**
	 * Every row of the body, for the end of an Ink write (which may have blanked any of them), with
	 * the cursor saved and restored; '' before the pane has been laid out.
	 */
	overlay(): string {
		const rows = this.render(true);
		return rows === '' ? '' : `${SAVE_CURSOR}${rows}${RESTORE_CURSOR}`;
	}

	/** Stops painting until the next `setView` (the screen is being torn down or resized). */
	detach(): void {
		this.view = undefined;
		this.painted = [];
	}

	private render(all: boolean): string {
		const view = this.view;
		if (!view) return '';
		if (this.stale) {
			this.stale = false;
			this.compose(view);
		}
		const screenRows = this.target.rows ?? Number.POSITIVE_INFINITY;
		const screenColumns = this.target.columns ?? Number.POSITIVE_INFINITY;
		if (view.left + view.width > screenColumns) return '';
		let out = '';
		for (let index = 0; index < this.composed.length; index += 1) {
			const row = view.top + index;
			if (row >= screenRows) break;
			const text = this.composed[index]!;
			if (!all && this.painted[index] === text) continue;
			this.painted[index] = text;
			out += `\u001B[${row + 1};${view.left + 1}H${text}`;
		}
		return out;
	}

	/** The body's rows as strings, each exactly `width` columns (styled, then padded with blanks). */
	private compose(view: ThreadView): void {
		const lines = threadWindow(view.layout, view.blocks, view.width, view.height, view.position);
		const blank = ' '.repeat(view.width);
		const rows: string[] = [];
		for (let index = 0; index < view.height; index += 1) {
			const line = lines[index];
			const text = line ? ansiLine(line, view.theme, view.width) : '';
			rows.push(text === '' ? blank : `${text}${RESET}${' '.repeat(Math.max(0, view.width - ansiLineWidth(line!, view.theme, view.width)))}`);
		}
		this.composed = rows;
	}
}
