import type { ContextItem } from '../../runtime/context-item.ts';
import type { AgentState, RuntimeEvent } from '../../runtime/events.ts';
import type { Usage } from '../../runtime/model.ts';
import type { Plan } from '../../runtime/plan.ts';
import type { PermissionDecision } from '../../runtime/tool.ts';
import type { ApprovalRequest } from '../../sandbox/permission.ts';
import { type ThreadBlock, ThreadBlocks } from './thread-blocks.ts';

/** The parts of a running agent the screen reads. */
export interface AgentView {
	bucket(): readonly ContextItem[];
	plan(): Plan;
	usage(): Usage;
	/** US dollars spent on priced model calls; absent: nothing is priced. */
	cost?(): number;
	/** The model answering now, when it can change during the session (/model, a fallback). */
	model?(): string;
	state(): AgentState;
	/** Reminders set but not fired yet (they show in the Context pane). */
	reminders?(): readonly WaitingReminder[];
}

export interface WaitingReminder {
	text: string;
	/** Epoch milliseconds. */
	dueAt: number;
}

export interface PendingApproval {
	id: number;
	request: ApprovalRequest;
	resolve(decision: PermissionDecision): void;
}

export interface UiSnapshot {
	/** Grows whenever any thread block changed; the blocks array itself is mutated in place. */
	threadRevision: number;
	blocks: readonly ThreadBlock[];
	bucket: readonly ContextItem[];
	plan: Plan;
	usage: Usage;
	/** US dollars spent so far (0 when nothing is priced). */
	cost: number;
	/** See `AgentView.model`. */
	model: string | undefined;
	state: AgentState;
	approval: PendingApproval | undefined;
	reminders: readonly WaitingReminder[];
	/** Frames published so far (for benchmarks and tests). */
	frame: number;
}

/**
 * At most 20 frames a second. A frame redraws the whole screen through Ink, and streamed text at
 * 20 frames a second reads as smoothly as at 30, for two thirds of the CPU. Keystrokes do not
 * wait for it (the input line is React state, drawn at once).
 */
export const FRAME_INTERVAL_MS = 50;

/**
 * The screen's store, outside React: runtime events are folded in as they come (O(1) per token),
 * and subscribers hear about it at most once per frame interval (≤ 20 per second). React reads it
 * with `useSyncExternalStore`; a keystroke never touches it.
 *
 * Two audiences: React (`subscribe`, a new snapshot) and the thread's own painter
 * (`subscribeThread`). While a painter listens, streamed text reaches only the painter, so a token
 * costs no React render; without one (tests, other hosts), every change makes a snapshot.
 */
export class UiStore {
	readonly thread = new ThreadBlocks();
	private snapshot: UiSnapshot;
	private readonly listeners = new Set<() => void>();
	private readonly threadListeners = new Set<() => void>();
	/** What the next frame must publish. */
	private snapshotDirty = false;
	private threadDirty = false;
	private timer: NodeJS.Timeout | undefined;
	private immediate: NodeJS.Immediate | undefined;
	private lastFlush = 0;
	private threadRevision = 0;
	private approvals: PendingApproval[] = [];
	private approvalCounter = 0;
	private readonly sessionAllowed = new Set<string>();

	constructor(
		private readonly agent: AgentView,
		private readonly intervalMs = FRAME_INTERVAL_MS,
	) {
		this.snapshot = this.build(0);
	}

	/** Feed every runtime event here. */
	apply = (event: RuntimeEvent): void => {
		if (this.thread.apply(event)) this.threadChanged();
		if (event.type !== 'text-delta' || this.threadListeners.size === 0) this.snapshotDirty = true;
		this.schedule();
	};

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): UiSnapshot => this.snapshot;

	/** Told, at most once a frame, that thread blocks changed (read them from `thread.blocks`). */
	subscribeThread(listener: () => void): () => void {
		this.threadListeners.add(listener);
		return () => this.threadListeners.delete(listener);
	}

	notice(text: string, tone: 'info' | 'warning' | 'error' = 'info'): void {
		this.thread.notice(text, tone);
		this.threadChanged();
		this.snapshotDirty = true;
		this.schedule();
	}

	toggleTool(id: string): void {
		if (this.thread.toggle(id)) {
			this.threadChanged();
			this.snapshotDirty = true;
			this.schedule();
		}
	}

	clearThread(): void {
		this.thread.clear();
		this.threadChanged();
		this.snapshotDirty = true;
		this.schedule();
	}

	/** Queues a question for the person at the keyboard; resolves with their answer (deny when the signal aborts). */
	requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<PermissionDecision> {
		return new Promise((resolve) => {
			this.approvalCounter += 1;
			const pending: PendingApproval = {
				id: this.approvalCounter,
				request,
				resolve: (decision) => {
					this.approvals = this.approvals.filter((entry) => entry !== pending);
					signal.removeEventListener('abort', onAbort);
					resolve(decision);
					this.flush();
				},
			};
			const onAbort = () => pending.resolve({ allow: false, reason: 'interrupted before the user answered' });
			signal.addEventListener('abort', onAbort, { once: true });
			this.approvals.push(pending);
			this.flush();
		});
	}

	/** "Always for this session": later calls of this tool run without asking. */
	allowForSession(tool: string): void {
		this.sessionAllowed.add(tool);
	}

	isAllowedForSession(tool: string): boolean {
		return this.sessionAllowed.has(tool);
	}

	/** Publishes now (used for user-driven changes that must show at once, and by tests). */
	flush(): void {
		this.snapshotDirty = true;
		this.publish();
	}

	private publish(): void {
		this.cancel();
		this.lastFlush = Date.now();
		if (this.threadDirty) {
			this.threadDirty = false;
			for (const listener of [...this.threadListeners]) listener();
		}
		if (!this.snapshotDirty) return;
		this.snapshotDirty = false;
		this.snapshot = this.build(this.snapshot.frame + 1);
		for (const listener of [...this.listeners]) listener();
	}

	private threadChanged(): void {
		this.threadRevision += 1;
		this.threadDirty = true;
	}

	dispose(): void {
		this.cancel();
		this.listeners.clear();
		this.threadListeners.clear();
	}

	private schedule(): void {
		if (this.timer || this.immediate) return;
		const wait = this.intervalMs - (Date.now() - this.lastFlush);
		// Due already: publish in this wake-up of the process (a 0 ms timeout would sleep 1 ms and wake again).
		if (wait > 0) this.timer = setTimeout(() => this.publish(), wait);
		else this.immediate = setImmediate(() => this.publish());
	}

	private cancel(): void {
		clearTimeout(this.timer);
		clearImmediate(this.immediate);
		this.timer = undefined;
		this.immediate = undefined;
	}

	private build(frame: number): UiSnapshot {
		return {
			threadRevision: this.threadRevision,
			blocks: this.thread.blocks,
			bucket: [...this.agent.bucket()],
			plan: this.agent.plan(),
			usage: this.agent.usage(),
			cost: this.agent.cost?.() ?? 0,
			model: this.agent.model?.(),
			state: this.agent.state(),
			approval: this.approvals[0],
			reminders: this.agent.reminders?.() ?? [],
			frame,
		};
	}
}
