/**
 * Where a model request's bearer token comes from when it is not a fixed API key: a device-flow
 * login (`source/auth`) or anything else that can hand out and renew a token.
 *
 * `token()` resolves with the token to send now (refreshing it first when it is about to expire);
 * `refresh()` is called after the server answered 401 to that token: it renews the token (or rejects
 * when it cannot, e.g. no refresh token or the refresh was refused) and resolves with the new one,
 * which `token()` then returns too. Neither puts the token in an error message.
 */
export interface BearerSource {
	token(): Promise<string>;
	refresh(): Promise<string>;
}
