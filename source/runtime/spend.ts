import type { Usage } from './model.ts';

export interface AgentLimits {
	/** Model calls in one loop. */
	maxTurns?: number;
	/** Tokens (prompt + completion) in the session. */
	maxTokens?: number;
	/** Wall time of one loop, in milliseconds. */
	maxTimeMs?: number;
	/** US dollars spent in the session (priced turns only, see the `usage` event's `cost`). */
	maxCost?: number;
}

/** A limit reached: which, the figure now and the maximum (as the `limit-reached` event carries them). */
export interface LimitReached {
	limit: string;
	value: number;
	max: number;
}

/** What a session has spent: tokens, and dollars on priced turns. Checked against `AgentLimits`. */
export class Spend {
	private tokens: Usage;
	private dollars: number;

	constructor(restored?: { usage: Usage; costUsd?: number }) {
		this.tokens = restored ? { ...restored.usage } : { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
		this.dollars = restored?.costUsd ?? 0;
	}

	usage(): Usage {
		return { ...this.tokens };
	}

	cost(): number {
		return this.dollars;
	}

	/** Adds a turn's usage (and its cost, when priced); returns the `usage` event's fields. */
	add(usage: Usage, costUsd: number | undefined): { usage: Usage; total: Usage; cost?: { turn: number; total: number } } {
		this.tokens = {
			promptTokens: this.tokens.promptTokens + usage.promptTokens,
			completionTokens: this.tokens.completionTokens + usage.completionTokens,
			totalTokens: this.tokens.totalTokens + usage.totalTokens,
		};
		if (costUsd !== undefined) this.dollars += costUsd;
		return { usage, total: this.usage(), ...(costUsd === undefined ? {} : { cost: { turn: costUsd, total: this.dollars } }) };
	}

	/** The first of `limits` reached, given the loop's turns and wall time so far. */
	exceeded(limits: AgentLimits, turns: number, elapsedMs: number): LimitReached | undefined {
		if (limits.maxTurns !== undefined && turns >= limits.maxTurns) return { limit: 'turns', value: turns, max: limits.maxTurns };
		if (limits.maxTokens !== undefined && this.tokens.totalTokens >= limits.maxTokens) return { limit: 'tokens', value: this.tokens.totalTokens, max: limits.maxTokens };
		if (limits.maxTimeMs !== undefined && elapsedMs >= limits.maxTimeMs) return { limit: 'time', value: elapsedMs, max: limits.maxTimeMs };
		if (limits.maxCost !== undefined && this.dollars >= limits.maxCost) return { limit: 'cost', value: this.dollars, max: limits.maxCost };
		return undefined;
	}
}
