import type { RuntimeEvent } from '../runtime/events.ts';

/** The speeds `faster()` and `slower()` step through. */
export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] as const;

/**
 * A pause longer than this in the recording (the person was away) is shortened to it before the
 * speed applies, so a replay never sits still for minutes.
 */
export const MAX_GAP_MS = 3_000;

/** Time for the player; tests pass a manual one. */
export interface ReplayClock {
	now(): number;
	/** Calls `run` after `ms`; returns a function that cancels it. */
	after(ms: number, run: () => void): () => void;
}

export const SYSTEM_CLOCK: ReplayClock = {
	now: () => Date.now(),
	after(ms, run) {
		const timer = setTimeout(run, ms);
		return () => clearTimeout(timer);
	},
};

export interface ReplayOptions {
	/** 1 plays at the recorded pace, 2 twice as fast; any positive number. Default 1. */
	speed?: number;
	maxGapMs?: number;
	clock?: ReplayClock;
}

export interface ReplayStatus {
	speed: number;
	paused: boolean;
	finished: boolean;
	/** Events handed out so far. */
	played: number;
	total: number;
}

/**
 * The recorded times of `events` as offsets from the first, in milliseconds: gaps longer than
 * `maxGapMs` are shortened to it; a time that is missing or unreadable counts as no gap, and one
 * earlier than the one before (the clock was set back) as no gap, later times counting from it. Pure.
 */
export function replayTimeline(events: readonly RuntimeEvent[], maxGapMs = MAX_GAP_MS): number[] {
	const offsets: number[] = [];
	let previous = Number.NaN;
	let offset = 0;
	for (const event of events) {
		const time = Date.parse(event.timestamp);
		if (Number.isFinite(time) && Number.isFinite(previous)) offset += Math.min(maxGapMs, Math.max(0, time - previous));
		if (Number.isFinite(time)) previous = time;
		offsets.push(offset);
	}
	return offsets;
}

/**
 * Plays recorded events back at their recorded pace × speed, handing each to `emit` in order — and
 * nothing else: it never calls a model or runs a tool. Events due at the same moment are handed out
 * together. `start()` begins; speed and pause can change at any time without skipping or repeating an
 * event. `finished` resolves after the last event (or on `stop()`).
 */
export class ReplayPlayer {
	private readonly timeline: number[];
	private readonly clock: ReplayClock;
	private readonly listeners = new Set<() => void>();
	private index = 0;
	private speedValue: number;
	private pausedValue = false;
	private started = false;
	private stopped = false;
	/** Where the playhead was (recorded ms) at `anchorReal` (clock ms). */
	private anchorRecorded = 0;
	private anchorReal = 0;
	private cancel: (() => void) | undefined;
	private resolveFinished!: () => void;
	readonly finished: Promise<void>;

	constructor(
		private readonly events: readonly RuntimeEvent[],
		private readonly emit: (event: RuntimeEvent) => void,
		options: ReplayOptions = {},
	) {
		this.speedValue = validSpeed(options.speed ?? 1);
		this.clock = options.clock ?? SYSTEM_CLOCK;
		this.timeline = replayTimeline(events, options.maxGapMs ?? MAX_GAP_MS);
		this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
	}

	status(): ReplayStatus {
		return { speed: this.speedValue, paused: this.pausedValue, finished: this.isFinished(), played: this.index, total: this.events.length };
	}

	/** Called after every change of status (events played, speed, pause). */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		this.anchor(this.timeline[0] ?? 0);
		this.tick();
	}

	/** Any positive speed; throws a RangeError otherwise. */
	setSpeed(speed: number): void {
		const next = validSpeed(speed);
		if (!this.pausedValue) this.anchor(this.playhead());
		this.speedValue = next;
		this.reschedule();
	}

	/** The next speed up in REPLAY_SPEEDS (stays at the top). */
	faster(): void {
		this.setSpeed(REPLAY_SPEEDS.find((speed) => speed > this.speedValue) ?? REPLAY_SPEEDS[REPLAY_SPEEDS.length - 1]!);
	}

	/** The next speed down in REPLAY_SPEEDS (stays at the bottom). */
	slower(): void {
		this.setSpeed(REPLAY_SPEEDS.findLast((speed) => speed < this.speedValue) ?? REPLAY_SPEEDS[0]!);
	}

	pause(): void {
		if (this.pausedValue || this.isFinished()) return;
		this.anchor(this.playhead());
		this.pausedValue = true;
		this.cancel?.();
		this.cancel = undefined;
		this.changed();
	}

	resume(): void {
		if (!this.pausedValue) return;
		this.pausedValue = false;
		this.anchor(this.anchorRecorded);
		this.reschedule();
	}

	togglePause(): void {
		if (this.pausedValue) this.resume();
		else this.pause();
	}

	/** Hands out every remaining event at once. */
	skipToEnd(): void {
		if (this.stopped) return;
		this.cancel?.();
		this.cancel = undefined;
		while (this.index < this.events.length) this.emit(this.events[this.index++]!);
		this.finish();
	}

	/** Stops playing; no further event is handed out. */
	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		this.cancel?.();
		this.cancel = undefined;
		this.resolveFinished();
		this.changed();
	}

	private isFinished(): boolean {
		return this.stopped || this.index >= this.events.length;
	}

	/** The recorded time the playback has reached. */
	private playhead(): number {
		if (this.pausedValue || !this.started) return this.anchorRecorded;
		return this.anchorRecorded + (this.clock.now() - this.anchorReal) * this.speedValue;
	}

	private anchor(recorded: number): void {
		this.anchorRecorded = recorded;
		this.anchorReal = this.clock.now();
	}

	private reschedule(): void {
		this.cancel?.();
		this.cancel = undefined;
		if (this.started && !this.pausedValue) this.tick();
		this.changed();
	}

	private tick(): void {
		this.cancel = undefined;
		if (this.stopped) return;
		const head = this.playhead();
		let played = false;
		while (this.index < this.events.length && this.timeline[this.index]! <= head) {
			this.emit(this.events[this.index]!);
			this.index += 1;
			played = true;
			if (this.stopped || this.pausedValue) break;
		}
		if (this.index >= this.events.length) {
			this.finish();
			return;
		}
		if (this.stopped) return;
		if (!this.pausedValue) {
			const wait = Math.max(0, (this.timeline[this.index]! - head) / this.speedValue);
			this.cancel = this.clock.after(Math.ceil(wait), () => this.tick());
		}
		if (played) this.changed();
	}

	private finish(): void {
		this.resolveFinished();
		this.changed();
	}

	private changed(): void {
		for (const listener of [...this.listeners]) listener();
	}
}

function validSpeed(speed: number): number {
	if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`the replay speed must be a positive number, not ${speed}`);
	return speed;
}
