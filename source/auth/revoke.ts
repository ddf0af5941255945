import { describeOAuthError, type HttpOptions, postForm } from './oauth-http.ts';
import type { TokenRecord } from './token-store.ts';

/** What revocation did: `skipped` when the server offers no revocation endpoint. */
export type RevokeOutcome = { status: 'revoked' } | { status: 'skipped' } | { status: 'failed'; reason: string };

/**
 * RFC 7009: revokes the refresh token (which, on most servers, ends the whole grant), then the
 * access token, at `record.revocationEndpoint`. Never throws except on abort; a failure's reason
 * holds the server's error or the network cause, never a token.
 */
export async function revokeTokens(record: TokenRecord, options: HttpOptions = {}): Promise<RevokeOutcome> {
	const endpoint = record.revocationEndpoint;
	if (!endpoint) return { status: 'skipped' };
	const tokens: Array<[string, string]> = [];
	if (record.refreshToken) tokens.push([record.refreshToken, 'refresh_token']);
	tokens.push([record.accessToken, 'access_token']);
	const failures: string[] = [];
	for (const [token, hint] of tokens) {
		try {
			const { status, body } = await postForm(endpoint, { token, token_type_hint: hint, client_id: record.clientId }, options);
			// RFC 7009 §2.2: 200 also for a token already invalid.
			if (status !== 200) failures.push(`${hint}: ${describeOAuthError(body, status)}`);
		} catch (error) {
			if (options.signal?.aborted) throw error;
			failures.push(`${hint}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	return failures.length ? { status: 'failed', reason: failures.join('; ') } : { status: 'revoked' };
}
