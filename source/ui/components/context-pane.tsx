import { Box, Text } from 'ink';
import { memo } from 'react';
import { type ContextItem, PRIORITY_LABELS, type Priority } from '../../runtime/context-item.ts';
import type { Token } from '../render/styled-line.ts';
import type { WaitingReminder } from '../store/ui-store.ts';
import { useStyle } from '../theme-context.tsx';
import { Pane, paneBodyColumns, paneBodyRows } from './pane.tsx';

export const PRIORITY_TOKENS: Record<Priority, Token> = {
	interruption: 'priorityInterruption',
	'for-next-turn': 'priorityNext',
	'in-the-end': 'priorityEnd',
};

interface Props {
	items: readonly ContextItem[];
	width: number;
	height: number;
	/** Index of the selected item while the pane has focus. */
	selected: number | undefined;
	/** Reminders not fired yet, shown under the items. */
	reminders?: readonly WaitingReminder[];
}

/** The bucket: every waiting item in injection order, with its priority and source; then the reminders still to come. */
export const ContextPane = memo(function ContextPane({ items, width, height, selected, reminders = [] }: Props) {
	const shownReminders = reminders.slice(0, Math.max(0, paneBodyRows(height) - Math.min(items.length, 1)));
	const rows = paneBodyRows(height) - shownReminders.length;
	const columns = paneBodyColumns(width);
	const muted = useStyle('muted');
	const start = selected !== undefined && selected >= rows ? selected - rows + 1 : 0;
	const visible = items.slice(start, start + rows);
	return (
		<Pane title="Context" width={width} height={height} focused={selected !== undefined} aside={items.length ? `${items.length} waiting` : undefined}>
			{items.length === 0 ? <Text {...muted}>nothing waiting</Text> : null}
			<Box flexDirection="column">
				{visible.map((item, index) => (
					<ItemRow key={item.id} item={item} columns={columns} selected={start + index === selected} />
				))}
				{shownReminders.map((reminder, index) => (
					<Text key={`r${index}`} wrap="truncate-end" {...muted}>
						⏰ {clock(reminder.dueAt)} {reminder.text.replace(/\s+/g, ' ')}
					</Text>
				))}
			</Box>
		</Pane>
	);
});

/** `14:05` (local time) today, `Mon 14:05` on another day. */
function clock(dueAt: number): string {
	const due = new Date(dueAt);
	const time = `${String(due.getHours()).padStart(2, '0')}:${String(due.getMinutes()).padStart(2, '0')}`;
	return due.toDateString() === new Date().toDateString() ? time : `${due.toLocaleDateString('en', { weekday: 'short' })} ${time}`;
}

function ItemRow({ item, columns, selected }: { item: ContextItem; columns: number; selected: boolean }) {
	const priority = useStyle(PRIORITY_TOKENS[item.priority]);
	const muted = useStyle('muted');
	const selection = useStyle('selection');
	const label = PRIORITY_LABELS[item.priority];
	const source = item.source === 'user' ? '' : `${item.source} `;
	const room = Math.max(1, columns - label.length - source.length - 2);
	const content = item.content.replace(/\s+/g, ' ');
	return (
		<Text wrap="truncate-end" {...(selected ? { inverse: true, ...selection } : {})}>
			<Text {...priority}>{label}</Text> <Text {...muted}>{source}</Text>
			{content.length > room ? `${content.slice(0, room - 1)}…` : content}
		</Text>
	);
}
