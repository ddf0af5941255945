import type { HttpOptions } from '../source/auth/oauth-http.ts';
import { type LoginFlags, type LoginPreset, type LoginTarget, LoginUsageError, resolveLoginTarget } from '../source/auth/presets.ts';
import type { TokenStore } from '../source/auth/token-store.ts';

/**
 * Where profile `profile` signs in. When `flags` name a place (`preset`, `issuer` or an endpoint),
 * that decides, as in `resolveLoginTarget`. Otherwise, in this order: the config's login preset of
 * the profile's own name; the issuer (and client id and scope) of the profile's stored login, so
 * `orbit login --profile work` and `/login work` sign in again where the last login did. `clientId`
 * and `scope` in `flags` always win. Throws `LoginUsageError` (saying what to add) when nothing
 * names a place, and what `resolveLoginTarget` throws.
 */
export async function findLoginTarget(input: {
	profile: string;
	flags: LoginFlags;
	/** The user config's `logins`. */
	presets: Record<string, LoginPreset>;
	store: TokenStore;
	http?: HttpOptions;
}): Promise<LoginTarget> {
	const { profile, flags, presets, store, http } = input;
	const named = flags.preset !== undefined || flags.issuer !== undefined || flags.deviceEndpoint !== undefined || flags.tokenEndpoint !== undefined;
	if (named) return resolveLoginTarget(flags, presets, http);
	if (Object.hasOwn(presets, profile)) return resolveLoginTarget({ ...flags, preset: profile }, presets, http);
	const stored = store.get(profile);
	if (stored?.issuer) {
		return resolveLoginTarget({ issuer: stored.issuer, clientId: flags.clientId ?? stored.clientId, scope: flags.scope ?? stored.scope, revocationEndpoint: flags.revocationEndpoint }, presets, http);
	}
	if (stored?.deviceAuthorizationEndpoint) {
		return resolveLoginTarget(
			{ deviceEndpoint: stored.deviceAuthorizationEndpoint, tokenEndpoint: stored.tokenEndpoint, revocationEndpoint: flags.revocationEndpoint ?? stored.revocationEndpoint, clientId: flags.clientId ?? stored.clientId, scope: flags.scope ?? stored.scope },
			presets,
			http,
		);
	}
	const why = stored ? `the last login of profile ${profile} predates the stored endpoints` : `profile ${profile} has no login preset and no earlier login`;
	throw new LoginUsageError(
		`say where to sign in (${why}): --issuer URL, or --device-endpoint URL and --token-endpoint URL, or --preset NAME (a preset under "logins" in your config, or github)`,
	);
}

/** One line for any failure; the auth core's messages never hold a token. */
export function describeError(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
