import { type AuthEndpoints, discoverEndpoints } from './discovery.ts';
import type { HttpOptions } from './oauth-http.ts';

/**
 * A named device-flow login: an issuer (found by discovery) or both explicit endpoints, plus
 * defaults for the client id and scope. User presets come from config as plain objects.
 */
export interface LoginPreset {
	issuer?: string;
	deviceEndpoint?: string;
	tokenEndpoint?: string;
	revocationEndpoint?: string;
	clientId?: string;
	scope?: string;
	/** Said when no client id is given, e.g. where to get one. */
	clientIdHelp?: string;
}

/** Presets every Orbit knows; a user preset of the same name replaces one. */
export const BUILT_IN_PRESETS: Readonly<Record<string, LoginPreset>> = {
	github: {
		deviceEndpoint: 'https://github.com/login/device/code',
		tokenEndpoint: 'https://github.com/login/oauth/access_token',
		scope: 'read:user',
		clientIdHelp:
			'GitHub has no client id for Orbit: create an OAuth app with "Enable Device Flow" ticked (GitHub → Settings → Developer settings → OAuth Apps) and pass its client id with --client-id, or set clientId in the preset in your config',
	},
};

/** The login options of `orbit login`, as given on the command line: a preset's fields, or a preset's name. */
export interface LoginFlags extends Omit<LoginPreset, 'clientIdHelp'> {
	preset?: string;
}

/** Everything a login needs to start. */
export interface LoginTarget {
	endpoints: AuthEndpoints;
	clientId: string;
	scope?: string;
	/** The preset used, if any. */
	preset?: string;
}

/** The login options do not name a complete target; the message says what to add. */
export class LoginUsageError extends Error {
	override name = 'LoginUsageError';
}

/**
 * Turns flags (and a preset they name, from `presets` over `BUILT_IN_PRESETS`) into a login target.
 * Flags win over the preset; explicit endpoints win over an issuer. With an issuer and no explicit
 * endpoints, runs discovery (so it may throw `OAuthError`). Throws `LoginUsageError` for an unknown
 * preset, a missing client id, only one of the two endpoints, a URL that is not http(s), or nothing to log in to.
 */
export async function resolveLoginTarget(flags: LoginFlags, presets: Record<string, LoginPreset> = {}, options: HttpOptions = {}): Promise<LoginTarget> {
	const all: Record<string, LoginPreset> = { ...BUILT_IN_PRESETS, ...presets };
	let preset: LoginPreset = {};
	if (flags.preset !== undefined) {
		const found = Object.hasOwn(all, flags.preset) ? all[flags.preset] : undefined;
		if (!found) throw new LoginUsageError(`no login preset named ${JSON.stringify(flags.preset)}; known presets: ${Object.keys(all).sort().join(', ')}`);
		preset = found;
	}
	const clientId = flags.clientId ?? preset.clientId;
	if (!clientId) {
		throw new LoginUsageError(preset.clientIdHelp ? `--client-id is required: ${preset.clientIdHelp}` : '--client-id is required: the OAuth client id your provider registered for Orbit');
	}
	const scope = flags.scope ?? preset.scope;
	const source: LoginPreset = flags.deviceEndpoint || flags.tokenEndpoint ? flags : flags.issuer ? { issuer: flags.issuer } : preset;
	const revocationEndpoint = flags.revocationEndpoint ?? source.revocationEndpoint;
	for (const [flag, value] of [
		['--device-endpoint', source.deviceEndpoint],
		['--token-endpoint', source.tokenEndpoint],
		['--revocation-endpoint', revocationEndpoint],
		['--issuer', source.issuer],
	] as const) {
		if (value !== undefined && !isHttpUrl(value)) throw new LoginUsageError(`${flag} must be an http(s) URL, not ${JSON.stringify(value)}`);
	}
	const base = { clientId, scope, ...(flags.preset !== undefined && { preset: flags.preset }) };
	if (source.deviceEndpoint || source.tokenEndpoint) {
		if (!source.deviceEndpoint || !source.tokenEndpoint) throw new LoginUsageError('give both --device-endpoint and --token-endpoint, or --issuer to find them');
		return {
			...base,
			endpoints: { deviceAuthorizationEndpoint: source.deviceEndpoint, tokenEndpoint: source.tokenEndpoint, revocationEndpoint, issuer: source.issuer },
		};
	}
	if (source.issuer) {
		const endpoints = await discoverEndpoints(source.issuer, options);
		return { ...base, endpoints: { ...endpoints, ...(revocationEndpoint && { revocationEndpoint }) } };
	}
	throw new LoginUsageError('say where to sign in: --issuer URL, or --device-endpoint URL and --token-endpoint URL, or --preset NAME');
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}
