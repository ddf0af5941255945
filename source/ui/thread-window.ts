import type { BlockLayout } from './render/block-lines.ts';
import type { StyledLine } from './render/styled-line.ts';
import type { ThreadBlock } from './store/thread-blocks.ts';

/**
 * Where the Thread pane looks: `undefined` follows the tail; a number is the row (counted from the
 * top of the whole thread, exclusive) that is the pane's bottom edge. New output below a scrolled
 * view does not move it.
 */
export type ScrollPosition = number | undefined;

/**
 * The rows the Thread pane shows. Following the tail, it lays out blocks from the newest backwards
 * (and a long streamed block only as far back as needed) and stops when the pane is full, so the
 * cost depends on the pane, not on the history. A scrolled
 * view walks the (cached) block layouts from the top.
 */
export function threadWindow(layout: BlockLayout, blocks: readonly ThreadBlock[], width: number, height: number, position: ScrollPosition): StyledLine[] {
	if (height <= 0) return [];
	if (position === undefined) {
		const collected: StyledLine[][] = [];
		let count = 0;
		for (let index = blocks.length - 1; index >= 0 && count < height; index -= 1) {
			const lines = layout.tailLines(blocks[index]!, width, height - count);
			collected.push(lines);
			count += lines.length;
		}
		const all = collected.reverse().flat();
		return all.slice(Math.max(0, all.length - height));
	}
	const end = Math.max(Math.min(position, threadHeight(layout, blocks, width)), Math.min(height, threadHeight(layout, blocks, width)));
	const start = Math.max(0, end - height);
	const rows: StyledLine[] = [];
	let top = 0;
	for (const block of blocks) {
		const lines = layout.lines(block, width);
		const bottom = top + lines.length;
		if (bottom > start && top < end) rows.push(...lines.slice(Math.max(0, start - top), Math.min(lines.length, end - top)));
		top = bottom;
		if (top >= end) break;
	}
	return rows;
}

/** Total rows of the whole thread (cached block layouts, so cheap after the first call). */
export function threadHeight(layout: BlockLayout, blocks: readonly ThreadBlock[], width: number): number {
	let total = 0;
	for (const block of blocks) total += layout.lines(block, width).length;
	return total;
}

/** Moves the view by `rows` (negative: up). Reaching the bottom returns to following the tail. */
export function scrollBy(layout: BlockLayout, blocks: readonly ThreadBlock[], width: number, height: number, position: ScrollPosition, rows: number): ScrollPosition {
	const total = threadHeight(layout, blocks, width);
	const current = position ?? total;
	const next = Math.max(Math.min(height, total), current + rows);
	return next >= total ? undefined : next;
}
