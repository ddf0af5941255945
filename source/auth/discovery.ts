import { getJson, type HttpOptions, OAuthError, stringField } from './oauth-http.ts';

/** Where a device-flow login talks to. */
export interface AuthEndpoints {
	deviceAuthorizationEndpoint: string;
	tokenEndpoint: string;
	revocationEndpoint?: string;
	userinfoEndpoint?: string;
	/** The issuer, when known (discovery, or a preset naming one). */
	issuer?: string;
}

/**
 * Finds a server's device-flow endpoints from its metadata: `<issuer>/.well-known/openid-configuration`
 * first, then RFC 8414's `/.well-known/oauth-authorization-server` (path-inserted, then appended).
 * Throws `OAuthError` naming the issuer when no metadata can be read, when it is not JSON, or when it
 * has no device authorization endpoint ("this server does not offer the device flow").
 */
export async function discoverEndpoints(issuer: string, options: HttpOptions = {}): Promise<AuthEndpoints & { issuer: string }> {
	let base: URL;
	try {
		base = new URL(issuer);
	} catch {
		throw new OAuthError(`--issuer must be a URL such as https://login.example.com, not ${JSON.stringify(issuer)}`);
	}
	const trimmed = base.href.replace(/\/+$/, '');
	const path = base.pathname.replace(/\/+$/, '');
	const candidates = [
		`${trimmed}/.well-known/openid-configuration`,
		`${base.origin}/.well-known/oauth-authorization-server${path}`,
		...(path ? [`${trimmed}/.well-known/oauth-authorization-server`] : []),
	];
	const failures: string[] = [];
	for (const url of candidates) {
		let reply;
		try {
			reply = await getJson(url, options);
		} catch (error) {
			if (options.signal?.aborted) throw error;
			failures.push(error instanceof Error ? error.message : String(error));
			// An unreachable host will not become reachable at the next path.
			if (error instanceof OAuthError && error.message.startsWith('could not reach')) break;
			continue;
		}
		if (reply.status !== 200) {
			failures.push(`${url} answered HTTP ${reply.status}`);
			continue;
		}
		const tokenEndpoint = stringField(reply.body, 'token_endpoint');
		const deviceAuthorizationEndpoint = stringField(reply.body, 'device_authorization_endpoint');
		if (!deviceAuthorizationEndpoint) throw new OAuthError(`${issuer}: this server does not offer the device flow (its metadata at ${url} has no device_authorization_endpoint)`);
		if (!tokenEndpoint) throw new OAuthError(`${issuer}: the metadata at ${url} has no token_endpoint`);
		return {
			issuer: stringField(reply.body, 'issuer') ?? trimmed,
			deviceAuthorizationEndpoint,
			tokenEndpoint,
			revocationEndpoint: stringField(reply.body, 'revocation_endpoint'),
			userinfoEndpoint: stringField(reply.body, 'userinfo_endpoint'),
		};
	}
	throw new OAuthError(`could not read the OAuth metadata of ${issuer}: ${failures.join('; ')}`);
}
