import { Box, Text } from 'ink';
import type { ApprovalRequest } from '../../sandbox/permission.ts';
import { keyArgument } from '../render/tool-summary.ts';
import { useStyle } from '../theme-context.tsx';

/** The inline question for a tool call in `ask` mode. */
export function ApprovalPrompt({ request, width, askingReason }: { request: ApprovalRequest; width: number; askingReason: boolean }) {
	const warning = useStyle('warning');
	const muted = useStyle('muted');
	const argument = keyArgument(request.tool, request.args);
	return (
		<Box flexDirection="column" width={width} borderStyle="single" borderColor={warning.color} paddingX={1} flexShrink={0}>
			<Text wrap="truncate-end" {...warning} bold>
				Allow {request.tool}
				{argument ? `: ${argument}` : ''}?
			</Text>
			{request.reason ? (
				<Text wrap="truncate-end" {...muted}>
					why: {request.reason}
				</Text>
			) : null}
			<Text {...muted}>{askingReason ? 'Type the reason the agent should hear, then Enter (Esc: deny without one)' : '[y] once   [a] always for this session   [n] deny with a reason'}</Text>
		</Box>
	);
}
