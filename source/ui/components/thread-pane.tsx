import { Box } from 'ink';
import { memo } from 'react';
import type { BlockLayout } from '../render/block-lines.ts';
import type { ThreadBlock } from '../store/thread-blocks.ts';
import { Row } from '../theme-context.tsx';
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

/** The agent's inner thread, virtualised: only the rows in view are laid out and rendered. */
export const ThreadPane = memo(
	function ThreadPane({ layout, blocks, width, height, position }: Props) {
		const rows = threadWindow(layout, blocks, paneBodyColumns(width), paneBodyRows(height), position);
		return (
			<Pane title="Thread" width={width} height={height} aside={position === undefined ? undefined : '(scrolled — End to follow)'}>
				<Box flexDirection="column">
					{rows.map((line, index) => (
						<Row key={index} line={line} />
					))}
				</Box>
			</Pane>
		);
	},
	(before, after) =>
		before.revision === after.revision && before.width === after.width && before.height === after.height && before.position === after.position && before.layout === after.layout,
);
