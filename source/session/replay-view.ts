import { type ContextItem, priorityRank } from '../runtime/context-item.ts';
import type { AgentState, LoopEndReason, RuntimeEvent } from '../runtime/events.ts';
import type { Usage } from '../runtime/model.ts';
import type { Plan } from '../runtime/plan.ts';

/**
 * What a recorded agent looked like at some point of its log, folded from the events played so far:
 * the items waiting in its bucket (in injection order), its plan, usage, state and how its last loop
 * ended. It reads events only; it never runs anything.
 */
export class ReplayView {
	private items: { item: ContextItem; arrival: number }[] = [];
	private arrivals = 0;
	private planValue: Plan = { steps: [] };
	private usageValue: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
	private costValue = 0;
	private stateValue: AgentState = 'idle';
	private loopEnd: LoopEndReason | undefined;

	apply = (event: RuntimeEvent): void => {
		switch (event.type) {
			case 'item-added':
				this.items = this.items.filter((entry) => entry.item.id !== event.item.id);
				this.items.push({ item: event.item, arrival: ++this.arrivals });
				this.sort();
				break;
			case 'item-removed':
			case 'item-injected': {
				const id = event.type === 'item-removed' ? event.itemId : event.item.id;
				this.items = this.items.filter((entry) => entry.item.id !== id);
				break;
			}
			case 'item-reprioritized': {
				const entry = this.items.find((candidate) => candidate.item.id === event.itemId);
				if (entry) {
					entry.item = { ...entry.item, priority: event.priority };
					entry.arrival = ++this.arrivals;
					this.sort();
				}
				break;
			}
			case 'plan-updated':
				this.planValue = event.plan;
				break;
			case 'usage':
				this.usageValue = event.total;
				if (event.cost) this.costValue = event.cost.total;
				break;
			case 'state':
				this.stateValue = event.state;
				break;
			case 'loop-end':
				this.loopEnd = event.reason;
				break;
			case 'session-end':
				this.stateValue = 'stopped';
				break;
		}
	};

	bucket = (): readonly ContextItem[] => this.items.map((entry) => entry.item);
	plan = (): Plan => this.planValue;
	usage = (): Usage => this.usageValue;
	/** US dollars the recorded session had spent so far (priced calls only). */
	cost = (): number => this.costValue;
	state = (): AgentState => this.stateValue;
	lastLoopEnd = (): LoopEndReason | undefined => this.loopEnd;

	private sort(): void {
		this.items.sort((a, b) => priorityRank(a.item.priority) - priorityRank(b.item.priority) || a.arrival - b.arrival);
	}
}
