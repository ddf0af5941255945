/** Orbit as a library: build an agent, post items, watch its events. */
export { createOrbit, OrbitBuilder, type AgentHandle } from './builder.ts';
export { createOpenAIModel } from './model/openai-model.ts';
export { createBuiltinTools } from '../tools/index.ts';
export { defineTool, type Tool, type ToolContext, type ToolResult, type PermissionPolicy } from './runtime/tool.ts';
export type { ModelClient, ModelStreamEvent, ChatMessage, Usage } from './runtime/model.ts';
export type { RuntimeEvent, EventPayload, AgentState } from './runtime/events.ts';
export type { ContextItem, Priority } from './runtime/context-item.ts';
export type { Plan, PlanStep } from './runtime/plan.ts';
export type { Submind, SubmindContext } from './runtime/submind.ts';
export type { Trigger, TriggerContext } from './runtime/trigger.ts';
export { createTriageSubmind } from './runtime/subminds/triage.ts';
export { createPermissionPolicy, type PermissionMode } from './sandbox/permission.ts';
