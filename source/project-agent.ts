import { createBuiltinTools } from '../tools/index.ts';
import { createOrbit, type OrbitBuilder } from './builder.ts';
import { findRoot, type Endpoint } from './config.ts';
import { userConfigDir } from './config-file.ts';
import { createProjectContext, type ProjectContext } from './context/agent-files.ts';
import { type MemoryFile, openProjectMemory, type ProjectMemory } from './context/memory.ts';
import { embeddingsFromEnvironment } from './context/memory-embeddings.ts';
import { type ConfiguredEndpoint, createConfiguredModel } from './model/configured-model.ts';
import { createSwitchableModel, type SwitchableModel } from './model/switchable-model.ts';
import type { AgentLimits } from './runtime/agent.ts';
import { newSessionId } from './runtime/session-id.ts';
import { createCopilotSubmind } from './runtime/subminds/copilot.ts';
import { createMemoryControllerSubmind } from './runtime/subminds/memory-controller.ts';
import { createPlanDriftSubmind } from './runtime/subminds/plan-drift.ts';
import { createFileWatchTrigger } from './runtime/triggers/file-watch.ts';
import { createRemindersTrigger, type RemindersTrigger } from './runtime/triggers/reminders.ts';
import type { PermissionMode } from './sandbox/permission.ts';
import type { SandboxSetup } from './sandbox/sandbox-setup.ts';
import { createEventLog, type EventLog } from './session/event-log.ts';
import type { LoadedSession } from './session/resume.ts';

export interface ProjectAgentInput {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** `resolveProfile`'s result (or `resolveEndpoint`'s): fallback models, prices and a login's bearer are used when present. */
	endpoint: Endpoint & ConfiguredEndpoint;
	sandbox: SandboxSetup;
	/** The session's mode: the memory controller, which edits files unasked, runs only in `auto` and `full`. */
	permission: PermissionMode;
	limits: AgentLimits;
	version: string;
	/** `--remind` reminders, set when the agent starts. */
	reminders?: readonly { delayMs: number; text: string }[];
	/** Go on with this logged session (`loadSession`) instead of starting a new one; its log is appended to. */
	resume?: LoadedSession;
	/** Problems of the session log (it cannot be written); default: a line on stderr. */
	onWarning?: (message: string) => void;
}

/** A builder set up as `orbit` runs in a repository, and the parts the host shows or controls. */
export interface ProjectAgent {
	builder: OrbitBuilder;
	project: ProjectContext;
	memory: ProjectMemory;
	reminders: RemindersTrigger;
	/** The agent's model; `use` changes it for the next requests (`/model`). */
	model: SwitchableModel;
	/** The session's id and its log (`.orbit/sessions/<id>.jsonl`), which records every event from the first. */
	session: { id: string; log: EventLog };
}

/**
 * Orbit as it works in a repository (the TUI and headless mode both start here): the model, the
 * built-in and memory tools, the shell sandbox, AGENT.md files, the project memory, the plan-drift
 * monitor and the proactive copilot, file changes made outside the agent, reminders, and — when
 * `ORBIT_MEMORY_MODEL` names a model on the same endpoint and the mode is `auto` or `full` — the
 * memory controller, which may record facts in MEMORY.md but never agreements. Hybrid memory
 * search uses `ORBIT_EMBEDDINGS_MODEL` (see README). The host adds permissions and listeners, then
 * starts it. Reads nothing but the AGENT.md chain up front.
 */
export function createProjectAgent(input: ProjectAgentInput): ProjectAgent {
	const { root, cwd } = findRoot(input.cwd);
	const { endpoint, env } = input;
	const project = createProjectContext({ root, cwd, globalDir: userConfigDir(env) });
	const embeddings = embeddingsFromEnvironment(env, { baseURL: endpoint.baseURL, apiKey: endpoint.apiKey });
	const memory = openProjectMemory({ root, ...(embeddings ? { embeddings } : {}) });
	const reminders = createRemindersTrigger();
	for (const reminder of input.reminders ?? []) reminders.remind(reminder.delayMs, reminder.text);
	const model = createSwitchableModel(createConfiguredModel(endpoint));
	const { resume } = input;
	const sessionId = resume?.sessionId ?? newSessionId();
	const log = createEventLog({
		root,
		cwd,
		model: endpoint.model,
		sessionId,
		...(resume ? { append: { validBytes: resume.log.validBytes } } : {}),
		onWarning: input.onWarning ?? ((message) => process.stderr.write(`orbit: ${message}\n`)),
	});
	// Subscribed first, so the event is on disk before the screen, the output or a submind acts on it.
	const builder = createOrbit(cwd)
		.subscribe((event) => {
			log.write(event);
			if (event.type === 'session-end') log.close();
		})
		.model(model)
		.tools(createBuiltinTools({ memory }))
		.sandbox(input.sandbox.sandbox)
		.projectContext(project)
		.memory(memory)
		.submind(createPlanDriftSubmind())
		.submind(createCopilotSubmind({ search: (query, limit) => memory.search(query, limit) }))
		.trigger(createFileWatchTrigger())
		.trigger(reminders)
		.limits(input.limits)
		.checkpoints()
		.withVersion(input.version);
	if (resume) builder.resume(sessionId, resume.state);
	else builder.sessionId(sessionId);
	const memoryModel = env.ORBIT_MEMORY_MODEL?.trim();
	if (memoryModel && (input.permission === 'auto' || input.permission === 'full')) {
		const cheaper = createConfiguredModel({ ...endpoint, model: memoryModel, fallbackModels: [] });
		const userOnly = { ok: false as const, error: 'agreements are set by the user only' };
		const facts = {
			add: (file: MemoryFile, text: string) => (file === 'AGREEMENTS' ? Promise.resolve(userOnly) : memory.add(file, text)),
			remove: (file: MemoryFile, text: string) => (file === 'AGREEMENTS' ? Promise.resolve(userOnly) : memory.remove(file, text)),
			read: (file: MemoryFile) => memory.read(file),
		};
		builder.submind(createMemoryControllerSubmind({ model: cheaper, memory: facts }));
	}
	return { builder, project, memory, reminders, model, session: { id: sessionId, log } };
}
