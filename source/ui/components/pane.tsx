import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useStyle } from '../theme-context.tsx';

/** A bordered pane with its title on the first row. `height` includes the border. */
export function Pane({ title, width, height, focused = false, aside, children }: { title: string; width: number; height: number; focused?: boolean; aside?: string; children: ReactNode }) {
	const border = useStyle(focused ? 'borderFocus' : 'border');
	const titleStyle = useStyle('title');
	const muted = useStyle('muted');
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={border.color} paddingX={1} overflow="hidden">
			<Box height={1} flexShrink={0}>
				<Text {...titleStyle} bold>
					{title}
				</Text>
				{aside ? <Text {...muted}> {aside}</Text> : null}
			</Box>
			{children}
		</Box>
	);
}

/** Rows available for content inside a pane of `height` (border and title take three). */
export function paneBodyRows(height: number): number {
	return Math.max(0, height - 3);
}

/** Columns available for content inside a pane of `width` (border and padding take four). */
export function paneBodyColumns(width: number): number {
	return Math.max(1, width - 4);
}
