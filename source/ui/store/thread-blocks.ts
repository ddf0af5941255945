import type { Priority } from '../../runtime/context-item.ts';
import type { RuntimeEvent } from '../../runtime/events.ts';
import { describeLimit } from '../../runtime/limit-text.ts';

/** What the Thread pane shows. `rev` grows on every change, so layouts can be cached by (id, rev, width). */
export type ThreadBlock =
	| { kind: 'input'; id: string; rev: number; text: string; source: string; priority: Priority }
	| { kind: 'thinking'; id: string; rev: number; text: string; interrupted: boolean }
	| {
			kind: 'tool';
			id: string;
			rev: number;
			name: string;
			args: unknown;
			status: 'running' | 'done' | 'error' | 'interrupted';
			output: string;
			details?: unknown;
			expanded: boolean;
	  }
	| { kind: 'message'; id: string; rev: number; text: string }
	| { kind: 'notice'; id: string; rev: number; text: string; tone: 'info' | 'warning' | 'error' };

/**
 * Folds runtime events into thread blocks. Blocks are mutated in place (their `rev` bumped), so a
 * streamed token costs O(1) here; the store decides when the screen hears about it.
 * Returns true when the blocks changed.
 */
export class ThreadBlocks {
	readonly blocks: ThreadBlock[] = [];
	private readonly byId = new Map<string, ThreadBlock>();
	private thinking: Extract<ThreadBlock, { kind: 'thinking' }> | undefined;
	private noticeCounter = 0;

	apply(event: RuntimeEvent): boolean {
		switch (event.type) {
			case 'item-injected':
				this.push({ kind: 'input', id: `item:${event.item.id}`, rev: 0, text: event.item.content, source: event.item.source, priority: event.item.priority });
				return true;
			case 'turn-start':
				this.thinking = undefined;
				return false;
			case 'text-delta': {
				if (!this.thinking) {
					this.thinking = { kind: 'thinking', id: `turn:${event.turn}`, rev: 0, text: '', interrupted: false };
					this.push(this.thinking);
				}
				this.thinking.text += event.delta;
				this.thinking.rev += 1;
				return true;
			}
			case 'model-retry':
				if (this.thinking) {
					this.thinking.text = '';
					this.thinking.rev += 1;
				}
				this.notice(`model request failed (${event.reason}); retrying in ${Math.round(event.delayMs / 100) / 10} s`, 'warning');
				return true;
			case 'model-fallback':
				if (this.thinking) {
					this.thinking.text = '';
					this.thinking.rev += 1;
				}
				this.notice(`${event.from} failed (${event.reason}); ${event.to} answers instead`, 'warning');
				return true;
			case 'assistant-message':
				if (!event.interrupted) return false;
				if (this.thinking) {
					this.thinking.interrupted = true;
					this.thinking.rev += 1;
				} else {
					this.push({ kind: 'thinking', id: `turn:${event.turn}`, rev: 0, text: '', interrupted: true });
				}
				return true;
			case 'tool-start':
				this.push({ kind: 'tool', id: `tool:${event.callId}`, rev: 0, name: event.name, args: event.args, status: 'running', output: '', expanded: false });
				return true;
			case 'tool-end': {
				const block = this.byId.get(`tool:${event.callId}`);
				const status = event.interrupted ? 'interrupted' : event.isError ? 'error' : 'done';
				if (block?.kind === 'tool') {
					block.status = status;
					block.output = event.content;
					block.details = event.details;
					block.rev += 1;
				} else {
					this.push({ kind: 'tool', id: `tool:${event.callId}`, rev: 0, name: event.name, args: undefined, status, output: event.content, details: event.details, expanded: false });
				}
				return true;
			}
			case 'agent-message':
				this.push({ kind: 'message', id: `message:${event.id}`, rev: 0, text: event.text });
				return true;
			case 'error':
				this.notice(event.message, 'error');
				return true;
			case 'limit-reached':
				this.notice(`limit reached: ${describeLimit(event)}; the agent stopped`, 'warning');
				return true;
			default:
				return false;
		}
	}

	/** A line from the UI itself (a slash command's answer). */
	notice(text: string, tone: 'info' | 'warning' | 'error' = 'info'): void {
		this.noticeCounter += 1;
		this.push({ kind: 'notice', id: `notice:${this.noticeCounter}`, rev: 0, text, tone });
	}

	/** Flips a tool block between collapsed and expanded; false when there is no such tool block. */
	toggle(id: string): boolean {
		const block = this.byId.get(id);
		if (block?.kind !== 'tool') return false;
		block.expanded = !block.expanded;
		block.rev += 1;
		return true;
	}

	clear(): void {
		this.blocks.length = 0;
		this.byId.clear();
		this.thinking = undefined;
	}

	private push(block: ThreadBlock): void {
		this.blocks.push(block);
		this.byId.set(block.id, block);
	}
}
