import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ChatMessage } from '../../../source/runtime/model.ts';
import { createPlanDriftSubmind } from '../../../source/runtime/subminds/plan-drift.ts';
import { defineTool } from '../../../source/runtime/tool.ts';
import { planReadTool } from '../../../tools/plan-read.ts';
import { planUpdateTool } from '../../../tools/plan-update.ts';
import { ScriptedModel, waitUntil } from '../../fixtures/scripted-model.ts';
import { createHarness, type Harness } from '../agent-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
	await harness?.agent.stop();
	harness = undefined;
});

const workTool = defineTool({
	name: 'work',
	description: 'does some work',
	parameters: z.object({}),
	access: 'read',
	async execute() {
		return { content: 'worked' };
	},
});

const tools = [workTool, planReadTool, planUpdateTool];
const work = { toolCalls: [{ name: 'work', args: {} }] };
const planWith = (...steps: [string, 'New' | 'Active' | 'Done'][]) => ({
	toolCalls: [{ name: 'plan_update', args: { steps: steps.map(([content, status]) => ({ content, status })) } }],
});

const reminders = (messages: ChatMessage[] | undefined) =>
	(messages ?? []).filter((message) => message.role === 'user' && message.content.startsWith('[submind:plan-drift]')).map((message) => message.content as string);

function driftItems(h: Harness): string[] {
	return h.events.flatMap((event) => (event.type === 'item-added' && event.item.source === 'submind:plan-drift' ? [event.item.content] : []));
}

async function loopsEnded(h: Harness, count: number): Promise<void> {
	await waitUntil(() => h.events.filter((event) => event.type === 'loop-end').length >= count && !h.agent.busy, `${count} loop(s) ended`);
}

describe('the plan-drift monitor', () => {
	it('reminds after N tool calls without a plan update, once per loop, as a ForNextTurn item', async () => {
		const model = new ScriptedModel([planWith(['read', 'Active'], ['change', 'New']), work, work, work, work, work, work, { text: 'done' }, { text: 'done' }]);
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind({ toolCalls: 3, perPlan: 5 })] });
		harness.agent.post('go');
		await loopsEnded(harness, 1);
		// Calls 2–4 are the three work calls; the reminder comes after the third and is injected before call 5.
		expect(reminders(model.calls[3])).toEqual([]);
		const reminder = reminders(model.calls[4]);
		expect(reminder).toHaveLength(1);
		expect(reminder[0]).toMatch(/^\[submind:plan-drift\] plan check: 3 tool calls since your last plan update/);
		expect(reminder[0]).toContain('1. [Active] read');
		const added = harness.events.find((event) => event.type === 'item-added' && event.item.source === 'submind:plan-drift');
		expect(added).toMatchObject({ item: { priority: 'for-next-turn' } });
		// Three more work calls in the same loop: no second reminder (and the open steps at the end are the other kind).
		expect(driftItems(harness).filter((text) => text.includes('tool calls since'))).toHaveLength(1);
	});

	it('a plan update restarts the count', async () => {
		const model = new ScriptedModel([work, work, planWith(['a', 'Active']), work, planWith(['a', 'Done']), { text: 'done' }]);
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind({ toolCalls: 3 })] });
		harness.agent.post('go');
		await loopsEnded(harness, 1);
		expect(driftItems(harness)).toEqual([]);
		expect(model.calls).toHaveLength(6);
	});

	it('reminds about a missing plan unless told not to', async () => {
		const script = () => [work, work, { text: 'done' }];
		const model = new ScriptedModel(script());
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind({ toolCalls: 2 })] });
		harness.agent.post('go');
		await waitUntil(() => model.calls.length === 3, 'third call');
		expect(reminders(model.calls[2])).toEqual(['[submind:plan-drift] plan check: 2 tool calls and no plan yet. If this task has several steps, write them down with plan_update.']);
		await harness.agent.stop();

		const quiet = new ScriptedModel(script());
		harness = createHarness(quiet, { tools, subminds: [createPlanDriftSubmind({ toolCalls: 2, withoutPlan: false })] });
		harness.agent.post('go');
		await loopsEnded(harness, 1);
		expect(driftItems(harness)).toEqual([]);
	});

	it('a loop that would end with open steps gets one reminder, and ends when the model stops again', async () => {
		const model = new ScriptedModel([planWith(['read', 'Done'], ['change', 'Active'], ['test', 'New']), { text: 'I am done' }, { text: 'really done' }]);
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind()] });
		harness.agent.post('go');
		await loopsEnded(harness, 1);
		expect(model.calls).toHaveLength(3);
		const reminder = reminders(model.calls[2]);
		expect(reminder).toHaveLength(1);
		expect(reminder[0]).toContain('you are stopping, but your plan has open steps');
		expect(reminder[0]).toContain('2. [Active] change\n3. [New] test');
		expect(harness.events.filter((event) => event.type === 'item-injected' && event.item.source === 'submind:plan-drift')).toEqual([
			expect.objectContaining({ rule: 'safe-point' }),
		]);
		expect(harness.events.filter((event) => event.type === 'loop-end')).toEqual([expect.objectContaining({ reason: 'idle' })]);
	});

	it('is bounded across loops: a model that always stops with open steps gets at most `perPlan` reminders until it updates the plan', async () => {
		const model = new ScriptedModel([planWith(['change', 'Active'])]);
		for (let index = 0; index < 6; index++) model.push({ text: 'stopping' });
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind({ perPlan: 2 })] });
		for (let loop = 1; loop <= 4; loop++) {
			harness.agent.post(`message ${loop}`);
			await loopsEnded(harness, loop);
		}
		// Loops 1 and 2 get a reminder (one model call more each); loops 3 and 4 end at the first answer.
		expect(driftItems(harness)).toHaveLength(2);
		expect(model.calls).toHaveLength(1 + 2 + 2 + 1 + 1);
		expect(harness.events.filter((event) => event.type === 'loop-end').map((event) => (event as { reason: string }).reason)).toEqual(['idle', 'idle', 'idle', 'idle']);

		// A plan update makes reminders possible again.
		model.push(planWith(['change', 'Done'], ['test', 'Active']), { text: 'stopping' }, { text: 'stopping' });
		harness.agent.post('message 5');
		await loopsEnded(harness, 5);
		expect(driftItems(harness)).toHaveLength(3);
	});

	it('says nothing when every step is Done or the answer was interrupted', async () => {
		const model = new ScriptedModel([planWith(['a', 'Done']), { text: 'finished' }]);
		harness = createHarness(model, { tools, subminds: [createPlanDriftSubmind()] });
		harness.agent.post('go');
		await loopsEnded(harness, 1);
		expect(driftItems(harness)).toEqual([]);

		model.push(planWith(['b', 'Active']), { text: ['thinking about ', 'b'], hold: true });
		harness.agent.post('next');
		await waitUntil(() => harness!.events.some((event) => event.type === 'text-delta' && event.delta === 'b'), 'streaming');
		harness.agent.abort();
		await loopsEnded(harness, 2);
		expect(driftItems(harness)).toEqual([]);
	});
});
