import type { FetchLike } from './oauth-http.ts';
import { RefreshError, refreshTokens } from './refresh.ts';
import { type TokenRecord, TokenStore } from './token-store.ts';

/** A token is refreshed when it expires within this margin. */
export const REFRESH_MARGIN_MS = 60_000;

/** Where the model client gets its bearer; the same shape as `BearerSource` in `source/model/openai-model.ts`. */
export interface LoginBearer {
	/** The current access token, refreshed first when it expires within 60 s. */
	token(): Promise<string>;
	/** After a 401: a refreshed access token, or an error saying to run `orbit login --profile <name>`. */
	refresh(): Promise<string>;
}

/** The profile has no usable login; the message says which command fixes it and holds no token. */
export class LoginRequiredError extends Error {
	override name = 'LoginRequiredError';
	constructor(
		readonly profile: string,
		reason: string,
	) {
		super(`${reason}: run orbit login --profile ${profile}`);
	}
}

export interface LoginBearerOptions {
	profile: string;
	env?: NodeJS.ProcessEnv;
	fetch?: FetchLike;
	/** Default: the store in the user's config folder for `env`. */
	store?: TokenStore;
	now?: () => number;
}

/**
 * The bearer of a device-flow login stored for `profile`. `token()` reads the store (no lock) and
 * returns the access token; when it expires within 60 s it refreshes under the store's lock,
 * re-reading first (another process may have refreshed already) and storing the result, rotated
 * refresh token included. When the server cannot be reached for an early refresh, the still-valid
 * token is returned. `refresh()` forces a refresh unless another process already replaced the token
 * this bearer last gave out. Both throw `LoginRequiredError` when there is no login, it expired
 * with no refresh token, or the server refused the refresh.
 */
export function createLoginBearer(options: LoginBearerOptions): LoginBearer {
	const { profile } = options;
	const store = options.store ?? new TokenStore({ env: options.env });
	const now = options.now ?? Date.now;
	let lastGiven: string | undefined;

	const needsRefresh = (record: TokenRecord) => record.expiresAt !== undefined && record.expiresAt - now() <= REFRESH_MARGIN_MS;
	const expired = (record: TokenRecord) => record.expiresAt !== undefined && record.expiresAt <= now();
	const give = (token: string) => {
		lastGiven = token;
		return token;
	};
	const current = (record: TokenRecord | undefined): TokenRecord => {
		if (!record) throw new LoginRequiredError(profile, `profile ${profile} is not signed in`);
		return record;
	};

	/** Refreshes under the lock; `skip` decides, on the fresh record, that no refresh is needed. */
	const refreshStored = (skip: (record: TokenRecord) => boolean) =>
		store.update(async (profiles) => {
			const record = current(Object.hasOwn(profiles, profile) ? profiles[profile] : undefined);
			if (skip(record)) return record.accessToken;
			if (!record.refreshToken) throw new LoginRequiredError(profile, `the login for profile ${profile} ${expired(record) ? 'has expired' : 'was rejected'} and cannot be refreshed`);
			try {
				const next = await refreshTokens(record, { fetch: options.fetch, now });
				profiles[profile] = next;
				return next.accessToken;
			} catch (error) {
				if (error instanceof RefreshError) throw new LoginRequiredError(profile, `the login for profile ${profile} cannot be refreshed (${error.message})`);
				throw error;
			}
		});

	return {
		async token() {
			const record = current(store.get(profile));
			if (!needsRefresh(record)) return give(record.accessToken);
			if (!record.refreshToken) {
				if (expired(record)) throw new LoginRequiredError(profile, `the login for profile ${profile} has expired`);
				return give(record.accessToken);
			}
			try {
				return give(await refreshStored((fresh) => !needsRefresh(fresh)));
			} catch (error) {
				if (error instanceof LoginRequiredError || expired(record)) throw error;
				return give(record.accessToken);
			}
		},
		async refresh() {
			return give(await refreshStored((fresh) => lastGiven !== undefined && fresh.accessToken !== lastGiven && !needsRefresh(fresh)));
		},
	};
}
