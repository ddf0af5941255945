import type { Trigger, TriggerContext } from '../trigger.ts';

/** A reminder waiting for its time. */
export interface Reminder {
	/** Small and unique within one trigger (1, 2, 3, …): `/remind cancel 2`. */
	id: number;
	text: string;
	/** When it fires, in epoch milliseconds. */
	dueAt: number;
}

/** What the `/remind` command needs of the reminders. */
export interface ReminderControl {
	/** Sets a reminder `delayMs` from now; an error for a delay outside 0 … 24 days or an empty text. */
	remind(delayMs: number, text: string): Reminder | { error: string };
	/** The reminders still waiting, soonest first. */
	list(): Reminder[];
	/** Cancels a waiting reminder; false when no reminder with that id waits. */
	cancel(id: number): boolean;
}

export interface RemindersTrigger extends Trigger, ReminderControl {
	/** Resolves when no reminder waits (at once when none does; after `stop`, waiting ones are dropped). */
	settled(): Promise<void>;
	/** Called after every change of the list (set, fired, cancelled), for a view of the waiting reminders. */
	onChange(listener: () => void): () => void;
}

/** setTimeout's limit (2^31 − 1 ms, about 24.8 days), rounded down to whole days. */
export const MAX_REMINDER_MS = 24 * 86_400_000;
/** What people may type (`/remind`, `--remind`): at least a second. */
const MIN_REMINDER_MS = 1_000;

/**
 * Timers (PRODUCT §1 Triggers): each reminder fires `{ source: 'timer', content: text }` at its time;
 * triage makes it an item (ForNextTurn by default), which starts a loop when the agent is idle.
 * Reminders set before `start` count from when they were set and fire once the trigger runs (at
 * once if their time has passed); `stop` cancels the waiting ones.
 */
export function createRemindersTrigger(): RemindersTrigger {
	const waiting = new Map<number, Reminder>();
	const timers = new Map<number, NodeJS.Timeout>();
	const listeners = new Set<() => void>();
	let settledWaiters: (() => void)[] = [];
	let context: TriggerContext | undefined;
	let stopped = false;
	let nextId = 1;

	const changed = () => {
		for (const listener of [...listeners]) listener();
		if (waiting.size === 0) for (const resolve of settledWaiters.splice(0)) resolve();
	};

	const schedule = (reminder: Reminder) => {
		const timer = setTimeout(() => {
			timers.delete(reminder.id);
			if (!waiting.delete(reminder.id)) return;
			context?.fire({ source: 'timer', content: reminder.text });
			changed();
		}, Math.max(0, reminder.dueAt - Date.now()));
		timers.set(reminder.id, timer);
	};

	return {
		name: 'reminders',
		start(ctx) {
			context = ctx;
			for (const reminder of waiting.values()) schedule(reminder);
			return () => {
				stopped = true;
				for (const timer of timers.values()) clearTimeout(timer);
				timers.clear();
				waiting.clear();
				changed();
			};
		},
		remind(delayMs, text) {
			if (stopped) return { error: 'the agent has stopped; reminders are off' };
			if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_REMINDER_MS) {
				return { error: `a reminder must be at most ${MAX_REMINDER_MS / 86_400_000}d away` };
			}
			const trimmed = text.trim();
			if (trimmed === '') return { error: 'a reminder needs a text' };
			const reminder: Reminder = { id: nextId++, text: trimmed, dueAt: Date.now() + Math.round(delayMs) };
			waiting.set(reminder.id, reminder);
			if (context) schedule(reminder);
			changed();
			return reminder;
		},
		list: () => [...waiting.values()].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id),
		cancel(id) {
			if (!waiting.delete(id)) return false;
			clearTimeout(timers.get(id));
			timers.delete(id);
			changed();
			return true;
		},
		settled() {
			if (waiting.size === 0) return Promise.resolve();
			return new Promise((resolve) => settledWaiters.push(resolve));
		},
		onChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/**
 * Reads a duration such as `90s`, `10m`, `1h30m` or `2d`: whole numbers with units d, h, m, s, in
 * that order, each at most once. Returns milliseconds, or an error that says what is accepted.
 */
export function parseDuration(text: string): number | { error: string } {
	const value = text.trim().toLowerCase();
	const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
	const problem = { error: `"${text.trim()}" is not a duration: use whole numbers with units d, h, m, s, like 90s, 10m or 1h30m` };
	if (!match || value === '') return problem;
	const [, d, h, m, s] = match;
	return Number(d ?? 0) * UNITS.d! + Number(h ?? 0) * UNITS.h! + Number(m ?? 0) * UNITS.m! + Number(s ?? 0) * UNITS.s!;
}

/** Reads `<duration> <text>` (`10m check the build`), as `/remind` and `--remind` take it. */
export function parseReminder(input: string): { delayMs: number; text: string } | { error: string } {
	const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(input.trim());
	const text = match?.[2]?.trim() ?? '';
	if (!match || text === '') return { error: 'a reminder needs a time and a text, like "10m check the build"' };
	const delayMs = parseDuration(match[1]!);
	if (typeof delayMs !== 'number') return delayMs;
	if (delayMs < MIN_REMINDER_MS || delayMs > MAX_REMINDER_MS) return { error: `a reminder must be between 1s and ${MAX_REMINDER_MS / 86_400_000}d away` };
	return { delayMs, text };
}

/** A duration as people write it: `1h30m`, `10m`, `45s` (rounded to the second; `0s` for less). */
export function formatDuration(ms: number): string {
	let seconds = Math.max(0, Math.round(ms / 1000));
	const parts: string[] = [];
	for (const [unit, size] of [
		['d', 86_400],
		['h', 3_600],
		['m', 60],
		['s', 1],
	] as const) {
		const count = Math.floor(seconds / size);
		seconds -= count * size;
		if (count > 0) parts.push(`${count}${unit}`);
	}
	return parts.length > 0 ? parts.join('') : '0s';
}
