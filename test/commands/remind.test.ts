import { describe, expect, it } from 'vitest';
import { parseSlash } from '../../commands/index.ts';
import { remindCommand } from '../../commands/remind.ts';
import type { CommandContext, CommandResult } from '../../commands/command.ts';
import { createRemindersTrigger } from '../../source/runtime/triggers/reminders.ts';
import { fakeContext } from './fake-context.ts';

function withReminders() {
	const reminders = createRemindersTrigger();
	return { reminders, ctx: { ...fakeContext(), reminders } };
}

async function run(args: string, ctx: CommandContext = withReminders().ctx): Promise<CommandResult> {
	return await remindCommand.run(args, ctx);
}

describe('/remind', () => {
	it('is registered', () => {
		expect(parseSlash('/remind 10m check the build')).toEqual({ command: remindCommand, args: '10m check the build' });
	});

	it('sets a reminder and says when it fires', async () => {
		const { reminders, ctx } = withReminders();
		const result = await run('10m check the build', ctx);
		expect(result).toEqual({ kind: 'notice', tone: 'info', text: expect.stringMatching(/^Reminder 1 set: at \d\d:\d\d \(in 10m\): check the build$/) });
		expect(reminders.list()).toEqual([expect.objectContaining({ id: 1, text: 'check the build' })]);
	});

	it('lists the waiting reminders, soonest first, and cancels one', async () => {
		const { reminders, ctx } = withReminders();
		expect(await run('', ctx)).toMatchObject({ text: 'No reminders. /remind 10m check the build sets one.' });
		await run('1h30m ship it', ctx);
		await run('90s stretch', ctx);
		// The time left is counted when the list is made (a slow machine may have spent a second).
		expect(await run('', ctx)).toMatchObject({ text: expect.stringMatching(/^Reminders:\n2\. at \d\d:\d\d \(in 1m(30|29)s\): stretch\n1\. at \d\d:\d\d \(in 1h(30m|29m59s)\): ship it$/) });
		expect(await run('cancel 2', ctx)).toEqual({ kind: 'notice', tone: 'info', text: 'Reminder 2 cancelled.' });
		expect(await run('cancel 2', ctx)).toEqual({ kind: 'notice', tone: 'error', text: 'No reminder 2 is waiting; /remind lists them.' });
		expect(await run('cancel', ctx)).toMatchObject({ tone: 'error', text: expect.stringContaining('/remind cancel <n>') });
		expect(reminders.list().map((reminder) => reminder.text)).toEqual(['ship it']);
	});

	it('answers bad input with an error that shows the form, and sets nothing', async () => {
		const { reminders, ctx } = withReminders();
		expect(await run('10m', ctx)).toEqual({ kind: 'notice', tone: 'error', text: 'A reminder needs a time and a text, like "10m check the build". Usage: /remind 10m check the build' });
		expect(await run('ten minutes check', ctx)).toMatchObject({ tone: 'error', text: expect.stringMatching(/^"ten" is not a duration: .* Usage: \/remind 10m check the build$/) });
		expect(await run('0s now', ctx)).toMatchObject({ tone: 'error', text: expect.stringContaining('between 1s and 24d') });
		expect(reminders.list()).toEqual([]);
	});

	it('says so where reminders are not available', async () => {
		expect(await run('10m x', { ...fakeContext() })).toEqual({ kind: 'notice', tone: 'error', text: 'Reminders are not available here.' });
	});
});
