import { Text } from 'ink';
import { memo } from 'react';
import { ansiLine } from '../ansi-line.ts';
import type { BlockLayout } from '../render/block-lines.ts';
import type { ThreadBlock } from '../store/thread-blocks.ts';
import { useTheme } from '../theme-context.tsx';
import { type ScrollPosition, threadWindow } from '../thread-window.ts';
import { Pane, paneBodyColumns, paneBodyRows } from './pane.tsx';

interface Props {
	layout: BlockLayout;
	blocks: readonly ThreadBlock[];
	/** Changes whenever a block changed; the memo compares it instead of the mutated array. */
	revision: number;
	width: number;
	height: number;
	position: ScrollPosition;
}

/**
 * The agent's inner thread, virtualised: only the rows in view are laid out and rendered. The rows
 * go to Ink as one text of pre-styled lines (styled once per row, cut to the pane's width), so a
 * frame costs Ink one node to lay out and draw, not one per row and segment.
 */
export const ThreadPane = memo(
	function ThreadPane({ layout, blocks, width, height, position }: Props) {
		const theme = useTheme();
		const columns = paneBodyColumns(width);
		const rows = threadWindow(layout, blocks, columns, paneBodyRows(height), position);
		return (
			<Pane title="Thread" width={width} height={height} aside={position === undefined ? undefined : '(scrolled — End to follow)'}>
				{rows.length > 0 ? <Text>{rows.map((line) => ansiLine(line, theme, columns)).join('\n')}</Text> : null}
			</Pane>
		);
	},
	(before, after) =>
		before.revision === after.revision && before.width === after.width && before.height === after.height && before.position === after.position && before.layout === after.layout,
);
