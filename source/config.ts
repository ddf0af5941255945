import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4.1-mini';

export interface EndpointFlags {
	baseUrl?: string;
	model?: string;
}

export interface Endpoint {
	baseURL: string;
	apiKey?: string;
	model: string;
	/** False when nothing says where a model is: no key and no base URL from flags or environment. */
	configured: boolean;
}

/** Flags win over the environment (`OPENAI_BASE_URL`, `OPENAI_API_KEY`, `ORBIT_MODEL`), which wins over defaults. */
export function resolveEndpoint(flags: EndpointFlags, env: NodeJS.ProcessEnv = process.env): Endpoint {
	const baseURL = flags.baseUrl ?? nonEmpty(env.OPENAI_BASE_URL);
	const apiKey = nonEmpty(env.OPENAI_API_KEY);
	return {
		baseURL: baseURL ?? DEFAULT_BASE_URL,
		apiKey,
		model: flags.model ?? nonEmpty(env.ORBIT_MODEL) ?? DEFAULT_MODEL,
		configured: baseURL !== undefined || apiKey !== undefined,
	};
}

/** The repository root for `cwd`: the nearest folder up with a `.git`, else `cwd` itself. Both are realpaths. */
export function findRoot(cwd: string): { root: string; cwd: string } {
	const real = realpathSync(cwd);
	for (let folder = real; ; folder = dirname(folder)) {
		if (existsSync(join(folder, '.git'))) return { root: folder, cwd: real };
		if (dirname(folder) === folder) return { root: real, cwd: real };
	}
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A URL without user name, password, query or fragment (any of which may carry a key); undefined when it is not a URL. */
export function urlWithoutCredentials(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return undefined;
	}
}
