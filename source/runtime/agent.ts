import { Bucket } from './bucket.ts';
import { type ContextItem, createItem, type Priority } from './context-item.ts';
import { type AgentState, EventBus, type Listener, type LoopEndReason, errorMessage } from './events.ts';
import type { ModelClient, ToolSchema, Usage } from './model.ts';
import { runModelTurn } from './model-turn.ts';
import { Orchestrator } from './orchestrator.ts';
import type { Plan } from './plan.ts';
import { type AgentLimits, Spend } from './spend.ts';
import type { Submind } from './submind.ts';
import { createTriageSubmind } from './subminds/triage.ts';
import { Thread, type ThreadEntry } from './thread.ts';
import { runToolBatch } from './tool-batch.ts';
import { type ChangeHooks, type PermissionPolicy, type Tool, type ToolContext, toolSchema } from './tool.ts';
import type { Trigger, TriggerFire } from './trigger.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';

export type { AgentLimits };

export interface AgentOptions {
	sessionId: string;
	root: string;
	cwd?: string;
	model: ModelClient;
	tools: Tool[];
	permission: PermissionPolicy;
	/** Built before every model call, so changes (a new AGENT.md, agreements) reach the next request. */
	systemPrompt: () => string;
	/** Subminds besides triage, which is always present unless one named `triage` is given. */
	subminds?: Submind[];
	triggers?: Trigger[];
	/** Environment for child processes (no credentials). */
	env?: Record<string, string>;
	/** Confines shell commands; absent runs them unconfined (the permission policy decides whether that may happen). */
	sandbox?: Sandbox;
	limits?: AgentLimits;
	version?: string;
	/** Awaited around the tools that may change files (checkpoints for undo); see `ChangeHooks`. */
	changes?: ChangeHooks;
	/** Go on from a logged session (see `RestoredState`) instead of starting empty. */
	restored?: RestoredState;
}

/**
 * What a resumed agent starts from, rebuilt from a session log. The thread must be a valid
 * conversation except for `interrupted`: tool calls of the last assistant entry that never got a
 * result; `start()` records each as an interrupted result (thread entry and `tool-end` event).
 */
export interface RestoredState {
	thread: readonly ThreadEntry[];
	plan: Plan;
	/** Items still waiting in the bucket, in injection order. */
	waiting: readonly ContextItem[];
	usage: Usage;
	/** US dollars spent so far (the last logged `usage` event's `cost.total`). */
	costUsd?: number;
	/** The last event sequence used; new events go on after it. */
	lastSequence: number;
	/** Id of the last logged event (recorded in `session-start.resumedFrom`). */
	lastEventId?: string;
	turns: number;
	loops: number;
	interrupted: readonly { turn: number; callId: string; name: string; content: string }[];
	/** Triggers logged but not yet made items (the process died in between); fired again at start. */
	pendingTriggers?: readonly TriggerFire[];
	/** A loop was running when the process died: go on with it at once. */
	continueLoop: boolean;
}

/**
 * The long-lived agent runtime. Triggers become items through triage; the orchestrator decides when
 * items reach the thread; the loop calls the model and the tools. Everything that happens is an event
 * on `bus`. The agent idles between loops and lives until `stop()`.
 */
export class Agent {
	readonly bus: EventBus;
	readonly bucket = new Bucket();
	readonly thread = new Thread();
	private readonly orchestrator: Orchestrator;
	private readonly tools: Map<string, Tool>;
	private readonly schemas: ToolSchema[];
	private readonly lifetime = new AbortController();
	private readonly disposers: (() => void | Promise<void>)[] = [];
	private plan: Plan = { steps: [] };
	private state: AgentState = 'idle';
	private turnController: AbortController | undefined;
	private loopRunning = false;
	private loopScheduled = false;
	private loops = 0;
	private turns = 0;
	private spend: Spend;
	private idleWaiters: (() => void)[] = [];
	private started = false;
	private stopping = false;
	/** How the most recent loop ended, for exit codes. */
	lastLoopEnd: LoopEndReason | undefined;

	constructor(private readonly options: AgentOptions) {
		const { restored } = options;
		this.bus = new EventBus(options.sessionId, restored?.lastSequence ?? 0);
		if (restored) {
			for (const entry of restored.thread) this.thread.append(entry);
			for (const item of restored.waiting) this.bucket.add(item);
			this.plan = restored.plan;
			this.turns = restored.turns;
			this.loops = restored.loops;
		}
		this.spend = new Spend(restored);
		this.tools = new Map(options.tools.map((tool) => [tool.name, tool]));
		this.schemas = options.tools.map(toolSchema);
		this.orchestrator = new Orchestrator(this.bucket, this.bus, {
			isBusy: () => this.busy,
			startLoop: () => this.scheduleLoop(),
			abortTurn: (reason) => this.turnController?.abort(reason),
		});
	}

	get sessionId(): string {
		return this.options.sessionId;
	}

	get busy(): boolean {
		return this.loopScheduled || this.loopRunning;
	}

	getState(): AgentState {
		return this.state;
	}

	getPlan(): Plan {
		return this.plan;
	}

	getUsage(): Usage {
		return this.spend.usage();
	}

	/** US dollars spent in the session so far (priced turns only). */
	getCost(): number {
		return this.spend.cost();
	}

	subscribe(listener: Listener): () => void {
		return this.bus.subscribe(listener);
	}

	/**
	 * Emits `session-start`, then starts subminds and triggers. Call once. A restored agent then
	 * records its interrupted tool calls and starts a loop when one was running or items are waiting.
	 */
	start(): void {
		if (this.started) throw new Error('agent already started');
		this.started = true;
		const { options } = this;
		const { restored } = options;
		this.bus.emit({
			type: 'session-start',
			cwd: options.cwd ?? options.root,
			model: options.model.name,
			permission: options.permission.mode,
			version: options.version ?? '0.0.0',
			...(restored ? { resumedFrom: restored.lastEventId ?? '' } : {}),
		});
		for (const call of restored?.interrupted ?? []) {
			this.thread.append({ kind: 'tool-result', callId: call.callId, name: call.name, content: call.content, isError: true, interrupted: true });
			this.bus.emit({ type: 'tool-end', turn: call.turn, callId: call.callId, name: call.name, content: call.content, isError: true, interrupted: true });
		}
		const subminds = options.subminds ?? [];
		const all = subminds.some((submind) => submind.name === 'triage') ? subminds : [createTriageSubmind(), ...subminds];
		for (const submind of all) {
			const dispose = submind.start({
				subscribe: (listener) => this.bus.subscribe(listener),
				thread: () => this.thread.entries,
				plan: () => this.plan,
				addItem: (fields) => this.addItem({ ...fields, source: fields.source ?? `submind:${submind.name}` }),
				note: (message) => this.note(`${submind.name}: ${message}`),
				signal: this.lifetime.signal,
			});
			if (dispose) this.disposers.push(dispose);
		}
		for (const trigger of options.triggers ?? []) {
			const dispose = trigger.start({
				fire: (fire) => this.trigger(fire),
				subscribe: (listener) => this.bus.subscribe(listener),
				note: (message) => this.note(`${trigger.name}: ${message}`),
				root: options.root,
				cwd: options.cwd ?? options.root,
				signal: this.lifetime.signal,
			});
			if (dispose) this.disposers.push(dispose);
		}
		for (const fire of restored?.pendingTriggers ?? []) this.trigger(fire);
		if (restored && (restored.continueLoop || this.bucket.size > 0)) this.scheduleLoop();
	}

	/** A trigger happened; triage turns it into an item. Ignored after `stop()`. */
	trigger(fire: TriggerFire): void {
		if (this.stopping) return;
		this.bus.emit({ type: 'trigger', source: fire.source, content: fire.content, priority: fire.priority });
	}

	/** The user's words, as a trigger with the chosen priority. */
	post(content: string, priority: Priority = 'for-next-turn'): void {
		this.trigger({ source: 'user', content, priority });
	}

	/** Puts an item in the bucket directly (triage and subminds use this). */
	addItem(fields: { content: string; priority: Priority; source: string }): ContextItem {
		const item = createItem(fields);
		this.bucket.add(item);
		this.bus.emit({ type: 'item-added', item });
		if (!this.stopping) this.orchestrator.onItemWaiting(item);
		return item;
	}

	/** Deletes a waiting item; false when it was already injected or never existed. */
	removeItem(id: string): boolean {
		const removed = this.bucket.remove(id);
		if (removed) this.bus.emit({ type: 'item-removed', itemId: id });
		return removed !== undefined;
	}

	/** Changes a waiting item's priority; an item raised to Interruption interrupts like a new one. */
	reprioritizeItem(id: string, priority: Priority): boolean {
		const updated = this.bucket.reprioritize(id, priority);
		if (!updated) return false;
		this.bus.emit({ type: 'item-reprioritized', itemId: id, priority });
		if (!this.stopping) this.orchestrator.onItemWaiting(updated);
		return true;
	}

	/** Interrupts the current turn with no new item: the loop ends and the agent idles; waiting items stay. */
	abort(reason = 'user'): void {
		if (!this.turnController || this.turnController.signal.aborted) return;
		this.bus.emit({ type: 'abort-requested', reason });
		this.turnController.abort(reason);
	}

	/** Resolves when no loop runs (at once when idle). */
	whenIdle(): Promise<void> {
		if (!this.busy) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/** Aborts any work, stops subminds and triggers, and emits `session-end`. Idempotent. */
	async stop(reason = 'stopped'): Promise<void> {
		if (this.stopping) return this.whenIdle();
		this.stopping = true;
		this.lifetime.abort(reason);
		this.turnController?.abort(reason);
		await this.whenIdle();
		for (const dispose of this.disposers.reverse()) {
			try {
				await dispose();
			} catch (error) {
				this.bus.emit({ type: 'error', message: `stopping failed: ${errorMessage(error)}`, fatal: false });
			}
		}
		this.setState('stopped');
		this.bus.emit({ type: 'session-end', reason });
	}

	private note(message: string): void {
		if (!this.stopping) this.bus.emit({ type: 'error', message, fatal: false });
	}

	private setState(state: AgentState): void {
		if (this.state === state) return;
		this.state = state;
		this.bus.emit({ type: 'state', state });
	}

	private scheduleLoop(): void {
		if (this.busy || this.stopping) return;
		this.loopScheduled = true;
		// Items posted in the same tick start one loop together.
		queueMicrotask(() => {
			this.loopScheduled = false;
			this.loopRunning = true;
			void this.runLoop().then(() => {
				// A listener of loop-end may already have started the next loop.
				if (!this.busy) for (const resolve of this.idleWaiters.splice(0)) resolve();
			});
		});
	}

	/** Never rejects: an unexpected failure ends the loop with an `error` event. */
	private async runLoop(): Promise<void> {
		try {
			await this.loopBody();
		} catch (error) {
			this.bus.emit({ type: 'error', message: `runtime failure: ${errorMessage(error)}`, fatal: false });
			if (this.loopRunning) this.endLoop(this.loops, 'error', errorMessage(error));
		}
	}

	private endLoop(loop: number, reason: LoopEndReason, detail?: string): void {
		this.loopRunning = false;
		this.lastLoopEnd = reason;
		this.turnController = undefined;
		this.setState(reason === 'aborted' ? 'interrupted' : 'idle');
		this.bus.emit({ type: 'loop-end', loop, reason, detail });
	}

	private async loopBody(): Promise<void> {
		this.loops += 1;
		const loop = this.loops;
		const startedAt = Date.now();
		let turnsInLoop = 0;
		this.bus.emit({ type: 'loop-start', loop });
		const end = (reason: LoopEndReason, detail?: string) => this.endLoop(loop, reason, detail);
		if (this.stopping) return end('stopped');
		this.inject('loop-start');
		const limits = this.options.limits ?? {};
		for (;;) {
			if (this.stopping) return end('stopped');
			const exceeded = this.spend.exceeded(limits, turnsInLoop, Date.now() - startedAt);
			if (exceeded) {
				this.bus.emit({ type: 'limit-reached', ...exceeded });
				return end('limit', `${exceeded.limit} ${exceeded.value} ≥ ${exceeded.max}`);
			}
			const controller = new AbortController();
			this.turnController = controller;
			this.turns += 1;
			turnsInLoop += 1;
			const turn = this.turns;
			this.setState('thinking');
			this.bus.emit({ type: 'turn-start', turn, model: this.options.model.name });
			const messages = this.thread.toMessages(this.options.systemPrompt());
			const result = await runModelTurn(this.bus, this.options.model, turn, messages, this.schemas, controller.signal);
			if (result.usage) this.bus.emit({ type: 'usage', turn, ...this.spend.add(result.usage, result.costUsd) });
			if (result.error !== undefined) {
				this.bus.emit({ type: 'error', message: `model request failed: ${result.error}`, fatal: false });
				this.bus.emit({ type: 'turn-end', turn, toolCalls: 0, interrupted: false });
				return end('error', result.error);
			}
			this.thread.append({ kind: 'assistant', text: result.text, toolCalls: result.toolCalls, interrupted: result.interrupted });
			this.bus.emit({ type: 'assistant-message', turn, text: result.text, toolCalls: result.toolCalls, interrupted: result.interrupted });
			let interrupted = result.interrupted;
			if (!interrupted && result.toolCalls.length > 0) {
				this.setState('tool');
				interrupted = await runToolBatch(this.bus, this.thread, this.tools, this.options.permission, turn, result.toolCalls, controller.signal, (tool) => this.toolContext(controller.signal, tool, turn));
				const { changes } = this.options;
				if (changes) await changes.afterTurn(turn).catch((error: unknown) => this.note(`checkpoint: ${errorMessage(error)}`));
			}
			this.bus.emit({ type: 'turn-end', turn, toolCalls: result.toolCalls.length, interrupted });
			if (this.stopping) return end('stopped');
			if (interrupted) {
				this.setState('interrupted');
				if (this.inject('safe-point') === 0) return end('aborted');
				continue;
			}
			if (result.toolCalls.length > 0) {
				this.inject('safe-point');
				continue;
			}
			// The model made no tool call: the loop would stop. Subminds reacted to turn-end already.
			if (this.inject('loop-end') === 0) return end('idle');
		}
	}

	private inject(point: 'loop-start' | 'safe-point' | 'loop-end'): number {
		const items = this.orchestrator.takeDue(point);
		for (const item of items) this.thread.append({ kind: 'item', item });
		return items.length;
	}

	private toolContext(signal: AbortSignal, tool: string, turn: number): ToolContext {
		const { options } = this;
		const { changes } = options;
		return {
			beforeChange: changes ? () => changes.beforeChange(turn) : undefined,
			root: options.root,
			cwd: options.cwd ?? options.root,
			signal,
			env: options.env ?? {},
			sandbox: options.sandbox,
			getPlan: () => this.plan,
			setPlan: (plan) => {
				this.plan = plan;
				this.bus.emit({ type: 'plan-updated', plan });
			},
			say: (text) => this.bus.emit({ type: 'agent-message', text }),
			touched: (path, write = false) => this.bus.emit({ type: 'path-touched', tool, path, write }),
		};
	}
}
