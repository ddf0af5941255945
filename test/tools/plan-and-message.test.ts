import { describe, expect, it } from 'vitest';
import { callTool, makeContext } from './tool-test-context.ts';

describe('user_send_message', () => {
	it('delivers the text to the user', async () => {
		const ctx = makeContext('/nonexistent');
		const result = await callTool(ctx, 'user_send_message', { text: 'Done: tests pass.' });
		expect(result).toMatchObject({ isError: false, content: 'Delivered.' });
		expect(ctx.said).toEqual(['Done: tests pass.']);
	});

	it('refuses an empty message', async () => {
		const ctx = makeContext('/nonexistent');
		expect((await callTool(ctx, 'user_send_message', { text: ' ' })).isError).toBe(true);
		expect(ctx.said).toEqual([]);
	});
});

describe('plan_read and plan_update', () => {
	it('replaces the plan and reads it back', async () => {
		const ctx = makeContext('/nonexistent');
		expect((await callTool(ctx, 'plan_read', {})).content).toBe('(no plan)');
		const steps = [
			{ content: 'Read the code', status: 'Done' },
			{ content: ' Write the fix ', status: 'Active' },
			{ content: 'Run the tests', status: 'New' },
		];
		const updated = await callTool(ctx, 'plan_update', { steps });
		expect(updated.isError).toBe(false);
		const formatted = '1. [Done] Read the code\n2. [Active] Write the fix\n3. [New] Run the tests';
		expect(updated.content).toBe(formatted);
		expect(ctx.plan.steps).toHaveLength(3);
		expect((await callTool(ctx, 'plan_read', {})).content).toBe(formatted);
	});

	it('refuses two Active steps and keeps the old plan', async () => {
		const ctx = makeContext('/nonexistent');
		await callTool(ctx, 'plan_update', { steps: [{ content: 'Only step', status: 'Active' }] });
		const result = await callTool(ctx, 'plan_update', {
			steps: [
				{ content: 'a', status: 'Active' },
				{ content: 'b', status: 'Active' },
			],
		});
		expect(result.isError).toBe(true);
		expect(result.content).toContain('At most one step may be Active; got 2.');
		expect((await callTool(ctx, 'plan_read', {})).content).toBe('1. [Active] Only step');
	});

	it('refuses statuses other than New, Active and Done', async () => {
		const ctx = makeContext('/nonexistent');
		const result = await callTool(ctx, 'plan_update', { steps: [{ content: 'a', status: 'Doing' }] });
		expect(result.isError).toBe(true);
		expect(result.content).toMatch(/^Invalid arguments for plan_update: steps\.0\.status/);
	});
});
