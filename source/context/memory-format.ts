import type { MemoryHit } from './memory.ts';

/** A hit as one line for the model or the user: `[MEMORY › Build] use pnpm`, continuation lines indented. */
export function formatMemoryHit(hit: Pick<MemoryHit, 'file' | 'heading' | 'text'>): string {
	const label = hit.heading ? `${hit.file} › ${hit.heading}` : hit.file;
	return `[${label}] ${hit.text.replace(/\n/g, '\n  ')}`;
}
