import { Text } from 'ink';
import { memo } from 'react';
import type { AgentState } from '../../runtime/events.ts';
import { formatCost } from '../../model/cost.ts';
import type { Usage } from '../../runtime/model.ts';
import { useStyle } from '../theme-context.tsx';

const STATE_LABEL: Record<AgentState, string> = {
	idle: 'idle',
	thinking: 'thinking',
	tool: 'running a tool',
	interrupted: 'interrupted',
	stopped: 'stopped',
};

export function formatTokens(tokens: number): string {
	if (tokens < 1000) return `${tokens}`;
	if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(1)}k`;
	return `${(tokens / 1_000_000).toFixed(2)}M`;
}

interface Props {
	model: string;
	usage: Usage;
	/** US dollars spent in the session; undefined (nothing priced) shows no cost. */
	cost?: number;
	permission: string;
	sandbox: string;
	sessionId: string;
	state: AgentState;
	width: number;
	message?: string;
}

/**
 * One row: model, tokens and cost, permission mode and sandbox, session, agent state (or a transient message).
 * The agent state always shows: when the row is too narrow, the session id goes first, then the rest
 * is cut short before the state.
 */
export const StatusLine = memo(function StatusLine({ model, usage, cost: dollars, permission, sandbox, sessionId, state, width, message }: Props) {
	const style = useStyle('status');
	const accent = useStyle(state === 'idle' ? 'muted' : state === 'interrupted' ? 'warning' : 'accent');
	const label = STATE_LABEL[state];
	const cost = dollars === undefined ? '' : ` (${formatCost(dollars)})`;
	const fixed = `${model} · ${formatTokens(usage.totalTokens)} tokens${cost} · ${permission} · sandbox: ${sandbox} · `;
	const room = width - label.length;
	const text = fixed.length + sessionId.length + 3 <= room ? `${fixed}${sessionId} · ` : fixed.length <= room ? fixed : `${fixed.slice(0, Math.max(0, room - 4))}… · `;
	return (
		<Text wrap="truncate-end" {...style}>
			{message ? <Text {...accent}>{message.slice(0, width)}</Text> : text}
			{message ? null : <Text {...accent} bold>{label}</Text>}
		</Text>
	);
});
