import type { RuntimeEvent } from '../runtime/events.ts';
import { looksSecret } from './env.ts';

/** What a redacted secret becomes. */
export const REDACTED = '[redacted]';

/**
 * Credential shapes redacted wherever they appear, whatever the environment holds. Each keeps the
 * text around the secret (`Bearer `, `https://user:`) so the line still reads.
 */
const PATTERNS: { regex: RegExp; replace: string }[] = [
	{ regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: REDACTED },
	{ regex: /(?<![\w-])sk-[\w-]{16,}/g, replace: REDACTED },
	{ regex: /(?<![\w-])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g, replace: REDACTED },
	{ regex: /(?<!\w)gh[pousr]_[A-Za-z0-9]{20,}/g, replace: REDACTED },
	{ regex: /(?<!\w)github_pat_\w{20,}/g, replace: REDACTED },
	{ regex: /(?<![\w-])glpat-[\w-]{16,}/g, replace: REDACTED },
	{ regex: /(?<![\w-])xox[abprs]-[\w-]{10,}/g, replace: REDACTED },
	{ regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g, replace: REDACTED },
	{ regex: /(?<!\w)npm_[A-Za-z0-9]{30,}/g, replace: REDACTED },
	{ regex: /(?<!\w)hf_[A-Za-z0-9]{30,}/g, replace: REDACTED },
	{ regex: /(?<![\w-])AIza[\w-]{35}/g, replace: REDACTED },
	{ regex: /(?<![\w-])eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/g, replace: REDACTED },
	{ regex: /\b(Bearer\s+)(?=[\w.~+/=-]*\d)[\w.~+/=-]{16,}/gi, replace: `$1${REDACTED}` },
	{ regex: /\b(Authorization:\s*(?:Basic|Bearer|Token)\s+)[\w.~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
	{ regex: /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi, replace: `$1${REDACTED}@` },
];

/**
 * Matches wherever any of `PATTERNS` could match (a superset): text without it skips the patterns,
 * which keeps redaction cheap for every streamed token. Keep it in step with `PATTERNS`.
 */
const MAY_HOLD_PATTERN = /-----BEGIN|[sr]k[-_]|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|AKIA|ASIA|npm_|hf_|AIza|eyJ|bearer|authorization|:\/\//i;

/** The name part of env.ts's test: these name a credential (the provider prefixes there are too broad: ORBIT_MODEL, AWS_REGION). */
const CREDENTIAL_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|COOKIE|AUTH(?!ORS?(?:_|$))|PRIVATE|_PAT$|^PAT_|_PAT_|_DSN$/i;

/** Shorter values are not worth hunting (and would hit ordinary words: `true`, `1`, `dark`). */
const MIN_SECRET_LENGTH = 8;

/**
 * The values of credential variables in `env`: those env.ts withholds from the shell (`looksSecret`)
 * that are named like a credential or shaped like one (a URL with a password, a known token), at
 * least 8 characters long and not a file path. Never throws.
 */
export function secretsFromEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
	const secrets = new Set<string>();
	for (const [name, value] of Object.entries(env)) {
		if (value === undefined) continue;
		const trimmed = value.trim();
		if (trimmed.length < MIN_SECRET_LENGTH || !looksSecret(name, trimmed)) continue;
		const byValue = looksSecret('_', trimmed);
		if (!byValue && (!CREDENTIAL_NAME.test(name) || /^[/~]/.test(trimmed))) continue;
		secrets.add(trimmed);
	}
	return [...secrets];
}

/**
 * A function that replaces every occurrence of the given secrets (exact text, longest first;
 * shorter than 8 characters ignored) and every credential shape in `PATTERNS` with `[redacted]`.
 * Pure and fast enough for every token of a stream; never throws.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
	const literal = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
	const exact = literal.length > 0 ? new RegExp(literal.map(escapeRegExp).join('|'), 'g') : undefined;
	return (text) => {
		if (text === '') return text;
		let out = exact ? text.replace(exact, REDACTED) : text;
		if (!MAY_HOLD_PATTERN.test(out)) return out;
		for (const { regex, replace } of PATTERNS) {
			regex.lastIndex = 0;
			out = out.replace(regex, replace);
		}
		return out;
	};
}

let defaultRedactor: ((text: string) => string) | undefined;

/** The redactor for this process: the secrets of `process.env` (read once) and the patterns. */
export function processRedactor(): (text: string) => string {
	defaultRedactor ??= createRedactor(secretsFromEnvironment(process.env));
	return defaultRedactor;
}

/**
 * `value` with every string in it (deeply: arrays, plain objects, their keys' values) redacted.
 * Returns the same reference when nothing changed, so an event without secrets is not copied.
 * Non-plain objects (class instances, dates) are returned as they are. Never throws.
 */
export function redactValue<T>(value: T, redact: (text: string) => string = processRedactor()): T {
	return walk(value, redact, new WeakSet()) as T;
}

/**
 * An event fit for consumers that show or store it (the screen, the session log, JSON output):
 * every string field redacted. Put it between the event bus and those consumers. The model's own
 * messages are not affected. Never throws.
 */
export function redactEvent<E extends RuntimeEvent>(event: E, redact: (text: string) => string = processRedactor()): E {
	// The envelope (type, id, session id, timestamp) is Orbit's own; only the payload can hold a secret.
	const seen = new WeakSet<object>();
	let copy: E | undefined;
	for (const [key, item] of Object.entries(event)) {
		if (ENVELOPE.has(key)) continue;
		const next = walk(item, redact, seen);
		if (next !== item) (copy ??= { ...event })[key as keyof E] = next as E[keyof E];
	}
	return copy ?? event;
}

const ENVELOPE = new Set(['type', 'id', 'sessionId', 'timestamp']);

function walk(value: unknown, redact: (text: string) => string, seen: WeakSet<object>): unknown {
	if (typeof value === 'string') return redact(value);
	if (typeof value !== 'object' || value === null || seen.has(value)) return value;
	if (Array.isArray(value)) {
		seen.add(value);
		let copy: unknown[] | undefined;
		value.forEach((item, index) => {
			const next = walk(item, redact, seen);
			if (next !== item) (copy ??= [...value])[index] = next;
		});
		return copy ?? value;
	}
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) return value;
	seen.add(value);
	let copy: Record<string, unknown> | undefined;
	for (const [key, item] of Object.entries(value)) {
		const next = walk(item, redact, seen);
		if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
	}
	return copy ?? value;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
