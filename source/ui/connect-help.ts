/** Local model servers looked for on their default ports when no endpoint is configured. */
export const LOCAL_SERVERS = [
	{ name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
	{ name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
] as const;

/** Returns the local servers that answer `GET /models` within `timeoutMs`. Never throws. */
export async function findLocalServers(timeoutMs = 400, servers: readonly { name: string; baseUrl: string }[] = LOCAL_SERVERS): Promise<{ name: string; baseUrl: string; models: string[] }[]> {
	const found = await Promise.all(
		servers.map(async (server) => {
			try {
				const response = await fetch(`${server.baseUrl}/models`, { signal: AbortSignal.timeout(timeoutMs) });
				if (!response.ok) return undefined;
				const body = (await response.json()) as { data?: { id?: unknown }[] };
				const models = (body.data ?? []).map((entry) => entry.id).filter((id): id is string => typeof id === 'string');
				return { ...server, models };
			} catch {
				return undefined;
			}
		}),
	);
	return found.filter((entry) => entry !== undefined);
}

/** The first screen's text when no endpoint is configured. */
export function connectHelp(local: { name: string; baseUrl: string; models: string[] }[]): string {
	const lines = [
		'No model endpoint is configured. Connect Orbit one of these ways, then start it again:',
		'  • an API key:     export OPENAI_API_KEY=…  (and OPENAI_BASE_URL for another provider, ORBIT_MODEL for the model)',
		'  • sign in:        orbit login --profile NAME --issuer URL --client-id ID --base-url URL  (OAuth device flow), then orbit --profile NAME',
		'  • a local server: orbit --base-url http://127.0.0.1:11434/v1 --model <name>  (Ollama; LM Studio uses port 1234)',
	];
	for (const server of local) {
		const model = server.models[0] ?? '<model>';
		lines.push(`Found ${server.name} running: orbit --base-url ${server.baseUrl} --model ${model}${server.models.length > 1 ? `  (also: ${server.models.slice(1, 4).join(', ')})` : ''}`);
	}
	return lines.join('\n');
}
