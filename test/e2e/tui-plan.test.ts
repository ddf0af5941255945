import { describe, expect, it } from 'vitest';
import { occurrences, statusLine, threadRow, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

type Status = 'New' | 'Active' | 'Done';
const planUpdate = (...statuses: Status[]) => ({
	toolCalls: [{ name: 'plan_update', arguments: { steps: ['Survey the code', 'Rename the module', 'Run the tests'].map((content, index) => ({ content, status: statuses[index] })) } }],
});
/** A step's row in the Plan pane (its mark, its text, and `(Active)` for the active one). */
const step = (mark: '○' | '▶' | '✓', text: string) => new RegExp(`│ ${mark} ${text}${mark === '▶' ? ' \\(Active\\)' : ''} +│`);

describe('the Plan pane', () => {
	it('shows the steps of plan_update with their marks and follows every update live', async () => {
		const before = bench.count();
		const second = bench.gate();
		const third = bench.gate();
		bench.fake.script(
			planUpdate('Active', 'New', 'New'),
			second.reply(planUpdate('Done', 'Active', 'New')),
			third.reply(planUpdate('Done', 'Done', 'Done')),
			{ text: 'The plan is complete.' },
		);
		const tui = await bench.open();
		expect(await tui.capture()).toContain('no plan yet');
		await tui.type('rename the module');
		await tui.sendKeys('Enter');

		await bench.fake.waitForRequest(before + 2);
		const first = await tui.waitForText('Plan 0/3');
		expect(first).toMatch(step('▶', 'Survey the code'));
		expect(first).toMatch(step('○', 'Rename the module'));
		expect(first).toMatch(step('○', 'Run the tests'));
		expect(first).toMatch(threadRow('✓ plan_update'));
		expect(first).not.toContain('no plan yet');

		second.open();
		await bench.fake.waitForRequest(before + 3);
		const middle = await tui.waitForText('Plan 1/3');
		expect(middle).toMatch(step('✓', 'Survey the code'));
		expect(middle).toMatch(step('▶', 'Rename the module'));
		expect(middle).toMatch(step('○', 'Run the tests'));
		expect(occurrences(middle, '(Active)')).toBe(1);

		third.open();
		const end = await tui.waitFor((screen) => screen.includes('The plan is complete.') && statusLine(screen).endsWith('idle'), 10_000, 'the end');
		expect(end).toContain('Plan 3/3');
		for (const text of ['Survey the code', 'Rename the module', 'Run the tests']) expect(end).toMatch(step('✓', text));
		expect(end).not.toContain('(Active)');
		expect(bench.count() - before).toBe(4);
	});
});
