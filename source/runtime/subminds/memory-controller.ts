import { errorMessage } from '../events.ts';
import type { ChatMessage, ModelClient, ToolCallRequest, ToolSchema } from '../model.ts';
import type { Submind } from '../submind.ts';

export type MemoryFile = 'MEMORY' | 'AGREEMENTS';
export type MemoryEditResult = { ok: true } | { error: string };

/** The memory edits the controller may make (the project memory fits). */
export interface MemoryEditor {
	add(file: MemoryFile, text: string): Promise<MemoryEditResult>;
	remove(file: MemoryFile, text: string): Promise<MemoryEditResult>;
	/** The file's current text ('' when absent), shown to the model so it neither repeats nor guesses what to remove. */
	read?(file: MemoryFile): string | Promise<string>;
}

export interface MemoryControllerOptions {
	/** The model asked; may be a cheaper one than the agent's. */
	model: ModelClient;
	memory: MemoryEditor;
	/** Characters of observations kept for one request; the oldest go first. Default 12 000. */
	maxObservationChars?: number;
	/** Characters of one tool result kept. Default 1 500. */
	maxResultChars?: number;
	/** Characters of each memory file shown to the model. Default 6 000. */
	maxMemoryChars?: number;
	/** Edits applied from one answer; the rest are ignored. Default 5. */
	maxEdits?: number;
}

const FILES = ['MEMORY', 'AGREEMENTS'] as const;

/** Tools whose results say nothing new about the project. */
const UNINTERESTING_TOOLS = new Set(['memory_add', 'memory_remove', 'memory_search', 'plan_read', 'plan_update', 'user_send_message']);

const SYSTEM_PROMPT = `You keep the long-term memory of a coding agent that works in one repository. There are two Markdown files:
- MEMORY: facts about the project worth knowing in later sessions (layout, commands, conventions, pitfalls).
- AGREEMENTS: how the user wants the agent to work — rules and preferences the user stated.
Read what happened and edit the files with your tools: memory_add for each lasting fact or agreement that is not in the files yet (short, one fact per entry); memory_remove, with the entry's exact text, for entries that turned out wrong or that the user took back. Never store secrets, passing state, or what matters only for the current task. When nothing is worth keeping, answer "nothing" and call no tool.`;

const FILE_PARAMETER = { type: 'string', enum: [...FILES] };

/** The tools offered to the controller's model; the same names and arguments as the agent's memory tools. */
export const MEMORY_EDIT_TOOLS: ToolSchema[] = [
	{
		type: 'function',
		function: {
			name: 'memory_add',
			description: 'Add one entry to a memory file.',
			parameters: { type: 'object', properties: { file: FILE_PARAMETER, text: { type: 'string' } }, required: ['file', 'text'], additionalProperties: false },
		},
	},
	{
		type: 'function',
		function: {
			name: 'memory_remove',
			description: 'Remove the entry with this exact text from a memory file.',
			parameters: { type: 'object', properties: { file: FILE_PARAMETER, text: { type: 'string' } }, required: ['file', 'text'], additionalProperties: false },
		},
	},
];

/**
 * The memory controller (PRODUCT §1, AI, optional). It notes what the user said (user items as they
 * are injected) and what tools returned, and when a loop ends — at most once per loop, never while
 * its previous request runs — asks `model`, offering memory_add and memory_remove, what to remember
 * or forget, then applies the calls through `memory`.
 *
 * It never blocks the agent (the request runs beside it, cancelled when the agent stops) and never
 * throws: a failed request or edit becomes a non-fatal note; after a failed request the observations
 * are kept for the next try. Nothing it does reaches the thread.
 */
export function createMemoryControllerSubmind(options: MemoryControllerOptions): Submind {
	const maxObservationChars = options.maxObservationChars ?? 12_000;
	const maxResultChars = options.maxResultChars ?? 1_500;
	const maxMemoryChars = options.maxMemoryChars ?? 6_000;
	const maxEdits = options.maxEdits ?? 5;
	return {
		name: 'memory-controller',
		start(context) {
			let observations: string[] = [];
			const argsOf = new Map<string, unknown>();
			let running: AbortController | undefined;
			const note = (message: string) => context.note?.(message);

			const observe = (text: string) => {
				observations.push(text);
				let total = observations.reduce((sum, entry) => sum + entry.length, 0);
				while (total > maxObservationChars && observations.length > 1) total -= observations.shift()!.length;
			};

			const run = async (batch: string[], controller: AbortController): Promise<void> => {
				try {
					const messages: ChatMessage[] = [
						{ role: 'system', content: SYSTEM_PROMPT },
						{ role: 'user', content: await describeBatch(batch) },
					];
					const calls = await askModel(options.model, messages, controller.signal);
					for (const call of calls.slice(0, maxEdits)) {
						if (controller.signal.aborted) return;
						const problem = await apply(options.memory, call);
						if (problem) note(problem);
					}
				} catch (error) {
					if (controller.signal.aborted) return;
					observations = [...batch, ...observations];
					note(`model request failed: ${errorMessage(error)}`);
				} finally {
					if (running === controller) running = undefined;
				}
			};

			const describeBatch = async (batch: string[]): Promise<string> => {
				const files = await Promise.all(
					FILES.map(async (file) => {
						const text = options.memory.read ? clip((await options.memory.read(file)).trim(), maxMemoryChars) : '(not shown)';
						return `${file} now:\n${text === '' ? '(empty)' : text}`;
					}),
				);
				return `${files.join('\n\n')}\n\nWhat happened:\n${batch.map((entry) => `- ${entry}`).join('\n')}`;
			};

			const unsubscribe = context.subscribe((event) => {
				switch (event.type) {
					case 'item-injected':
						if (event.item.source === 'user') observe(`The user said: ${event.item.content}`);
						return;
					case 'tool-start':
						argsOf.set(event.callId, event.args);
						return;
					case 'tool-end': {
						const args = argsOf.get(event.callId);
						argsOf.delete(event.callId);
						if (UNINTERESTING_TOOLS.has(event.name) || event.interrupted) return;
						const call = `${event.name}(${clip(JSON.stringify(args ?? {}), 200)})`;
						observe(`${call} ${event.isError ? 'failed' : 'returned'}: ${clip(event.content, maxResultChars)}`);
						return;
					}
					case 'loop-end': {
						if (running || observations.length === 0 || event.reason === 'stopped' || context.signal.aborted) return;
						const controller = new AbortController();
						running = controller;
						const batch = observations;
						observations = [];
						void run(batch, controller);
						return;
					}
				}
			});
			const onStop = () => running?.abort(context.signal.reason);
			context.signal.addEventListener('abort', onStop, { once: true });
			return () => {
				unsubscribe();
				context.signal.removeEventListener('abort', onStop);
				running?.abort('stopped');
			};
		},
	};
}

/** The tool calls of one answer; the text is ignored. A `retry` voids what came before it. */
async function askModel(model: ModelClient, messages: ChatMessage[], signal: AbortSignal): Promise<ToolCallRequest[]> {
	let calls: ToolCallRequest[] = [];
	for await (const event of model.stream({ messages, tools: MEMORY_EDIT_TOOLS, signal })) {
		if (event.type === 'retry') calls = [];
		else if (event.type === 'tool-call') calls.push(event.call);
	}
	return calls;
}

/** Applies one call; returns a note when it could not. */
async function apply(memory: MemoryEditor, call: ToolCallRequest): Promise<string | undefined> {
	const name = call.function.name;
	if (name !== 'memory_add' && name !== 'memory_remove') return `the model called an unknown tool "${name}"; ignored`;
	let args: unknown;
	try {
		args = JSON.parse(call.function.arguments);
	} catch {
		return `${name} had arguments that are not JSON; ignored`;
	}
	const { file, text } = (args ?? {}) as { file?: unknown; text?: unknown };
	if (file !== 'MEMORY' && file !== 'AGREEMENTS') return `${name} named the file ${JSON.stringify(file)}, not MEMORY or AGREEMENTS; ignored`;
	if (typeof text !== 'string' || text.trim() === '') return `${name} had no text; ignored`;
	try {
		const result = name === 'memory_add' ? await memory.add(file, text.trim()) : await memory.remove(file, text.trim());
		if ('error' in result) return `${name === 'memory_add' ? 'could not add to' : 'could not remove from'} ${file}: ${result.error}`;
	} catch (error) {
		return `${name} failed: ${errorMessage(error)}`;
	}
	return undefined;
}

function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
