import { Text } from 'ink';
import { createContext, memo, useContext } from 'react';
import { ansiLine } from '../ansi-line.ts';
import type { BlockLayout } from '../render/block-lines.ts';
import type { ThreadBlock } from '../store/thread-blocks.ts';
import { useTheme } from '../theme-context.tsx';
import type { ThreadPainter } from '../thread-painter.ts';
import { type ScrollPosition, threadWindow } from '../thread-window.ts';
import { Pane, paneBodyColumns, paneBodyRows } from './pane.tsx';

/**
 * The painter that draws the body straight onto the terminal (see `ThreadPainter`). Absent (tests,
 * a host without a terminal), the body goes through Ink like any other text.
 */
export const ThreadPainterContext = createContext<ThreadPainter | undefined>(undefined);

/** Where the body starts inside the pane: below the border and the title, right of the border and padding. */
const BODY_TOP = 2;
const BODY_LEFT = 2;

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
 * The agent's inner thread, virtualised: only the rows in view are laid out and rendered. With a
 * painter, Ink draws only the frame and the painter the rows (the pane is the screen's top-left
 * one). Without, the rows go to Ink as one text of pre-styled lines (styled once per row, cut to
 * the pane's width), one node to lay out and draw.
 */
export const ThreadPane = memo(
	function ThreadPane({ layout, blocks, width, height, position }: Props) {
		const theme = useTheme();
		const painter = useContext(ThreadPainterContext);
		const columns = paneBodyColumns(width);
		const rows = paneBodyRows(height);
		const aside = position === undefined ? undefined : '(scrolled — End to follow)';
		if (painter) {
			// Idempotent, and it must reach the painter before Ink writes this render's frame.
			painter.setView({ top: BODY_TOP, left: BODY_LEFT, width: columns, height: rows, theme, layout, blocks, position });
			return <Pane title="Thread" width={width} height={height} aside={aside} children={null} />;
		}
		const lines = threadWindow(layout, blocks, columns, rows, position);
		return (
			<Pane title="Thread" width={width} height={height} aside={aside}>
				{lines.length > 0 ? <Text>{lines.map((line) => ansiLine(line, theme, columns)).join('\n')}</Text> : null}
			</Pane>
		);
	},
	(before, after) =>
		before.revision === after.revision && before.width === after.width && before.height === after.height && before.position === after.position && before.layout === after.layout,
);
