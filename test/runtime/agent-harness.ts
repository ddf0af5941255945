import { z } from 'zod';
import { Agent, type AgentLimits } from '../../source/runtime/agent.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import type { ModelClient } from '../../source/runtime/model.ts';
import type { Submind } from '../../source/runtime/submind.ts';
import { defineTool, type Tool } from '../../source/runtime/tool.ts';
import { createPermissionPolicy } from '../../source/sandbox/permission.ts';

export interface Harness {
	agent: Agent;
	events: RuntimeEvent[];
	types(): string[];
}

/** An agent on a scripted model with permissive permissions, recording every event. Call `agent.stop()` after. */
export function createHarness(model: ModelClient, options: { tools?: Tool[]; limits?: AgentLimits; subminds?: Submind[]; root?: string } = {}): Harness {
	const agent = new Agent({
		sessionId: 'test',
		root: options.root ?? process.cwd(),
		model,
		tools: options.tools ?? [],
		permission: createPermissionPolicy('auto'),
		systemPrompt: () => 'system',
		limits: options.limits,
		subminds: options.subminds,
	});
	const events: RuntimeEvent[] = [];
	agent.subscribe((event) => events.push(event));
	agent.start();
	return { agent, events, types: () => events.map((event) => event.type) };
}

/** A tool that blocks until `release()` is called (or its signal aborts), to hold a tool batch open. */
export function createGateTool(): { tool: Tool; release(): void; running(): boolean; runs: number } {
	let open: (() => void) | undefined;
	const state = {
		runs: 0,
		release: () => open?.(),
		running: () => open !== undefined,
		tool: defineTool({
			name: 'gate',
			description: 'waits',
			parameters: z.object({}),
			access: 'read',
			async execute(_args, ctx) {
				state.runs += 1;
				await new Promise<void>((resolve, reject) => {
					open = resolve;
					ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
				}).finally(() => {
					open = undefined;
				});
				return { content: 'gate passed' };
			},
		}),
	};
	return state;
}
