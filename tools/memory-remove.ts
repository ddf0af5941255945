import * as z from 'zod';
import type { ProjectMemory } from '../source/context/memory.ts';
import { MEMORY_FILES } from '../source/context/memory-files.ts';
import { defineTool, type Tool } from '../source/runtime/tool.ts';

/**
 * memory_remove: deletes one entry (the one whose text equals `text`, or the only one containing
 * it) from a memory file. Access `write`, like memory_add.
 */
export function createMemoryRemoveTool(memory: Pick<ProjectMemory, 'remove'>): Tool {
	return defineTool({
		name: 'memory_remove',
		description: 'Delete an outdated memory entry, given its text.',
		parameters: z.object({
			file: z.enum(MEMORY_FILES),
			text: z.string(),
		}),
		access: 'write',
		async execute({ file, text }, ctx) {
			const result = await memory.remove(file, text, { beforeWrite: (path) => ctx.touched(path, true) });
			return result.ok ? { content: result.message, details: { file, text } } : { content: result.error, isError: true };
		},
	});
}
