import * as z from 'zod';
import { type CliOptions, parseDuration } from './cli-args.ts';
import type { AgentLimits } from './runtime/agent.ts';

/** Model calls per loop when neither a flag nor a config file sets a limit. */
export const DEFAULT_MAX_TURNS = 100;

function isDuration(value: string): boolean {
	try {
		return parseDuration(value) > 0;
	} catch {
		return false;
	}
}

const positiveWhole = z.int({ error: 'must be a positive whole number' }).positive({ error: 'must be a positive whole number' });

/** `limits` in a config file: the budgets of `--max-turns`, `--max-tokens`, `--max-cost`, `--max-time`. */
export const limitsSchema = z
	.object(
		{
			maxTurns: positiveWhole.optional(),
			maxTokens: positiveWhole.optional(),
			maxCost: z.number({ error: 'must be a number of US dollars, e.g. 5' }).positive({ error: 'must be more than 0 US dollars' }).optional(),
			maxTime: z.string({ error: 'must be a duration such as "90s", "30m" or "1h"' }).refine(isDuration, { error: 'must be a duration such as "90s", "30m" or "1h"' }).optional(),
		},
		{
			error: (issue) =>
				issue.code === 'unrecognized_keys' ? `has no ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}; use maxTurns, maxTokens, maxCost and maxTime` : 'must be an object such as {"maxCost": 5, "maxTime": "30m"}',
		},
	)
	.strict();

/** Budgets from config files (`maxTime` already in milliseconds). */
export type ConfigLimits = Pick<AgentLimits, 'maxTurns' | 'maxTokens' | 'maxCost' | 'maxTimeMs'>;

/** A validated `limits` object as `ConfigLimits`. */
export function configLimits(limits: z.infer<typeof limitsSchema>): ConfigLimits {
	return {
		...(limits.maxTurns !== undefined && { maxTurns: limits.maxTurns }),
		...(limits.maxTokens !== undefined && { maxTokens: limits.maxTokens }),
		...(limits.maxCost !== undefined && { maxCost: limits.maxCost }),
		...(limits.maxTime !== undefined && { maxTimeMs: parseDuration(limits.maxTime) }),
	};
}

/**
 * The user's limits tightened by the repository's: each limit is the smaller of the two, or the one
 * that is set. A repository can add a limit or lower one, never raise or remove the user's.
 */
export function tightenLimits(user: ConfigLimits = {}, repository: ConfigLimits = {}): ConfigLimits {
	const merged: ConfigLimits = {};
	for (const key of ['maxTurns', 'maxTokens', 'maxCost', 'maxTimeMs'] as const) {
		const values = [user[key], repository[key]].filter((value): value is number => value !== undefined);
		if (values.length > 0) merged[key] = Math.min(...values);
	}
	return merged;
}

/**
 * The session's budgets: each flag (`--max-turns`, `--max-tokens`, `--max-cost`, `--max-time`)
 * wins over the config files' `limits` (see `loadSettings`); turns default to `DEFAULT_MAX_TURNS`,
 * the others to no limit. Pure.
 */
export function resolveLimits(cli: Pick<CliOptions, 'maxTurns' | 'maxTokens' | 'maxCost' | 'maxTimeMs'>, settings: { limits?: ConfigLimits }): AgentLimits {
	const config = settings.limits ?? {};
	const maxTokens = cli.maxTokens ?? config.maxTokens;
	const maxCost = cli.maxCost ?? config.maxCost;
	const maxTimeMs = cli.maxTimeMs ?? config.maxTimeMs;
	return {
		maxTurns: cli.maxTurns ?? config.maxTurns ?? DEFAULT_MAX_TURNS,
		...(maxTokens !== undefined && { maxTokens }),
		...(maxCost !== undefined && { maxCost }),
		...(maxTimeMs !== undefined && { maxTimeMs }),
	};
}
