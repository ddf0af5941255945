import * as z from 'zod';
import type { ProjectMemory } from '../source/context/memory.ts';
import { formatMemoryHit } from '../source/context/memory-format.ts';
import { defineTool, type Tool } from '../source/runtime/tool.ts';

/** The most results one call returns. */
export const MEMORY_SEARCH_MAX = 20;

/**
 * memory_search: the entries of `.orbit/MEMORY.md` and `.orbit/AGREEMENTS.md` that best match the
 * query, one per line as `[FILE › heading] text` (default 5). Details carry the hits.
 */
export function createMemorySearchTool(memory: Pick<ProjectMemory, 'search'>): Tool {
	return defineTool({
		name: 'memory_search',
		description: 'Search the project memory.',
		parameters: z.object({
			query: z.string(),
			limit: z.number().int().min(1).max(MEMORY_SEARCH_MAX).optional(),
		}),
		access: 'read',
		async execute({ query, limit }, ctx) {
			if (query.trim() === '') return { content: 'The query is empty; give words to search for.', isError: true };
			const hits = await memory.search(query, limit ?? 5, ctx.signal);
			if (hits.length === 0) return { content: `No memory entry matches "${query.trim()}".`, details: { hits } };
			return { content: hits.map(formatMemoryHit).join('\n'), details: { hits } };
		},
	});
}
