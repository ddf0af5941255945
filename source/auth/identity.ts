import { getJson, type HttpOptions, stringField } from './oauth-http.ts';
import type { Who } from './token-store.ts';

/** The display claims of an id_token (its payload decoded, signature NOT checked: for display only); undefined when unreadable. */
export function whoFromIdToken(idToken: string | undefined): Who | undefined {
	const payload = idToken?.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		return claims && typeof claims === 'object' ? pickWho(claims as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The display claims from a userinfo endpoint; undefined when it fails in any way (never throws, except on abort). */
export async function whoFromUserinfo(endpoint: string, accessToken: string, options: HttpOptions = {}): Promise<Who | undefined> {
	try {
		const { status, body } = await getJson(endpoint, { ...options, bearer: accessToken });
		return status === 200 ? pickWho(body) : undefined;
	} catch (error) {
		if (options.signal?.aborted) throw error;
		return undefined;
	}
}

/** The best of both: the id_token's claims, completed from userinfo when they lack an e-mail or name. */
export async function identify(idToken: string | undefined, userinfoEndpoint: string | undefined, accessToken: string, options: HttpOptions = {}): Promise<Who | undefined> {
	const fromToken = whoFromIdToken(idToken);
	if (fromToken?.email && fromToken.name) return fromToken;
	const fromUserinfo = userinfoEndpoint ? await whoFromUserinfo(userinfoEndpoint, accessToken, options) : undefined;
	const merged: Who = { ...fromUserinfo, ...fromToken };
	return merged.subject || merged.email || merged.name ? merged : undefined;
}

/** "Ada Lovelace <ada@example.com>", "ada@example.com", the subject, or "unknown user". */
export function describeWho(who: Who | undefined): string {
	if (who?.name && who.email) return `${who.name} <${who.email}>`;
	return who?.email ?? who?.name ?? who?.subject ?? 'unknown user';
}

function pickWho(claims: Record<string, unknown>): Who | undefined {
	const who: Who = {};
	const subject = stringField(claims, 'sub');
	const email = stringField(claims, 'email');
	const name = stringField(claims, 'name') ?? stringField(claims, 'preferred_username') ?? stringField(claims, 'login');
	if (subject) who.subject = subject;
	if (email) who.email = email;
	if (name) who.name = name;
	return Object.keys(who).length ? who : undefined;
}
