import { describe, expect, it } from 'vitest';
import { costOf, formatCost, priceOf } from '../../source/model/cost.ts';

describe('cost', () => {
	it('prices a model from the configuration first, then the list, also under a dated name', () => {
		expect(priceOf('gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 });
		expect(priceOf('gpt-4.1-mini-2025-04-14')).toEqual({ input: 0.4, output: 1.6 });
		expect(priceOf('gpt-4.1-mini', { 'gpt-4.1-mini': { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
		expect(priceOf('company-llm', { 'company-llm': { input: 3, output: 4 } })).toEqual({ input: 3, output: 4 });
		expect(priceOf('llama3.1:8b')).toBeUndefined();
	});

	it('computes and formats dollars', () => {
		expect(costOf({ promptTokens: 1_000_000, completionTokens: 500_000, totalTokens: 1_500_000 }, { input: 2, output: 8 })).toBe(6);
		expect(formatCost(0.00957)).toBe('$0.0096');
		expect(formatCost(6)).toBe('$6.00');
	});
});
