import * as z from 'zod';
import { errorMessage } from './events.ts';
import type { ToolCallRequest, ToolSchema } from './model.ts';
import type { Plan } from './plan.ts';

/** What a tool may do; permission modes decide by this. */
export type ToolAccess = 'read' | 'write' | 'execute';

/** What a tool receives besides its arguments. Everything with a side effect on the runtime goes through here. */
export interface ToolContext {
	/** The repository root (a realpath). File tools never leave it. */
	root: string;
	/** The working directory Orbit was started in (inside `root`). */
	cwd: string;
	/** Aborted when the user interrupts: a tool stops promptly and kills what it started. */
	signal: AbortSignal;
	/** The environment for child processes: no API keys or tokens. */
	env: Record<string, string>;
	/**
	 * How shell commands are confined; undefined runs them unconfined (permission mode `full`, or
	 * where no sandbox exists and the user approved the command).
	 */
	sandbox?: import('../sandbox/sandbox.ts').Sandbox;
	getPlan(): Plan;
	/** Replaces the plan and emits `plan-updated`. */
	setPlan(plan: Plan): void;
	/** Delivers a message to the user (`agent-message`). */
	say(text: string): void;
	/** Reports a repository path the tool read or wrote, relative to `root` (emits `path-touched`). */
	touched(path: string, write?: boolean): void;
	/** Awaited by `executeToolCall` before a write or execute tool runs (checkpoints); a rejection stops the tool. */
	beforeChange?: () => Promise<void>;
}

/**
 * Hooks around the agent's changes to files (implemented by `source/session/checkpoint.ts`), awaited
 * so that a snapshot is complete before a tool writes: `beforeChange` before every write or execute
 * tool of a turn (after permission is granted), `afterTurn` once the turn's tools have run, before `turn-end`.
 */
export interface ChangeHooks {
	/** A rejection stops the tool; the model gets the reason. */
	beforeChange(turn: number): Promise<void>;
	/** A rejection is reported as a non-fatal `error` event (that turn then cannot be undone). */
	afterTurn(turn: number): Promise<void>;
}

/** `content` goes to the model; `details` is for the UI (diffs, exit codes, …) and never reaches the model. */
export interface ToolResult {
	content: string;
	details?: unknown;
	isError?: boolean;
}

export interface Tool<Args = any> {
	name: string;
	description: string;
	parameters: z.ZodType<Args>;
	access: ToolAccess;
	execute(args: Args, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<S extends z.ZodObject>(tool: {
	name: string;
	description: string;
	parameters: S;
	access: ToolAccess;
	execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}): Tool<z.infer<S>> {
	return tool as unknown as Tool<z.infer<S>>;
}

/** The JSON schema the model sees for a tool. */
export function toolSchema(tool: Tool): ToolSchema {
	const parameters = z.toJSONSchema(tool.parameters, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
	delete parameters.$schema;
	return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
}

export type PermissionDecision = { allow: true } | { allow: false; reason: string };

/** Decides whether a validated tool call may run. Implemented in `source/sandbox/permission.ts`. */
export interface PermissionPolicy {
	readonly mode: string;
	check(tool: Tool, args: unknown, signal: AbortSignal): Promise<PermissionDecision>;
}

export const MAX_TOOL_OUTPUT_CHARS = 30_000;
export const MAX_TOOL_OUTPUT_LINES = 2_000;

/** Cuts text to the limits, keeping the head, with a visible marker that says how much was left out. */
export function truncateOutput(text: string, maxChars = MAX_TOOL_OUTPUT_CHARS, maxLines = MAX_TOOL_OUTPUT_LINES): string {
	const lines = text.split('\n');
	let kept = text;
	if (lines.length > maxLines) kept = lines.slice(0, maxLines).join('\n');
	if (kept.length > maxChars) kept = kept.slice(0, maxChars);
	if (kept.length === text.length) return text;
	const leftLines = lines.length - kept.split('\n').length;
	const leftChars = text.length - kept.length;
	return `${kept}\n[output truncated: ${leftChars} more characters${leftLines > 0 ? `, ${leftLines} more lines` : ''}]`;
}

export interface ToolCallOutcome extends ToolResult {
	isError: boolean;
	interrupted: boolean;
	args?: unknown;
}

export const INTERRUPTED_RESULT = 'Interrupted by the user before this tool finished; its effects may be partial.';

/**
 * Runs one tool call from the model: looks the tool up, parses and validates the arguments,
 * checks permission, executes, truncates and honours abort. Never throws: every failure becomes
 * an error result whose text tells the model what to do differently.
 */
export async function executeToolCall(
	tools: ReadonlyMap<string, Tool>,
	call: ToolCallRequest,
	ctx: ToolContext,
	permission: PermissionPolicy,
): Promise<ToolCallOutcome> {
	const fail = (content: string, args?: unknown): ToolCallOutcome => ({ content, isError: true, interrupted: false, args });
	const tool = tools.get(call.function.name);
	if (!tool) {
		return fail(`Unknown tool "${call.function.name}". Available tools: ${[...tools.keys()].join(', ')}.`);
	}
	let raw: unknown;
	try {
		raw = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
	} catch (error) {
		return fail(`Invalid JSON in the arguments of ${tool.name}: ${errorMessage(error)}. Send one JSON object that matches the tool's schema.`);
	}
	const parsed = tool.parameters.safeParse(raw);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`);
		return fail(`Invalid arguments for ${tool.name}: ${problems.join('; ')}.`, raw);
	}
	if (ctx.signal.aborted) return { content: INTERRUPTED_RESULT, isError: true, interrupted: true, args: parsed.data };
	const decision = await permission.check(tool, parsed.data, ctx.signal);
	if (!decision.allow) return fail(`Permission denied for ${tool.name}: ${decision.reason}`, parsed.data);
	if (tool.access !== 'read' && ctx.beforeChange) {
		try {
			await ctx.beforeChange();
		} catch (error) {
			return fail(`${tool.name} did not run: the checkpoint before it failed (${errorMessage(error)}).`, parsed.data);
		}
	}
	try {
		const result = await tool.execute(parsed.data, ctx);
		if (ctx.signal.aborted) {
			return { content: `${INTERRUPTED_RESULT}\n${truncateOutput(result.content)}`, details: result.details, isError: true, interrupted: true, args: parsed.data };
		}
		return { content: truncateOutput(result.content), details: result.details, isError: result.isError ?? false, interrupted: false, args: parsed.data };
	} catch (error) {
		if (ctx.signal.aborted) return { content: INTERRUPTED_RESULT, isError: true, interrupted: true, args: parsed.data };
		return fail(`${tool.name} failed: ${errorMessage(error)}`, parsed.data);
	}
}
