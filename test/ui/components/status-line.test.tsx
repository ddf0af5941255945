import { describe, expect, it } from 'vitest';
import { StatusLine } from '../../../source/ui/components/status-line.tsx';
import { renderThemed } from './render-helpers.tsx';

const usage = { promptTokens: 12_000, completionTokens: 3_000, totalTokens: 15_000 };

describe('Status line', () => {
	it('shows model, tokens, the session cost, mode, sandbox, session and state', () => {
		const { lastFrame } = renderThemed(<StatusLine model="gpt-4.1-mini" usage={usage} cost={0.0096} permission="ask" sandbox="bubblewrap" sessionId="s-123" state="tool" width={140} />);
		expect(lastFrame()).toBe('gpt-4.1-mini · 15.0k tokens ($0.0096) · ask · sandbox: bubblewrap · s-123 · running a tool');
		const dear = renderThemed(<StatusLine model="gpt-5" usage={usage} cost={12.345} permission="ask" sandbox="bubblewrap" sessionId="s-123" state="idle" width={140} />);
		expect(dear.lastFrame()).toContain('15.0k tokens ($12.35)');
	});

	it('shows no cost without a price, and keeps the state when narrow', () => {
		const wide = renderThemed(<StatusLine model="local-model" usage={usage} permission="auto" sandbox="none" sessionId="s-1" state="idle" width={120} />);
		expect(wide.lastFrame()).not.toContain('$');
		const narrow = renderThemed(<StatusLine model="local-model" usage={usage} permission="auto" sandbox="none" sessionId="s-1" state="thinking" width={40} />);
		expect(narrow.lastFrame()).toMatch(/thinking$/);
		expect(narrow.lastFrame()).not.toContain('s-1');
	});
});
