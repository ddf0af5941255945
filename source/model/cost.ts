import type { Usage } from '../runtime/model.ts';

/** US dollars per million tokens. */
export interface Price {
	input: number;
	output: number;
}

/**
 * List prices of common OpenAI models (USD per million tokens), used when the configuration names
 * none for the model. A model not listed here and not configured has no cost shown — never a guess.
 */
export const LIST_PRICES: Readonly<Record<string, Price>> = {
	'gpt-5': { input: 1.25, output: 10 },
	'gpt-5-mini': { input: 0.25, output: 2 },
	'gpt-5-nano': { input: 0.05, output: 0.4 },
	'gpt-4.1': { input: 2, output: 8 },
	'gpt-4.1-mini': { input: 0.4, output: 1.6 },
	'gpt-4.1-nano': { input: 0.1, output: 0.4 },
	'gpt-4o': { input: 2.5, output: 10 },
	'gpt-4o-mini': { input: 0.15, output: 0.6 },
	o3: { input: 2, output: 8 },
	'o4-mini': { input: 1.1, output: 4.4 },
};

/** The price of `model`: the configured one first, then the list (also for dated names such as `gpt-4.1-mini-2025-04-14`). */
export function priceOf(model: string, configured: Readonly<Record<string, Price>> = {}): Price | undefined {
	if (configured[model]) return configured[model];
	if (LIST_PRICES[model]) return LIST_PRICES[model];
	const undated = /^(.*)-\d{4}-\d{2}-\d{2}$/.exec(model)?.[1];
	return undated === undefined ? undefined : (configured[undated] ?? LIST_PRICES[undated]);
}

/** What `usage` cost at `price`, in US dollars. */
export function costOf(usage: Usage, price: Price): number {
	return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

/** `$0.0123` below a dollar (four decimals), `$12.34` above. */
export function formatCost(dollars: number): string {
	return dollars < 1 ? `$${dollars.toFixed(4)}` : `$${dollars.toFixed(2)}`;
}
