import type { EventBus } from './events.ts';
import type { ToolCallRequest } from './model.ts';
import type { Thread } from './thread.ts';
import { executeToolCall, type PermissionPolicy, type Tool, type ToolContext } from './tool.ts';

export const NOT_RUN_RESULT = 'Not run: the user interrupted before this call started.';

/**
 * Runs the model's tool calls one after another, appending each result to the thread. When the
 * turn's signal aborts, the running tool is stopped and the calls after it are recorded as not run,
 * so every call has a result. Returns true when the batch was interrupted.
 */
export async function runToolBatch(
	bus: EventBus,
	thread: Thread,
	tools: ReadonlyMap<string, Tool>,
	permission: PermissionPolicy,
	turn: number,
	calls: ToolCallRequest[],
	signal: AbortSignal,
	contextFor: (tool: string) => ToolContext,
): Promise<boolean> {
	let interrupted = false;
	for (const call of calls) {
		const name = call.function.name;
		if (interrupted || signal.aborted) {
			interrupted = true;
			thread.append({ kind: 'tool-result', callId: call.id, name, content: NOT_RUN_RESULT, isError: true, interrupted: true });
			bus.emit({ type: 'tool-end', turn, callId: call.id, name, content: NOT_RUN_RESULT, isError: true, interrupted: true });
			continue;
		}
		bus.emit({ type: 'tool-start', turn, callId: call.id, name, args: parseForDisplay(call.function.arguments) });
		const outcome = await executeToolCall(tools, call, contextFor(name), permission);
		interrupted = outcome.interrupted;
		thread.append({ kind: 'tool-result', callId: call.id, name, content: outcome.content, isError: outcome.isError, interrupted: outcome.interrupted });
		bus.emit({
			type: 'tool-end',
			turn,
			callId: call.id,
			name,
			content: outcome.content,
			details: outcome.details,
			isError: outcome.isError,
			interrupted: outcome.interrupted,
		});
	}
	return interrupted;
}

function parseForDisplay(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}
