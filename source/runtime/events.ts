import type { ContextItem, Priority } from './context-item.ts';
import type { ToolCallRequest, Usage } from './model.ts';
import type { Plan } from './plan.ts';

export type AgentState = 'idle' | 'thinking' | 'tool' | 'interrupted' | 'stopped';

/** Why the orchestrator injected an item: the rule of PRODUCT §1 that made it due. */
export type InjectionRule = 'idle-start' | 'interruption' | 'safe-point' | 'loop-end';

export type LoopEndReason = 'idle' | 'aborted' | 'limit' | 'error' | 'stopped';

/**
 * The one event vocabulary. The TUI, the session log, subminds and headless output all read this
 * stream; replay is this stream read back. Every event carries `id`, `sessionId` and `timestamp`
 * (see `RuntimeEvent`); the union below lists the payloads.
 */
export type EventPayload =
	/** `resumedFrom`: set when this process resumed a logged session; the id of the last event logged before. */
	| { type: 'session-start'; cwd: string; model: string; permission: string; version: string; resumedFrom?: string }
	| { type: 'trigger'; source: string; content: string; priority?: Priority }
	| { type: 'item-added'; item: ContextItem }
	| { type: 'item-removed'; itemId: string }
	| { type: 'item-reprioritized'; itemId: string; priority: Priority }
	| { type: 'item-injected'; item: ContextItem; rule: InjectionRule }
	| { type: 'abort-requested'; reason: string; itemId?: string }
	| { type: 'loop-start'; loop: number }
	| { type: 'loop-end'; loop: number; reason: LoopEndReason; detail?: string }
	| { type: 'state'; state: AgentState }
	| { type: 'turn-start'; turn: number; model: string }
	| { type: 'text-delta'; turn: number; delta: string }
	| { type: 'model-retry'; turn: number; attempt: number; delayMs: number; reason: string }
	/** `from` failed after its retries; `to` answers this turn's request instead (what `from` streamed is void). */
	| { type: 'model-fallback'; turn: number; from: string; to: string; reason: string }
	/** `cost` (US dollars): this turn's and the session's; absent when the turn's price is unknown (`total` sums the priced turns). */
	| { type: 'usage'; turn: number; usage: Usage; total: Usage; cost?: { turn: number; total: number } }
	| { type: 'assistant-message'; turn: number; text: string; toolCalls: ToolCallRequest[]; interrupted: boolean }
	| { type: 'turn-end'; turn: number; toolCalls: number; interrupted: boolean }
	| { type: 'tool-start'; turn: number; callId: string; name: string; args: unknown }
	| {
			type: 'tool-end';
			turn: number;
			callId: string;
			name: string;
			content: string;
			details?: unknown;
			isError: boolean;
			interrupted: boolean;
	  }
	| { type: 'agent-message'; text: string }
	/** A file tool read or wrote a repository path (relative to the root). */
	| { type: 'path-touched'; tool: string; path: string; write: boolean }
	| { type: 'plan-updated'; plan: Plan }
	| { type: 'limit-reached'; limit: string; value: number; max: number }
	| { type: 'error'; message: string; fatal: boolean }
	| { type: 'session-end'; reason: string };

export type EventType = EventPayload['type'];

export type RuntimeEvent = EventPayload & { id: string; sessionId: string; timestamp: string };

export type EventOf<T extends EventType> = Extract<RuntimeEvent, { type: T }>;

export type Listener = (event: RuntimeEvent) => void;

/**
 * Synchronous fan-out of runtime events. `emit` stamps the envelope and calls every listener in
 * subscription order before it returns; a listener that throws is reported as an `error` event and
 * never breaks the emitter.
 */
export class EventBus {
	private listeners: readonly Listener[] = [];
	private sequence: number;
	private clockMs = Number.NaN;
	private clockIso = '';

	/** `startSequence`: the last sequence already used (a resumed session goes on after its logged events, so ids stay unique). */
	constructor(
		readonly sessionId: string,
		startSequence = 0,
	) {
		this.sequence = startSequence;
	}

	subscribe(listener: Listener): () => void {
		// Copy on write: emit iterates a snapshot without copying it per event.
		this.listeners = [...this.listeners, listener];
		return () => {
			this.listeners = this.listeners.filter((candidate) => candidate !== listener);
		};
	}

	emit(payload: EventPayload): RuntimeEvent {
		this.sequence += 1;
		const event = { ...payload, id: `${this.sessionId}:${this.sequence}`, sessionId: this.sessionId, timestamp: this.now() } as RuntimeEvent;
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch (error) {
				if (payload.type === 'error') continue;
				this.emit({ type: 'error', message: `event listener failed on ${payload.type}: ${errorMessage(error)}`, fatal: false });
			}
		}
		return event;
	}

	/** The ISO time, formatted once per millisecond (a fast stream emits many events in one). */
	private now(): string {
		const ms = Date.now();
		if (ms !== this.clockMs) {
			this.clockMs = ms;
			this.clockIso = new Date(ms).toISOString();
		}
		return this.clockIso;
	}
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
