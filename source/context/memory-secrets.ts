import { processRedactor } from '../sandbox/redact.ts';

/**
 * A credential-like name given a value: `password: hunter2!`, `API_KEY=abc123…`, `"client_secret": "…"`.
 * Group 1 is the name, group 2 the value (at least 6 characters without spaces).
 */
const ASSIGNED_SECRET =
	/\b((?:[\w-]*(?:api[_-]?key|secret|passw(?:or)?d|passphrase|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer[_-]?token|private[_-]?key|client[_-]?secret)[\w-]*|pwd|token))["']?\s*(?:[:=]|=>)\s*["']?([^\s"'`,;]{6,})/gi;

/** Values that name where a secret is kept rather than being one. */
const PLACEHOLDER = /^(?:<.*>|\$\{?[\w.:-]+\}?|%[\w]+%|\{\{.*\}\}|process\.env\.\w+|env\.\w+|os\.environ.*|x{3,}|\*{3,}|\.{3,}|(?:your|my|the|some)[-_\w]*|changeme|redacted|\[redacted\]|null|none|undefined|true|false|required|optional|\d+)$/i;

/** A long run of key-like characters with letters of both cases and digits, and little repetition. */
const LONG_TOKEN = /[A-Za-z0-9+/_=-]{32,}/g;

/**
 * Why `text` looks like it holds a secret, in a few words ("a private key", "an API key or token",
 * "a password or key assigned to a name", "a long random string that looks like a key"), or
 * undefined when it does not. Uses the redaction patterns of `source/sandbox/redact.ts` (known
 * token shapes, private keys, bearer headers, URLs with passwords, and the values of credential
 * variables in this process's environment) plus shapes that matter in a note but not in a log line.
 * Pure apart from reading the process environment once; never throws.
 */
export function secretReason(text: string): string | undefined {
	if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return 'a private key';
	if (processRedactor()(text) !== text) return 'an API key, token or password';
	for (const match of text.matchAll(ASSIGNED_SECRET)) {
		const value = match[2]!.replace(/[.)\]}>]+$/, '');
		if (value.length < 6 || PLACEHOLDER.test(value)) continue;
		// A password may be plain words; a key or token has digits or symbols.
		const password = /passw|passphrase|pwd/i.test(match[1]!);
		if ((password && value.length >= 8) || /\d|[^\w]/.test(value)) return 'a password or key assigned to a name';
	}
	for (const match of text.matchAll(LONG_TOKEN)) {
		if (looksRandom(match[0])) return 'a long random string that looks like a key';
	}
	return undefined;
}

/**
 * Whether a long token reads as random: letters of both cases and digits, not hexadecimal (a git
 * commit or a checksum is worth remembering), not a path, and close to the character variety of
 * random text (an identifier such as `createDefaultPermissionPolicy2` repeats too many letters).
 */
function looksRandom(token: string): boolean {
	if (/^[0-9a-f]+$/i.test(token)) return false;
	if (token.includes('/') && !/[+=]/.test(token) && token.split('/').every((part) => part === '' || /^[A-Za-z][a-z0-9_-]*$/.test(part))) return false;
	if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/\d/.test(token)) return false;
	return entropy(token) >= 4.2;
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
	const counts = new Map<string, number>();
	for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
	let bits = 0;
	for (const count of counts.values()) {
		const p = count / text.length;
		bits -= p * Math.log2(p);
	}
	return bits;
}
