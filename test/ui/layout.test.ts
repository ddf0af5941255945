import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../source/ui/layout.ts';

describe('the workbench layout', () => {
	it('puts Thread left and Context over Plan right at 100 columns and more', () => {
		const layout = computeLayout(120, 36);
		expect(layout.stacked).toBe(false);
		expect(layout.thread.width + layout.context.width).toBe(120);
		expect(layout.context.height + layout.plan.height).toBe(36);
		expect(layout.thread.height).toBe(36);
	});

	it('stacks the panes below 100 columns, full width, within the rows', () => {
		const layout = computeLayout(80, 20);
		expect(layout.stacked).toBe(true);
		expect([layout.thread.width, layout.context.width, layout.plan.width]).toEqual([80, 80, 80]);
		expect(layout.thread.height + layout.context.height + layout.plan.height).toBeLessThanOrEqual(20);
	});
});
