import { type ContextItem, type Priority, priorityRank } from './context-item.ts';

/**
 * The context bucket: items waiting to reach the model, ordered Interruption > ForNextTurn >
 * InTheEnd and first-in-first-out within a priority. Re-prioritising moves an item to the end of its
 * new priority's queue. The bucket only holds items; the orchestrator decides when they leave.
 */
export class Bucket {
	private items: ContextItem[] = [];
	private arrival = new Map<string, number>();
	private sequence = 0;

	add(item: ContextItem): void {
		if (this.arrival.has(item.id)) throw new Error(`item ${item.id} is already in the bucket`);
		this.sequence += 1;
		this.arrival.set(item.id, this.sequence);
		this.items.push(item);
		this.sort();
	}

	/** Items in injection order. */
	list(): readonly ContextItem[] {
		return this.items;
	}

	get size(): number {
		return this.items.length;
	}

	has(priority: Priority): boolean {
		return this.items.some((item) => item.priority === priority);
	}

	/** Returns the removed item, or undefined when no waiting item has that id. */
	remove(id: string): ContextItem | undefined {
		const index = this.items.findIndex((item) => item.id === id);
		if (index < 0) return undefined;
		const [removed] = this.items.splice(index, 1);
		this.arrival.delete(id);
		return removed;
	}

	/** Returns the updated item, or undefined when no waiting item has that id. */
	reprioritize(id: string, priority: Priority): ContextItem | undefined {
		const index = this.items.findIndex((item) => item.id === id);
		const current = this.items[index];
		if (!current) return undefined;
		const updated = { ...current, priority };
		this.items[index] = updated;
		this.sequence += 1;
		this.arrival.set(id, this.sequence);
		this.sort();
		return updated;
	}

	/** Removes and returns, in injection order, every item whose priority is in `priorities`. */
	take(priorities: readonly Priority[]): ContextItem[] {
		const taken = this.items.filter((item) => priorities.includes(item.priority));
		if (taken.length === 0) return taken;
		this.items = this.items.filter((item) => !priorities.includes(item.priority));
		for (const item of taken) this.arrival.delete(item.id);
		return taken;
	}

	private sort(): void {
		this.items.sort((a, b) => priorityRank(a.priority) - priorityRank(b.priority) || this.arrival.get(a.id)! - this.arrival.get(b.id)!);
	}
}
