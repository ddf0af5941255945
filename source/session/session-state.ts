import type { RestoredState } from '../runtime/agent.ts';
import { Bucket } from '../runtime/bucket.ts';
import type { ContextItem } from '../runtime/context-item.ts';
import type { RuntimeEvent } from '../runtime/events.ts';
import type { ToolCallRequest, Usage } from '../runtime/model.ts';
import type { Plan } from '../runtime/plan.ts';
import type { ThreadEntry } from '../runtime/thread.ts';

/** Result given to the model for a tool that was running when Orbit died. */
export const INTERRUPTED_RUNNING = 'interrupted: Orbit stopped while this ran; it was not run again. Check its effects before you run it again.';
/** Result given to the model for a tool call of the batch that had not started when Orbit died. */
export const INTERRUPTED_NOT_STARTED = 'interrupted: Orbit stopped before this call started; it was not run.';

/**
 * Where a logged session stands. `ended`: its `session-end` is logged. `idle`: the process went away
 * between loops. `interrupted`: the process died while a loop ran (a resume goes on with it).
 */
export type SessionStatus = 'ended' | 'idle' | 'interrupted';

/** A logged session folded into what resume needs (`RestoredState`) and what a listing shows. */
export interface SessionState extends RestoredState {
	status: SessionStatus;
	/** The `session-end` reason, when ended. */
	endReason?: string;
	/** The content of the first item the user posted (else the first item), if any. */
	firstTask?: string;
	/** Time of the first and last logged event. */
	startedAt?: string;
	updatedAt?: string;
	events: number;
}

const EMPTY_USAGE: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

interface PendingCall {
	turn: number;
	call: ToolCallRequest;
	started: boolean;
	done: boolean;
}

/**
 * Folds logged events into the session's state. Rebuilds the thread as the loop built it
 * (`item-injected` → item, `assistant-message` → assistant, `tool-end` → tool result), the bucket
 * (added, removed, reprioritised and injected items), the plan and the usage and cost totals. Tool calls
 * left without a result become `interrupted` (or, when later entries follow them, interrupted
 * results in place), so the thread stays a valid conversation. Never throws.
 */
export function foldSession(events: readonly RuntimeEvent[]): SessionState {
	const thread: ThreadEntry[] = [];
	const bucket = new Bucket();
	let plan: Plan = { steps: [] };
	let usage: Usage = { ...EMPTY_USAGE };
	let costUsd: number | undefined;
	let lastSequence = 0;
	let turns = 0;
	let loops = 0;
	let loopOpen = false;
	let ended: string | undefined;
	let firstUserTask: string | undefined;
	let firstItem: string | undefined;
	let pending: PendingCall[] = [];
	const last = events.at(-1);

	// Results for calls still open when the batch is over (a crash before a resume, a damaged log).
	const closePending = () => {
		for (const entry of pending) {
			if (entry.done) continue;
			const content = entry.started ? INTERRUPTED_RUNNING : INTERRUPTED_NOT_STARTED;
			thread.push({ kind: 'tool-result', callId: entry.call.id, name: entry.call.function.name, content, isError: true, interrupted: true });
		}
		pending = [];
	};

	for (const event of events) {
		const sequence = sequenceOf(event.id);
		if (sequence > lastSequence) lastSequence = sequence;
		switch (event.type) {
			case 'session-start':
				// A resumed session is not ended; a loop cut off before stays owed until a loop ends.
				ended = undefined;
				break;
			case 'item-added':
				if (event.item.source === 'user') firstUserTask ??= event.item.content;
				firstItem ??= event.item.content;
				safely(() => bucket.add(event.item));
				break;
			case 'item-removed':
				bucket.remove(event.itemId);
				break;
			case 'item-reprioritized':
				bucket.reprioritize(event.itemId, event.priority);
				break;
			case 'item-injected':
				closePending();
				bucket.remove(event.item.id);
				thread.push({ kind: 'item', item: event.item });
				break;
			case 'loop-start':
				closePending();
				loops = Math.max(loops, event.loop);
				loopOpen = true;
				break;
			case 'loop-end':
				loopOpen = false;
				break;
			case 'turn-start':
				closePending();
				turns = Math.max(turns, event.turn);
				break;
			case 'assistant-message':
				closePending();
				thread.push({ kind: 'assistant', text: event.text, toolCalls: event.toolCalls, interrupted: event.interrupted });
				pending = event.toolCalls.map((call) => ({ turn: event.turn, call, started: false, done: false }));
				break;
			case 'tool-start': {
				const entry = pending.find((candidate) => candidate.call.id === event.callId && !candidate.done);
				if (entry) entry.started = true;
				break;
			}
			case 'tool-end': {
				const entry = pending.find((candidate) => candidate.call.id === event.callId && !candidate.done);
				if (entry) entry.done = true;
				thread.push({ kind: 'tool-result', callId: event.callId, name: event.name, content: event.content, isError: event.isError, interrupted: event.interrupted });
				if (pending.every((candidate) => candidate.done)) pending = [];
				break;
			}
			case 'plan-updated':
				plan = event.plan;
				break;
			case 'usage':
				usage = { ...event.total };
				if (event.cost) costUsd = event.cost.total;
				break;
			case 'session-end':
				ended = event.reason;
				break;
		}
	}

	// Triage adds the item while the trigger is being logged: a trigger logged last never became one.
	const pendingTriggers = last?.type === 'trigger' ? [{ source: last.source, content: last.content, ...(last.priority ? { priority: last.priority } : {}) }] : [];
	const interrupted = pending
		.filter((entry) => !entry.done)
		.map((entry) => ({ turn: entry.turn, callId: entry.call.id, name: entry.call.function.name, content: entry.started ? INTERRUPTED_RUNNING : INTERRUPTED_NOT_STARTED }));
	const waiting: ContextItem[] = [...bucket.list()];
	const status: SessionStatus = ended !== undefined ? 'ended' : loopOpen ? 'interrupted' : 'idle';
	return {
		thread,
		plan,
		waiting,
		usage,
		...(costUsd !== undefined ? { costUsd } : {}),
		lastSequence,
		...(last ? { lastEventId: last.id } : {}),
		turns,
		loops,
		interrupted,
		pendingTriggers,
		continueLoop: loopOpen || interrupted.length > 0,
		status,
		...(ended !== undefined ? { endReason: ended } : {}),
		...(firstUserTask ?? firstItem ? { firstTask: firstUserTask ?? firstItem } : {}),
		...(events[0] ? { startedAt: events[0].timestamp } : {}),
		...(last ? { updatedAt: last.timestamp } : {}),
		events: events.length,
	};
}

/** `<sessionId>:<n>` → n; 0 when the id has no number. */
export function sequenceOf(id: string): number {
	const colon = id.lastIndexOf(':');
	const value = Number(id.slice(colon + 1));
	return Number.isInteger(value) && value > 0 ? value : 0;
}

function safely(action: () => void): void {
	try {
		action();
	} catch {
		// An item logged twice (a damaged log) is kept once.
	}
}
