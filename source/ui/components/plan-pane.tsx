import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Plan, PlanStatus } from '../../runtime/plan.ts';
import type { Token } from '../render/styled-line.ts';
import { useStyle } from '../theme-context.tsx';
import { Pane, paneBodyRows } from './pane.tsx';

const MARK: Record<PlanStatus, { mark: string; token: Token }> = {
	New: { mark: '○', token: 'planNew' },
	Active: { mark: '▶', token: 'planActive' },
	Done: { mark: '✓', token: 'planDone' },
};

/** The agent's plan, live; the Active step stands out. */
export const PlanPane = memo(function PlanPane({ plan, width, height }: { plan: Plan; width: number; height: number }) {
	const muted = useStyle('muted');
	const rows = paneBodyRows(height);
	const active = plan.steps.findIndex((step) => step.status === 'Active');
	const start = active >= rows ? active - rows + 1 : 0;
	const done = plan.steps.filter((step) => step.status === 'Done').length;
	return (
		<Pane title="Plan" width={width} height={height} aside={plan.steps.length ? `${done}/${plan.steps.length}` : undefined}>
			{plan.steps.length === 0 ? <Text {...muted}>no plan yet</Text> : null}
			<Box flexDirection="column">
				{plan.steps.slice(start, start + rows).map((step) => (
					<Step key={step.index} status={step.status} content={step.content} />
				))}
			</Box>
		</Pane>
	);
});

function Step({ status, content }: { status: PlanStatus; content: string }) {
	const style = useStyle(MARK[status].token);
	return (
		<Text wrap="truncate-end" {...style} bold={status === 'Active'}>
			{MARK[status].mark} {content}
			{status === 'Active' ? ' (Active)' : ''}
		</Text>
	);
}
