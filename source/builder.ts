import { findRoot } from './config.ts';
import { createAgentFileSubmind } from './context/agent-file-submind.ts';
import type { ProjectContext } from './context/agent-files.ts';
import type { ProjectMemory } from './context/memory.ts';
import { Agent, type AgentLimits, type RestoredState } from './runtime/agent.ts';
import type { ContextItem, Priority } from './runtime/context-item.ts';
import type { AgentState, Listener, LoopEndReason, RuntimeEvent } from './runtime/events.ts';
import type { ModelClient, Usage } from './runtime/model.ts';
import type { Plan } from './runtime/plan.ts';
import { newSessionId } from './runtime/session-id.ts';
import { type Checkpointer, type CheckpointerOptions, createCheckpointer } from './session/checkpoint.ts';
import type { Submind } from './runtime/submind.ts';
import { buildSystemPrompt, type SystemPromptInput } from './runtime/system-prompt.ts';
import type { PermissionPolicy, Tool } from './runtime/tool.ts';
import type { Trigger, TriggerFire } from './runtime/trigger.ts';
import { childEnvironment } from './sandbox/env.ts';
import { redactEvent } from './sandbox/redact.ts';
import type { Sandbox } from './sandbox/sandbox.ts';
import { type Approver, createPermissionPolicy, type PermissionMode, type PermissionPolicyOptions } from './sandbox/permission.ts';

/** What a custom system prompt is built from. */
export type PromptInput = Required<Pick<SystemPromptInput, 'root' | 'cwd' | 'permission' | 'sections'>>;

/** What a running agent offers its host (the CLI, the TUI, a library user). */
export interface AgentHandle {
	readonly sessionId: string;
	readonly root: string;
	/** The user's words as a trigger; triage makes it an item with this priority (default ForNextTurn). */
	post(content: string, priority?: Priority): void;
	/** Any other trigger (a file change, a timer, …). */
	trigger(fire: TriggerFire): void;
	/** Interrupts the current turn without a new item. */
	abort(): void;
	removeItem(id: string): boolean;
	reprioritizeItem(id: string, priority: Priority): boolean;
	subscribe(listener: Listener): () => void;
	state(): AgentState;
	plan(): Plan;
	bucket(): readonly ContextItem[];
	usage(): Usage;
	/** US dollars the session has spent on priced model calls (see the `usage` event's `cost`). */
	cost(): number;
	/** How the most recent loop ended (undefined before the first loop). */
	lastLoopEnd(): LoopEndReason | undefined;
	/** Resolves when no loop runs. */
	whenIdle(): Promise<void>;
	/** Aborts any work and ends the session. */
	stop(reason?: string): Promise<void>;
	/** Resolves with the `session-end` event. */
	readonly done: Promise<RuntimeEvent>;
}

/**
 * Builds an agent: register a model, tools, subminds and triggers, then `start()`.
 * Defaults: the repository found above `cwd`, permission `ask` with no approver (so writes are
 * denied with a reason), the built-in system prompt, the process environment minus credentials.
 */
export class OrbitBuilder {
	private modelClient: ModelClient | undefined;
	private readonly toolList: Tool[] = [];
	private readonly submindList: Submind[] = [];
	private readonly triggerList: Trigger[] = [];
	private readonly listeners: Listener[] = [];
	private permissionSetting: PermissionPolicy | PermissionPolicyOptions = { mode: 'ask' };
	private limitValues: AgentLimits = {};
	private sandboxValue: Sandbox | undefined;
	private prompt: ((input: PromptInput) => string) | undefined;
	private project: ProjectContext | undefined;
	private memoryValue: ProjectMemory | undefined;
	private sessionIdValue: string | undefined;
	private checkpointSetting: Omit<CheckpointerOptions, 'root' | 'sessionId'> | undefined;
	private restored: RestoredState | undefined;
	private version = '0.0.0';

	constructor(private readonly cwd: string = process.cwd()) {}

	model(model: ModelClient): this {
		this.modelClient = model;
		return this;
	}

	tools(tools: Tool[]): this {
		this.toolList.push(...tools);
		return this;
	}

	submind(submind: Submind): this {
		this.submindList.push(submind);
		return this;
	}

	trigger(trigger: Trigger): this {
		this.triggerList.push(trigger);
		return this;
	}

	/** Listens from the very first event (`session-start`); `handle.subscribe` only sees what follows. */
	subscribe(listener: Listener): this {
		this.listeners.push(listener);
		return this;
	}

	/**
	 * A mode (with an approver), options for `createPermissionPolicy` (rules, approver, whether shell
	 * commands are sandboxed; rule paths are relative to the repository root found at `start()`), or
	 * a policy of your own.
	 */
	permission(mode: PermissionMode | PermissionPolicyOptions | PermissionPolicy, approver?: Approver): this {
		if (typeof mode === 'string') this.permissionSetting = { mode, approver };
		else if ('check' in mode) this.permissionSetting = mode;
		else this.permissionSetting = approver ? { ...mode, approver } : mode;
		return this;
	}

	/** Confines the shell tool's commands (see `detectSandbox`); without one they run unconfined where the policy allows. */
	sandbox(sandbox: Sandbox | undefined): this {
		this.sandboxValue = sandbox;
		return this;
	}

	limits(limits: AgentLimits): this {
		this.limitValues = limits;
		return this;
	}

	/** Replaces the built-in system prompt; `input.sections` holds the AGENT.md files and agreements to include. */
	systemPrompt(build: (input: PromptInput) => string): this {
		this.prompt = build;
		return this;
	}

	/**
	 * The project's AGENT.md files (`createProjectContext`): those from the root to the working
	 * directory join the system prompt (re-read when they change), and a folder's file is added as a
	 * ForNextTurn item the first time a tool touches that folder.
	 */
	projectContext(project: ProjectContext): this {
		this.project = project;
		this.submindList.push(createAgentFileSubmind(project));
		return this;
	}

	/**
	 * The project memory (`openProjectMemory`): AGREEMENTS.md joins the system prompt at every
	 * request, and the memory is closed when the session ends. Its tools come with
	 * `createBuiltinTools({ memory })`.
	 */
	memory(memory: ProjectMemory): this {
		this.memoryValue = memory;
		return this;
	}

	sessionId(id: string): this {
		this.sessionIdValue = id;
		return this;
	}

	/**
	 * Goes on with a logged session (`loadSession` in `source/session/resume.ts` builds the state):
	 * the agent keeps the session's id, starts from its thread, plan, waiting items and usage, and
	 * continues the event sequence.
	 */
	resume(sessionId: string, state: RestoredState): this {
		this.sessionIdValue = sessionId;
		this.restored = state;
		return this;
	}

	/**
	 * Checkpoints the working tree in private git refs around every turn in which a write or execute
	 * tool runs, so `orbit undo` and `/undo` can restore the agent's changes (see
	 * `source/session/checkpoint.ts`). Off unless called; a no-op outside a git repository.
	 */
	checkpoints(options: Omit<CheckpointerOptions, 'root' | 'sessionId'> = {}): this {
		this.checkpointSetting = options;
		return this;
	}

	withVersion(version: string): this {
		this.version = version;
		return this;
	}

	start(): AgentHandle {
		if (!this.modelClient) throw new Error('OrbitBuilder: call .model(...) before .start()');
		const names = new Set<string>();
		for (const tool of this.toolList) {
			if (names.has(tool.name)) throw new Error(`OrbitBuilder: two tools are named ${tool.name}`);
			names.add(tool.name);
		}
		const { root, cwd } = findRoot(this.cwd);
		const setting = this.permissionSetting;
		const policy = 'check' in setting ? setting : createPermissionPolicy({ root, ...setting });
		const permission = policy.mode;
		const prompt = this.prompt ?? ((input: PromptInput) => buildSystemPrompt(input));
		const { project, memoryValue: memory } = this;
		const sections = (): PromptInput['sections'] => {
			const list = [];
			if (project) {
				project.refresh();
				list.push(...project.sections());
			}
			const agreements = memory?.agreements() ?? '';
			if (agreements !== '') list.push({ title: 'Agreements (.orbit/AGREEMENTS.md): rules the user asked you to follow', body: agreements });
			return list;
		};
		const sessionId = this.sessionIdValue ?? newSessionId();
		const checkpointer: Checkpointer | undefined = this.checkpointSetting && createCheckpointer({ ...this.checkpointSetting, root, sessionId });
		const agent = new Agent({
			sessionId,
			changes: checkpointer,
			root,
			cwd,
			model: this.modelClient,
			tools: this.toolList,
			permission: policy,
			systemPrompt: () => prompt({ root, cwd, permission, sections: sections() }),
			subminds: this.submindList,
			triggers: this.triggerList,
			env: childEnvironment(process.env),
			sandbox: this.sandboxValue,
			limits: this.limitValues,
			version: this.version,
			restored: this.restored,
		});
		// Consumers outside the runtime (screen, logs, JSON output, library users) never see a secret.
		// The bus hands every listener the same event object in turn: redact it once, not once per listener.
		let lastIn: RuntimeEvent | undefined;
		let lastOut: RuntimeEvent | undefined;
		const redactOnce = (event: RuntimeEvent): RuntimeEvent => {
			if (event !== lastIn) {
				lastIn = event;
				lastOut = redactEvent(event);
			}
			return lastOut!;
		};
		const redacted = (listener: Listener): Listener => (event) => listener(redactOnce(event));
		for (const listener of this.listeners) agent.subscribe(redacted(listener));
		const done = new Promise<RuntimeEvent>((resolve) => {
			agent.subscribe((event) => {
				if (event.type !== 'session-end') return;
				void Promise.all([memory?.close(), checkpointer?.dispose()]).then(() => resolve(event));
			});
		});
		agent.start();
		return {
			sessionId: agent.sessionId,
			root,
			post: (content, priority) => agent.post(content, priority),
			trigger: (fire) => agent.trigger(fire),
			abort: () => agent.abort(),
			removeItem: (id) => agent.removeItem(id),
			reprioritizeItem: (id, priority) => agent.reprioritizeItem(id, priority),
			subscribe: (listener) => agent.subscribe(redacted(listener)),
			state: () => agent.getState(),
			plan: () => agent.getPlan(),
			bucket: () => agent.bucket.list(),
			usage: () => agent.getUsage(),
			cost: () => agent.getCost(),
			lastLoopEnd: () => agent.lastLoopEnd,
			whenIdle: () => agent.whenIdle(),
			stop: (reason) => agent.stop(reason),
			done,
		};
	}
}

/** Starts building an agent that works in the repository containing `cwd`. */
export function createOrbit(cwd?: string): OrbitBuilder {
	return new OrbitBuilder(cwd);
}
