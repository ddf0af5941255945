// (b) Runtime overhead per turn with an instant model: every turn makes one call to a no-op tool,
// so a turn exercises injection, message building, the tool wrapper, events and the thread.
import { z } from 'zod';
import { Agent } from '../source/runtime/agent.ts';
import type { ModelClient, ModelStreamEvent } from '../source/runtime/model.ts';
import { defineTool } from '../source/runtime/tool.ts';
import { createPermissionPolicy } from '../source/sandbox/permission.ts';
import { round } from './stats.ts';

function instantModel(turns: number): ModelClient {
	let calls = 0;
	return {
		name: 'instant',
		async *stream(): AsyncIterable<ModelStreamEvent> {
			calls += 1;
			yield { type: 'text', delta: 'ok' };
			if (calls < turns) yield { type: 'tool-call', call: { id: `c${calls}`, type: 'function', function: { name: 'noop', arguments: '{"n":1}' } } };
			yield { type: 'done', finishReason: 'stop' };
		},
	};
}

const noop = defineTool({ name: 'noop', description: 'does nothing', parameters: z.object({ n: z.number() }), access: 'read', execute: async () => ({ content: 'done' }) });

export async function benchTurnOverhead(turns = 2_000) {
	const agent = new Agent({
		sessionId: 'bench',
		root: process.cwd(),
		model: instantModel(turns),
		tools: [noop],
		permission: createPermissionPolicy('auto'),
		systemPrompt: () => 'system',
		limits: { maxTurns: turns + 1 },
	});
	let events = 0;
	agent.subscribe(() => (events += 1));
	agent.start();
	const start = performance.now();
	agent.post('go');
	await agent.whenIdle();
	const elapsed = performance.now() - start;
	await agent.stop();
	return { turns, totalMs: round(elapsed), perTurnMs: round(elapsed / turns, 3), eventsPerTurn: round(events / turns, 1) };
}
