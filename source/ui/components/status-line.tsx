import { Text } from 'ink';
import { memo } from 'react';
import type { AgentState } from '../../runtime/events.ts';
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
	permission: string;
	sandbox: string;
	sessionId: string;
	state: AgentState;
	width: number;
	message?: string;
}

/** One row: model, tokens, permission mode and sandbox, session, agent state (or a transient message). */
export const StatusLine = memo(function StatusLine({ model, usage, permission, sandbox, sessionId, state, width, message }: Props) {
	const style = useStyle('status');
	const accent = useStyle(state === 'idle' ? 'muted' : state === 'interrupted' ? 'warning' : 'accent');
	const text = `${model} · ${formatTokens(usage.totalTokens)} tokens · ${permission} · sandbox: ${sandbox} · ${sessionId} · `;
	return (
		<Text wrap="truncate-end" {...style}>
			{message ? <Text {...accent}>{message.slice(0, width)}</Text> : text}
			{message ? null : <Text {...accent} bold>{STATE_LABEL[state]}</Text>}
		</Text>
	);
});
