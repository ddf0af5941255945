import type { ProjectMemory } from '../source/context/memory.ts';
import type { Tool } from '../source/runtime/tool.ts';
import { createMemoryAddTool } from './memory-add.ts';
import { createMemoryRemoveTool } from './memory-remove.ts';
import { createMemorySearchTool } from './memory-search.ts';

/** The memory tools over one project memory, in the order the model sees them: search, add, remove. */
export function createMemoryTools(memory: Pick<ProjectMemory, 'search' | 'add' | 'remove'>): Tool[] {
	return [createMemorySearchTool(memory), createMemoryAddTool(memory), createMemoryRemoveTool(memory)];
}
