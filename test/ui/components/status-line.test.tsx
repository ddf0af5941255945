import { describe, expect, it } from 'vitest';
import { StatusLine } from '../../../source/ui/components/status-line.tsx';
import { renderThemed } from './render-helpers.tsx';

const usage = { promptTokens: 12_000, completionTokens: 3_000, totalTokens: 15_000 };

describe('Status line', () => {
	it('shows model, tokens, the cost at the given price, mode, sandbox, session and state', () => {
		const { lastFrame } = renderThemed(
			<StatusLine model="gpt-4.1-mini" usage={usage} price={{ input: 0.4, output: 1.6 }} permission="ask" sandbox="bubblewrap" sessionId="s-123" state="tool" width={140} />,
		);
		// 12,000 × $0.40/M + 3,000 × $1.60/M = $0.0096
		expect(lastFrame()).toBe('gpt-4.1-mini · 15.0k tokens ($0.0096) · ask · sandbox: bubblewrap · s-123 · running a tool');
	});

	it('shows no cost without a price, and keeps the state when narrow', () => {
		const wide = renderThemed(<StatusLine model="local-model" usage={usage} permission="auto" sandbox="none" sessionId="s-1" state="idle" width={120} />);
		expect(wide.lastFrame()).not.toContain('$');
		const narrow = renderThemed(<StatusLine model="local-model" usage={usage} permission="auto" sandbox="none" sessionId="s-1" state="thinking" width={40} />);
		expect(narrow.lastFrame()).toMatch(/thinking$/);
		expect(narrow.lastFrame()).not.toContain('s-1');
	});
});
