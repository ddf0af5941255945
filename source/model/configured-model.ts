import type { ModelClient } from '../runtime/model.ts';
import type { BearerSource } from './bearer.ts';
import type { Price } from './cost.ts';
import { createFallbackModel } from './fallback-model.ts';
import { createOpenAIModel, type OpenAIModelOptions } from './openai-model.ts';

/** What `resolveProfile` (or `resolveEndpoint`, whose result lacks the optional fields) decided. */
export interface ConfiguredEndpoint {
	baseURL: string;
	apiKey?: string;
	model: string;
	profile?: string;
	bearer?: BearerSource;
	fallbackModels?: readonly string[];
	prices?: Readonly<Record<string, Price>>;
}

/**
 * The session's model client: `endpoint.model` on its endpoint, priced from `endpoint.prices` (then
 * list prices), authenticated by the bearer or the API key; with `fallbackModels`, wrapped by
 * `createFallbackModel` (same endpoint and credentials, each model its own price). `options`
 * (retries, timeouts) apply to every model.
 */
export function createConfiguredModel(endpoint: ConfiguredEndpoint, options: Partial<Omit<OpenAIModelOptions, 'model'>> = {}): ModelClient {
	const client = (model: string) =>
		createOpenAIModel({
			baseURL: endpoint.baseURL,
			...(endpoint.apiKey !== undefined && { apiKey: endpoint.apiKey }),
			...(endpoint.bearer && { bearer: endpoint.bearer }),
			...(endpoint.profile !== undefined && { profile: endpoint.profile }),
			...(endpoint.prices && { prices: endpoint.prices }),
			...options,
			model,
		});
	const models = [endpoint.model, ...(endpoint.fallbackModels ?? []).filter((model) => model !== endpoint.model)];
	return createFallbackModel(models.map(client));
}
