import { formatDuration, parseReminder, type Reminder } from '../source/runtime/triggers/reminders.ts';
import type { SlashCommand } from './command.ts';
import { notice } from './command.ts';

/**
 * `/remind 10m check the build` sets a timer whose text reaches the agent at its time (source
 * `timer`); `/remind` lists the waiting ones; `/remind cancel <n>` cancels one. Bad input is an error
 * notice that shows the expected form, and changes nothing.
 */
export const remindCommand: SlashCommand = {
	name: 'remind',
	summary: 'Set a reminder for the agent, list or cancel them',
	usage: '/remind [<time> <text> | cancel <n>]',
	run(args, ctx) {
		const reminders = ctx.reminders;
		if (!reminders) return notice('Reminders are not available here.', 'error');
		const now = Date.now();
		if (args === '') {
			const waiting = reminders.list();
			if (waiting.length === 0) return notice('No reminders. /remind 10m check the build sets one.');
			return notice(`Reminders:\n${waiting.map((reminder) => `${reminder.id}. ${describe(reminder, now)}`).join('\n')}`);
		}
		const cancel = /^cancel(?:\s+(\S+))?$/i.exec(args);
		if (cancel) {
			const id = Number(cancel[1]);
			if (!Number.isInteger(id)) return notice('Say which reminder: /remind cancel <n>, with n from /remind.', 'error');
			return reminders.cancel(id) ? notice(`Reminder ${id} cancelled.`) : notice(`No reminder ${id} is waiting; /remind lists them.`, 'error');
		}
		const parsed = parseReminder(args);
		if ('error' in parsed) return notice(`${capitalise(parsed.error)}. Usage: /remind 10m check the build`, 'error');
		const set = reminders.remind(parsed.delayMs, parsed.text);
		if ('error' in set) return notice(`${capitalise(set.error)}.`, 'error');
		return notice(`Reminder ${set.id} set: ${describe(set, now)}`);
	},
};

function describe(reminder: Reminder, now: number): string {
	const at = new Date(reminder.dueAt).toTimeString().slice(0, 5);
	return `at ${at} (in ${formatDuration(reminder.dueAt - now)}): ${reminder.text}`;
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
