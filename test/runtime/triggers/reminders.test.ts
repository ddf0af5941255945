import { afterEach, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../../source/cli-args.ts';
import { Agent } from '../../../source/runtime/agent.ts';
import type { RuntimeEvent } from '../../../source/runtime/events.ts';
import { createRemindersTrigger, formatDuration, parseDuration, parseReminder, type RemindersTrigger } from '../../../source/runtime/triggers/reminders.ts';
import { createPermissionPolicy } from '../../../source/sandbox/permission.ts';
import { ScriptedModel, waitUntil } from '../../fixtures/scripted-model.ts';

let agent: Agent | undefined;
afterEach(async () => {
	await agent?.stop();
	agent = undefined;
});

function startAgent(model: ScriptedModel, reminders: RemindersTrigger): RuntimeEvent[] {
	const events: RuntimeEvent[] = [];
	agent = new Agent({ sessionId: 'remind', root: process.cwd(), model, tools: [], permission: createPermissionPolicy('auto'), systemPrompt: () => 'system', triggers: [reminders] });
	agent.subscribe((event) => events.push(event));
	agent.start();
	return events;
}

const timerItems = (events: RuntimeEvent[]) => events.flatMap((event) => (event.type === 'item-added' && event.item.source === 'timer' ? [event.item] : []));

describe('durations and reminders as people type them', () => {
	it('parseDuration reads whole numbers with d, h, m, s in that order', () => {
		expect(parseDuration('90s')).toBe(90_000);
		expect(parseDuration('10m')).toBe(600_000);
		expect(parseDuration('1h30m')).toBe(5_400_000);
		expect(parseDuration('2d')).toBe(172_800_000);
		expect(parseDuration(' 1H5S ')).toBe(3_605_000);
		for (const bad of ['', '10', '10x', '1m30h', '-5m', '1.5h', 'm', '10 m']) {
			expect(parseDuration(bad), bad).toEqual({ error: expect.stringContaining('like 90s, 10m or 1h30m') });
		}
	});

	it('parseReminder takes a time and a text, with clear errors', () => {
		expect(parseReminder('10m check the build')).toEqual({ delayMs: 600_000, text: 'check the build' });
		expect(parseReminder('  1h30m   ship it\nand tell me ')).toEqual({ delayMs: 5_400_000, text: 'ship it\nand tell me' });
		expect(parseReminder('10m')).toEqual({ error: 'a reminder needs a time and a text, like "10m check the build"' });
		expect(parseReminder('')).toEqual({ error: expect.stringContaining('needs a time and a text') });
		expect(parseReminder('soon check the build')).toEqual({ error: expect.stringMatching(/^"soon" is not a duration/) });
		expect(parseReminder('0s now')).toEqual({ error: 'a reminder must be between 1s and 24d away' });
		expect(parseReminder('30d later')).toEqual({ error: 'a reminder must be between 1s and 24d away' });
	});

	it('formatDuration writes what parseDuration reads', () => {
		expect(formatDuration(5_400_000)).toBe('1h30m');
		expect(formatDuration(599_600)).toBe('10m');
		expect(formatDuration(61_000)).toBe('1m1s');
		expect(formatDuration(200)).toBe('0s');
		for (const text of ['90s', '1h30m', '2d3h4m5s']) expect(formatDuration(parseDuration(text) as number)).toBe(text === '90s' ? '1m30s' : text);
	});

	it('--remind is repeatable and parsed into the options; bad input is a usage error', () => {
		expect(parseCli(['-p', 'task', '--remind', '10m check the build', '--remind', '90s stretch']).reminders).toEqual([
			{ delayMs: 600_000, text: 'check the build' },
			{ delayMs: 90_000, text: 'stretch' },
		]);
		expect(parseCli(['-p', 'task']).reminders).toEqual([]);
		expect(() => parseCli(['--remind', '10m'])).toThrow(UsageError);
		expect(() => parseCli(['--remind', 'tomorrow call'])).toThrow('--remind "tomorrow call": "tomorrow" is not a duration');
	});
});

describe('the reminders trigger', () => {
	it('fires each reminder at its time as a timer trigger, soonest first, also ones set before start', async () => {
		const reminders = createRemindersTrigger();
		const model = new ScriptedModel([{ text: 'ok' }, { text: 'ok' }, { text: 'ok' }]);
		const changes: number[] = [];
		reminders.onChange(() => changes.push(reminders.list().length));
		const early = reminders.remind(300, 'set before start');
		expect(early).toMatchObject({ id: 1, text: 'set before start' });
		const events = startAgent(model, reminders);
		reminders.remind(30, '  sooner, set after start ');
		expect(reminders.list().map((reminder) => reminder.text)).toEqual(['sooner, set after start', 'set before start']);
		await reminders.settled();
		expect(reminders.list()).toEqual([]);
		expect(timerItems(events).map((item) => [item.content, item.priority])).toEqual([
			['sooner, set after start', 'for-next-turn'],
			['set before start', 'for-next-turn'],
		]);
		expect(changes).toEqual([1, 2, 1, 0]);
		await waitUntil(() => model.calls.length >= 1, 'the model call');
		expect(model.calls[0]!.at(-1)).toEqual({ role: 'user', content: '[timer] sooner, set after start' });
	});

	it('a reminder whose time passed before start fires at once', async () => {
		const reminders = createRemindersTrigger();
		reminders.remind(0, 'overdue');
		const events = startAgent(new ScriptedModel([{ text: 'ok' }]), reminders);
		await reminders.settled();
		expect(timerItems(events).map((item) => item.content)).toEqual(['overdue']);
	});

	it('cancel and stop drop waiting reminders; bad reminders are refused', async () => {
		const reminders = createRemindersTrigger();
		const events = startAgent(new ScriptedModel([]), reminders);
		const first = reminders.remind(600_000, 'first') as { id: number };
		reminders.remind(600_000, 'second');
		expect(reminders.cancel(first.id)).toBe(true);
		expect(reminders.cancel(first.id)).toBe(false);
		expect(reminders.list().map((reminder) => reminder.text)).toEqual(['second']);
		expect(reminders.remind(1_000, '   ')).toEqual({ error: 'a reminder needs a text' });
		expect(reminders.remind(-1, 'x')).toEqual({ error: 'a reminder must be at most 24d away' });
		expect(reminders.remind(25 * 86_400_000, 'x')).toEqual({ error: 'a reminder must be at most 24d away' });
		const settled = reminders.settled();
		await agent!.stop();
		await settled;
		expect(reminders.list()).toEqual([]);
		expect(reminders.remind(1_000, 'too late')).toEqual({ error: 'the agent has stopped; reminders are off' });
		expect(timerItems(events)).toEqual([]);
	});
});
