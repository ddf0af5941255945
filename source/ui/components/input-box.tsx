import { Box, Text } from 'ink';
import { PRIORITY_LABELS } from '../../runtime/context-item.ts';
import type { Draft } from '../input/draft.ts';
import { useStyle } from '../theme-context.tsx';
import { PRIORITY_TOKENS } from './context-pane.tsx';

export const MAX_INPUT_ROWS = 6;

/** The draft with its priority by name and a visible cursor; grows up to MAX_INPUT_ROWS rows. */
export function InputBox({ draft, width, hint }: { draft: Draft; width: number; hint?: string }) {
	const priority = useStyle(PRIORITY_TOKENS[draft.priority]);
	const muted = useStyle('muted');
	const label = `${PRIORITY_LABELS[draft.priority]} ›`;
	const rows = draftRows(draft, Math.max(10, width - label.length - 2));
	return (
		<Box flexDirection="row" width={width} flexShrink={0}>
			<Text {...priority} bold>
				{label}{' '}
			</Text>
			<Box flexDirection="column" flexGrow={1}>
				{draft.text === '' ? (
					<Text>
						<Text inverse> </Text>
						<Text {...muted}>{hint ?? ' type a message, / for commands'}</Text>
					</Text>
				) : (
					rows.map((row, index) => (
						<Text key={index} wrap="truncate-end">
							{row.before}
							{row.cursor !== undefined ? <Text inverse>{row.cursor}</Text> : null}
							{row.after}
						</Text>
					))
				)}
			</Box>
		</Box>
	);
}

interface DraftRow {
	before: string;
	cursor?: string;
	after: string;
}

/** Splits the draft into rows (hard-wrapped at `width`), keeping the rows around the cursor. */
export function draftRows(draft: Draft, width: number): DraftRow[] {
	const rows: { text: string; start: number }[] = [];
	let offset = 0;
	for (const line of draft.text.split('\n')) {
		if (line.length === 0) rows.push({ text: '', start: offset });
		for (let index = 0; index < line.length; index += width) rows.push({ text: line.slice(index, index + width), start: offset + index });
		offset += line.length + 1;
	}
	let cursorRow = rows.findIndex((row, index) => draft.cursor >= row.start && (draft.cursor < row.start + row.text.length || (draft.cursor === row.start + row.text.length && (rows[index + 1]?.start ?? Infinity) > draft.cursor)));
	if (cursorRow < 0) cursorRow = rows.length - 1;
	const first = Math.max(0, cursorRow - MAX_INPUT_ROWS + 1);
	return rows.slice(first, first + MAX_INPUT_ROWS).map((row, index) => {
		if (first + index !== cursorRow) return { before: row.text, after: '' };
		const at = draft.cursor - row.start;
		return { before: row.text.slice(0, at), cursor: row.text[at] ?? ' ', after: row.text.slice(at + 1) };
	});
}
