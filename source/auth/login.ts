import { type DeviceCode, pollForToken, requestDeviceCode } from './device-flow.ts';
import { describeWho, identify } from './identity.ts';
import type { FetchLike } from './oauth-http.ts';
import type { LoginTarget } from './presets.ts';
import { type RevokeOutcome, revokeTokens } from './revoke.ts';
import { type TokenRecord, TokenStore, type Who } from './token-store.ts';

/** One line for the user. Never given a token. */
export type Print = (line: string) => void;

interface StoreOptions {
	env?: NodeJS.ProcessEnv;
	/** Default: the store in the user's config folder for `env`. */
	store?: TokenStore;
	fetch?: FetchLike;
}

export interface LoginOptions extends StoreOptions {
	profile: string;
	target: LoginTarget;
	/** Ctrl+C: ends the wait for approval; `login` then rejects with `signal.reason`. */
	signal?: AbortSignal;
	print: Print;
	/** Given the codes to show, e.g. for a TUI panel (they are printed too). */
	onCode?: (code: Pick<DeviceCode, 'userCode' | 'verificationUri' | 'verificationUriComplete' | 'expiresIn'>) => void;
}

export interface LoginResult {
	profile: string;
	who?: Who;
	expiresAt?: number;
	refreshable: boolean;
}

/**
 * The device flow for `profile`: asks for a code, prints the verification URI, the complete URI
 * when the server gives one, and the user code; polls until the user approves; stores the tokens
 * (0600, under the lock), replacing the profile's previous login. Throws `DeviceFlowError` (denied,
 * expired), `OAuthError` (unreachable), `TokenStoreError`/`LockError`, or `signal.reason` on abort.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
	const { profile, target, print, signal } = options;
	const http = { fetch: options.fetch, signal };
	const store = options.store ?? new TokenStore({ env: options.env });
	const code = await requestDeviceCode(target.endpoints, { clientId: target.clientId, scope: target.scope, ...http });
	print(`To sign in, open ${code.verificationUri}`);
	print(`and enter the code: ${code.userCode}`);
	if (code.verificationUriComplete) print(`(or open ${code.verificationUriComplete}, which has the code in it)`);
	print(`Waiting for approval (the code is valid for ${formatDuration(code.expiresIn * 1000)}; Ctrl+C cancels)…`);
	options.onCode?.({ userCode: code.userCode, verificationUri: code.verificationUri, verificationUriComplete: code.verificationUriComplete, expiresIn: code.expiresIn });
	const tokens = await pollForToken(target.endpoints, code, { clientId: target.clientId, ...http });
	const obtainedAt = Date.now();
	const who = await identify(tokens.idToken, target.endpoints.userinfoEndpoint, tokens.accessToken, http);
	const record: TokenRecord = {
		accessToken: tokens.accessToken,
		tokenType: tokens.tokenType,
		refreshToken: tokens.refreshToken,
		expiresAt: tokens.expiresIn !== undefined ? obtainedAt + tokens.expiresIn * 1000 : undefined,
		scope: tokens.scope ?? target.scope,
		clientId: target.clientId,
		issuer: target.endpoints.issuer,
		tokenEndpoint: target.endpoints.tokenEndpoint,
		deviceAuthorizationEndpoint: target.endpoints.deviceAuthorizationEndpoint,
		revocationEndpoint: target.endpoints.revocationEndpoint,
		userinfoEndpoint: target.endpoints.userinfoEndpoint,
		who,
		obtainedAt,
	};
	await store.set(profile, record);
	print(`Signed in as ${describeWho(who)} for profile ${profile}.`);
	return { profile, who, expiresAt: record.expiresAt, refreshable: record.refreshToken !== undefined };
}

export interface LogoutOptions extends StoreOptions {
	profile: string;
	print: Print;
	signal?: AbortSignal;
}

export interface LogoutResult {
	/** False when the profile had no login. */
	removed: boolean;
	revocation?: RevokeOutcome;
}

/**
 * Under the store's lock: revokes the profile's tokens where the server offers revocation, then
 * deletes them — also when revocation failed, which is printed. Prints what happened; never throws
 * for a missing login (returns `removed: false`).
 */
export async function logout(options: LogoutOptions): Promise<LogoutResult> {
	const { profile, print } = options;
	const store = options.store ?? new TokenStore({ env: options.env });
	const result = await store.update(async (profiles): Promise<LogoutResult> => {
		const record = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
		if (!record) return { removed: false };
		const revocation = await revokeTokens(record, { fetch: options.fetch, signal: options.signal });
		delete profiles[profile];
		return { removed: true, revocation };
	});
	if (!result.removed) print(`Profile ${profile} is not signed in; nothing to do.`);
	else if (result.revocation?.status === 'revoked') print(`Revoked the tokens of profile ${profile} at the server.`);
	else if (result.revocation?.status === 'skipped') print(`The server offers no revocation; the tokens of profile ${profile} stay valid there until they expire.`);
	else if (result.revocation?.status === 'failed') print(`Could not revoke the tokens of profile ${profile} at the server (${result.revocation.reason}); they stay valid there until they expire.`);
	if (result.removed) print(`Signed out of profile ${profile}: its tokens are deleted.`);
	return result;
}

/** One stored login, without its tokens. */
export interface AuthStatusEntry {
	profile: string;
	who?: Who;
	/** The issuer, or the token endpoint's origin when no issuer is known. */
	where: string;
	issuer?: string;
	/** Epoch ms; absent when the server gave no lifetime. */
	expiresAt?: number;
	expired: boolean;
	refreshable: boolean;
	obtainedAt: number;
}

/**
 * The stored logins (only `profile`'s when given), sorted by profile; empty when no one is signed
 * in (the CLI then exits 1). Reads without the lock; throws `TokenStoreError` for a corrupt file.
 */
export function authStatus(options: Omit<StoreOptions, 'fetch'> & { profile?: string; now?: () => number } = {}): AuthStatusEntry[] {
	const store = options.store ?? new TokenStore({ env: options.env });
	const now = (options.now ?? Date.now)();
	return Object.entries(store.list())
		.filter(([name]) => options.profile === undefined || name === options.profile)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([profile, record]) => ({
			profile,
			who: record.who,
			where: record.issuer ?? new URL(record.tokenEndpoint).origin,
			issuer: record.issuer,
			expiresAt: record.expiresAt,
			expired: record.expiresAt !== undefined && record.expiresAt <= now,
			refreshable: record.refreshToken !== undefined,
			obtainedAt: record.obtainedAt,
		}));
}

/** One line per entry, e.g. `work: Ada <ada@example.com> at https://login.example.com — expires in 58 min, refreshable`. */
export function formatAuthStatus(entry: AuthStatusEntry, now = Date.now()): string {
	const expiry =
		entry.expiresAt === undefined ? 'no expiry given' : entry.expired ? `expired ${formatDuration(now - entry.expiresAt)} ago` : `expires in ${formatDuration(entry.expiresAt - now)}`;
	const refresh = entry.refreshable ? 'refreshable' : 'not refreshable';
	return `${entry.profile}: ${describeWho(entry.who)} at ${entry.where} — ${expiry}, ${refresh}`;
}

function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 120) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 120) return `${minutes} min`;
	const hours = Math.round(minutes / 60);
	return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}
