import { numberField, stringField } from './oauth-http.ts';

/** What a token endpoint grants. Secrets: never print or log any field but `expiresIn` and `scope`. */
export interface TokenSet {
	accessToken: string;
	tokenType: string;
	refreshToken?: string;
	/** Seconds from the answer, when the server said. */
	expiresIn?: number;
	idToken?: string;
	scope?: string;
}

/** The token set in a token endpoint's answer, or undefined when it holds no access token. */
export function parseTokenSet(body: Record<string, unknown>): TokenSet | undefined {
	const accessToken = stringField(body, 'access_token');
	if (!accessToken) return undefined;
	return {
		accessToken,
		tokenType: stringField(body, 'token_type') ?? 'Bearer',
		refreshToken: stringField(body, 'refresh_token'),
		expiresIn: numberField(body, 'expires_in'),
		idToken: stringField(body, 'id_token'),
		scope: stringField(body, 'scope'),
	};
}
