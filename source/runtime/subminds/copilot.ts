import { errorMessage } from '../events.ts';
import type { Plan } from '../plan.ts';
import type { Submind } from '../submind.ts';
import type { ThreadEntry } from '../thread.ts';

/** One search hit, as the project memory returns it (`MemoryHit` fits). */
export interface KnowledgeHit {
	file: string;
	text: string;
	score: number;
}

/** Searches the memory; the best hits first. May reject: the copilot reports it and goes on. */
export type KnowledgeSearch = (query: string, limit?: number) => Promise<KnowledgeHit[]>;

export interface CopilotOptions {
	search: KnowledgeSearch;
	/** Hits asked of one search. Default 3. */
	limit?: number;
	/** Items added from one search at most. Default 2. */
	maxItems?: number;
	/** Characters of one piece of knowledge; longer text is cut with "…". Default 500. */
	maxChars?: number;
	/** Hits scoring below this are left out. Default 0 (any positive score). */
	minScore?: number;
	/** The same knowledge is not offered again within this many model turns. Default 30. */
	windowTurns?: number;
	/** Besides new user messages and a new Active step, search the latest answer every this many turns. Default 5. */
	everyTurns?: number;
	/** Hits from these files are never offered. Default `['AGREEMENTS']`: it is in the system prompt already. */
	skipFiles?: readonly string[];
}

const QUERY_CHARS = 300;
/** Entries at the end of the thread checked for knowledge the model has already seen (a memory_search result, say). */
const RECENT_ENTRIES = 40;

/**
 * The proactive copilot (PRODUCT §1, no AI). It searches the memory for what the thread is about —
 * the user's newest message when it is injected, the plan's Active step when it changes, and every
 * `everyTurns` turns the model's latest text — and adds ForNextTurn items `additional knowledge: …`
 * (source `submind:copilot`).
 *
 * Contracts: one search at a time (a newer topic replaces a waiting one); the same knowledge (file
 * and text) is never offered twice within `windowTurns` model turns, nor when the recent thread
 * already holds it; at most `maxItems` items of at most `maxChars` each per search. Items are added
 * only while a tool batch runs, so they ride along to the model call that follows it and never cause
 * a model call of their own; knowledge still waiting when a loop ends is dropped.
 */
export function createCopilotSubmind(options: CopilotOptions): Submind {
	const limit = options.limit ?? 3;
	const maxItems = options.maxItems ?? 2;
	const maxChars = options.maxChars ?? 500;
	const minScore = options.minScore ?? 0;
	const windowTurns = options.windowTurns ?? 30;
	const everyTurns = options.everyTurns ?? 5;
	const skipFiles = new Set(options.skipFiles ?? ['AGREEMENTS']);
	return {
		name: 'copilot',
		start(context) {
			let stopped = false;
			let turn = 0;
			let lastSearchTurn = 0;
			let lastQuery = '';
			let latestText = '';
			let activeStep: string | undefined;
			let searching = false;
			let waitingQuery: string | undefined;
			let batchOpen = false;
			let pending: KnowledgeHit[] = [];
			/** Knowledge key → the turn it was last offered in. */
			const offered = new Map<string, number>();

			const isFresh = (hit: KnowledgeHit) => {
				const at = offered.get(keyOf(hit));
				return at === undefined || turn - at >= windowTurns;
			};

			const flush = () => {
				if (!batchOpen || pending.length === 0) return;
				const recent = recentText(context.thread());
				let added = 0;
				for (const hit of pending.splice(0)) {
					if (added >= maxItems) break;
					if (!isFresh(hit) || recent.some((text) => text.includes(hit.text.trim()))) continue;
					added += 1;
					offered.set(keyOf(hit), turn);
					context.addItem({ content: `additional knowledge: ${clip(hit.text.trim(), maxChars)} (from ${hit.file})`, priority: 'for-next-turn' });
				}
				forgetOld(offered, turn, windowTurns);
			};

			const search = (raw: string) => {
				const query = clip(raw.replace(/\s+/g, ' ').trim(), QUERY_CHARS);
				if (query === '' || query === lastQuery) return;
				lastQuery = query;
				lastSearchTurn = turn;
				if (searching) {
					waitingQuery = query;
					return;
				}
				searching = true;
				void run(query);
			};

			const run = async (query: string): Promise<void> => {
				try {
					const hits = await options.search(query, limit);
					if (stopped) return;
					const chosen = hits.filter((hit) => hit.score > minScore && !skipFiles.has(hit.file) && hit.text.trim() !== '' && isFresh(hit));
					// The newest topic first; knowledge still waiting from an older search comes after it.
					const known = new Set(chosen.map(keyOf));
					pending = [...chosen, ...pending.filter((hit) => !known.has(keyOf(hit)))].slice(0, limit);
					flush();
				} catch (error) {
					if (!stopped) context.note?.(`memory search failed: ${errorMessage(error)}`);
				} finally {
					searching = false;
					const next = waitingQuery;
					waitingQuery = undefined;
					if (next !== undefined && !stopped) {
						searching = true;
						void run(next);
					}
				}
			};

			const unsubscribe = context.subscribe((event) => {
				switch (event.type) {
					case 'turn-start':
						turn += 1;
						return;
					case 'item-injected':
						if (event.item.source === 'user') search(event.item.content);
						return;
					case 'plan-updated': {
						const active = activeContent(event.plan);
						if (active !== undefined && active !== activeStep) search(active);
						activeStep = active;
						return;
					}
					case 'assistant-message':
						if (event.text.trim() !== '') latestText = event.text;
						return;
					case 'tool-start':
						batchOpen = true;
						flush();
						return;
					case 'turn-end':
						batchOpen = false;
						if (turn - lastSearchTurn >= everyTurns && latestText !== '') search(latestText);
						return;
					case 'loop-end':
						batchOpen = false;
						pending = [];
						return;
				}
			});
			return () => {
				stopped = true;
				unsubscribe();
			};
		},
	};
}

function keyOf(hit: KnowledgeHit): string {
	return `${hit.file}\u0000${hit.text.replace(/\s+/g, ' ').trim()}`;
}

function activeContent(plan: Plan): string | undefined {
	return plan.steps.find((step) => step.status === 'Active')?.content;
}

function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The texts of the last entries of the thread: what the model has seen lately. */
function recentText(entries: readonly ThreadEntry[]): string[] {
	return entries.slice(-RECENT_ENTRIES).map((entry) => (entry.kind === 'item' ? entry.item.content : entry.kind === 'tool-result' ? entry.content : entry.text));
}

/** Keeps the map small: entries older than the window can be offered again anyway. */
function forgetOld(offered: Map<string, number>, turn: number, windowTurns: number): void {
	if (offered.size < 500) return;
	for (const [key, at] of offered) if (turn - at >= windowTurns) offered.delete(key);
}
