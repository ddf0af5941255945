import type { MemoryStatus, ProjectMemory } from '../source/context/memory.ts';
import { MEMORY_FILES } from '../source/context/memory-files.ts';
import { formatMemoryHit } from '../source/context/memory-format.ts';
import type { CommandResult, SlashCommand } from './command.ts';
import { notice } from './command.ts';

/** Lines of each file shown; the rest is counted. */
const MAX_LINES = 60;

const ROLE = { MEMORY: 'facts, searched by the agent', AGREEMENTS: 'rules, always in the system prompt' } as const;

/**
 * `/memory` — both memory files, each with its path and content (or that it is empty or not created
 * yet), and how search works; long files are cut with a count. `/memory <words>` searches instead.
 */
export const memoryCommand: SlashCommand = {
	name: 'memory',
	summary: 'Show the project memory files, or search them',
	usage: '/memory [words]',
	async run(args, ctx) {
		const memory = ctx.memory;
		if (!memory) return notice('Project memory is not available in this session.', 'warning');
		if (args !== '') return await search(memory, args);
		const status = memory.status();
		const blocks = MEMORY_FILES.map((file) => {
			const info = status.files[file];
			const title = `${info.path} (${ROLE[file]})`;
			if (info.problem) return `${title}: not used — ${info.problem}.`;
			if (!info.exists) return `${title}: not created yet; memory_add creates it, or write it yourself.`;
			const text = memory.read(file).replace(/\s+$/, '');
			if (info.entries === 0 && text.split('\n').every((line) => line.trim() === '' || /^#\s/.test(line))) return `${title}: empty.`;
			const lines = text.split(/\r?\n/);
			const shown = lines.slice(0, MAX_LINES).join('\n');
			const more = lines.length > MAX_LINES ? `\n… ${lines.length - MAX_LINES} more lines in ${info.path}` : '';
			return `${title}, ${info.entries} ${info.entries === 1 ? 'entry' : 'entries'}:\n${shown}${more}`;
		});
		const problem = MEMORY_FILES.some((file) => status.files[file].problem !== undefined) || status.embeddings?.state === 'failing';
		return notice([`Project memory — ${describeSearch(status)}.`, ...blocks, 'Edit the files by hand whenever you like; Orbit sees the changes at once.'].join('\n\n'), problem ? 'warning' : 'info');
	},
};

async function search(memory: ProjectMemory, query: string): Promise<CommandResult> {
	const hits = await memory.search(query, 10);
	if (hits.length === 0) return notice(`No memory entry matches "${query}".`);
	return notice([`Memory entries for "${query}":`, ...hits.map(formatMemoryHit)].join('\n'));
}

function describeSearch(status: MemoryStatus): string {
	const embeddings = status.embeddings;
	if (!embeddings) return 'search: lexical (BM25)';
	if (embeddings.state === 'failing') return `search: lexical for now, the embeddings endpoint failed (${embeddings.error ?? 'unknown error'})`;
	const progress = embeddings.state === 'indexing' ? `, ${embeddings.embedded} of ${embeddings.total} entries embedded so far` : '';
	return `search: hybrid (BM25 + ${embeddings.model} embeddings${progress})`;
}
