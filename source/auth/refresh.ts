import { describeOAuthError, type HttpOptions, postForm, stringField } from './oauth-http.ts';
import type { TokenRecord } from './token-store.ts';
import { parseTokenSet } from './token-set.ts';

/** A refresh the server refused (`code` is its error, e.g. `invalid_grant`) or that cannot be tried. */
export class RefreshError extends Error {
	override name = 'RefreshError';
	constructor(
		message: string,
		readonly code?: string,
	) {
		super(message);
	}
}

/**
 * The refresh_token grant for `record`: returns the record with the new access token, expiry and
 * `obtainedAt`; a rotated refresh token replaces the old one, an answer without one keeps it. Throws
 * `RefreshError` when there is no refresh token or the server refuses, `OAuthError` when it cannot
 * be reached. Does not store anything.
 */
export async function refreshTokens(record: TokenRecord, options: HttpOptions & { now?: () => number } = {}): Promise<TokenRecord> {
	if (!record.refreshToken) throw new RefreshError('this login has no refresh token', 'no_refresh_token');
	const now = options.now ?? Date.now;
	const { status, body } = await postForm(
		record.tokenEndpoint,
		{ grant_type: 'refresh_token', refresh_token: record.refreshToken, client_id: record.clientId },
		options,
	);
	const tokens = parseTokenSet(body);
	if (stringField(body, 'error') || status >= 400 || !tokens) throw new RefreshError(`the server refused to refresh the login: ${describeOAuthError(body, status)}`, stringField(body, 'error'));
	const obtainedAt = now();
	return {
		...record,
		accessToken: tokens.accessToken,
		tokenType: tokens.tokenType,
		refreshToken: tokens.refreshToken ?? record.refreshToken,
		expiresAt: tokens.expiresIn !== undefined ? obtainedAt + tokens.expiresIn * 1000 : undefined,
		scope: tokens.scope ?? record.scope,
		obtainedAt,
	};
}
