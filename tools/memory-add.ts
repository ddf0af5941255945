import * as z from 'zod';
import type { ProjectMemory } from '../source/context/memory.ts';
import { MEMORY_FILES } from '../source/context/memory-files.ts';
import { defineTool, type Tool } from '../source/runtime/tool.ts';

/**
 * memory_add: appends an entry to `.orbit/MEMORY.md` (facts) or `.orbit/AGREEMENTS.md` (rules the
 * user asked for, always in the system prompt). Access `write`: these are files the user commits, so
 * `ask` mode asks and `read-only` refuses. Secret-looking text is refused with a message.
 */
export function createMemoryAddTool(memory: Pick<ProjectMemory, 'add'>): Tool {
	return defineTool({
		name: 'memory_add',
		description: 'Remember one fact (MEMORY) or a rule the user set (AGREEMENTS). No secrets.',
		parameters: z.object({
			file: z.enum(MEMORY_FILES),
			text: z.string(),
		}),
		access: 'write',
		async execute({ file, text }, ctx) {
			const result = await memory.add(file, text, { beforeWrite: (path) => ctx.touched(path, true) });
			return result.ok ? { content: result.message, details: { file, text } } : { content: result.error, isError: true };
		},
	});
}
