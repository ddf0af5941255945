import { describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { createRedactor, REDACTED, redactEvent, redactValue, secretsFromEnvironment } from '../../source/sandbox/redact.ts';

const patternsOnly = createRedactor([]);

describe('secretsFromEnvironment', () => {
	it('takes the values of credential variables, not settings that merely share a provider prefix', () => {
		const env = {
			OPENAI_API_KEY: 'sk-proj-abcdefghijklmnopqrstuv',
			GITHUB_TOKEN: 'gho_1234567890abcdefghijABCDEFGHIJ',
			DATABASE_URL: 'postgres://app:hunter2hunter2@db.internal/app',
			MY_SERVICE_PASSWORD: 'correct horse battery',
			ORBIT_MODEL: 'gpt-4.1-mini',
			AWS_REGION: 'eu-west-1-long',
			OPENAI_BASE_URL: 'http://localhost:11434/v1',
			SSH_AUTH_SOCK: '/tmp/ssh-XXXX/agent.123',
			SHORT_TOKEN: 'abc',
			HOME: '/home/me',
			GIT_AUTHOR_NAME: 'Someone Longname',
		};
		expect(secretsFromEnvironment(env).sort()).toEqual(
			['correct horse battery', 'gho_1234567890abcdefghijABCDEFGHIJ', 'postgres://app:hunter2hunter2@db.internal/app', 'sk-proj-abcdefghijklmnopqrstuv'].sort(),
		);
	});
});

describe('createRedactor', () => {
	it('replaces every occurrence of the given secrets, longest first', () => {
		const redact = createRedactor(['s3cr3t-value-1', 's3cr3t-value-1-and-more', 'tiny']);
		expect(redact('a s3cr3t-value-1-and-more b s3cr3t-value-1 c tiny')).toBe(`a ${REDACTED} b ${REDACTED} c tiny`);
		expect(redact('nothing here')).toBe('nothing here');
		expect(createRedactor(['a.b*c+d(e)f'])('x a.b*c+d(e)f y')).toBe(`x ${REDACTED} y`);
	});

	it.each([
		['OpenAI key', 'key is sk-proj-Abc123def456ghi789jkl012', `key is ${REDACTED}`],
		['Anthropic key', 'sk-ant-api03-abcdefghijklmnop_qrstuv', REDACTED],
		['GitHub token', 'export GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789', `export GH=${REDACTED}`],
		['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', REDACTED],
		['GitLab token', 'glpat-abcdefghij0123456789', REDACTED],
		['Slack tokens', 'xoxb-1234567890-abcdefghij and xoxp-1234567890-abcdefghij', `${REDACTED} and ${REDACTED}`],
		['AWS access key', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', `aws_access_key_id = ${REDACTED}`],
		['Stripe key', 'sk_live_abcdefghij0123456789', REDACTED],
		['npm token', 'npm_abcdefghijklmnopqrstuvwxyz0123456789', REDACTED],
		['Google key', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234', REDACTED],
		['JWT', 'token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', `token=${REDACTED}`],
		['Bearer header', 'curl -H "Authorization: Bearer abc123def456ghi789jkl"', `curl -H "Authorization: Bearer ${REDACTED}"`],
		['Basic header', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', `Authorization: Basic ${REDACTED}`],
		['URL password', 'remote: https://me:ghs_tok3n_passw0rd@github.com/o/r.git', `remote: https://me:${REDACTED}@github.com/o/r.git`],
	])('redacts a %s', (_name, text, expected) => {
		expect(patternsOnly(text)).toBe(expected);
	});

	it('redacts a private key block, and a cut one to the end of the text', () => {
		const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----';
		expect(patternsOnly(`before\n${key}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
		expect(patternsOnly('x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow…[output truncated]')).toBe(`x\n${REDACTED}`);
	});

	it('leaves ordinary text alone', () => {
		for (const text of [
			'disk-usage-report-abcdefghijklmnop',
			'The task-manager ran a risk-assessment',
			'Bearer tokens are described in RFC 6750',
			'https://example.com:8443/path',
			'git@github.com:owner/repo.git',
			'AKIA is a prefix',
			'-----BEGIN PUBLIC KEY-----',
		]) {
			expect(patternsOnly(text)).toBe(text);
		}
	});
});

describe('redactValue and redactEvent', () => {
	const redact = createRedactor(['hunter2hunter2']);

	it('redacts deeply and copies only what changed', () => {
		const clean = { a: ['x', { b: 'y' }], n: 1, t: true, z: null };
		expect(redactValue(clean, redact)).toBe(clean);
		const dirty = { keep: { same: 'ok' }, list: ['pw hunter2hunter2', 2], nested: { deeper: { text: 'hunter2hunter2' } } };
		const out = redactValue(dirty, redact);
		expect(out).toEqual({ keep: { same: 'ok' }, list: [`pw ${REDACTED}`, 2], nested: { deeper: { text: REDACTED } } });
		expect(out.keep).toBe(dirty.keep);
		expect(dirty.nested.deeper.text).toBe('hunter2hunter2');
	});

	it('survives cycles and leaves class instances as they are', () => {
		const cyclic: Record<string, unknown> = { text: 'hunter2hunter2' };
		cyclic.self = cyclic;
		expect((redactValue(cyclic, redact) as Record<string, unknown>).text).toBe(REDACTED);
		const date = new Date(0);
		expect(redactValue({ date }, redact).date).toBe(date);
	});

	it('redacts tool calls, tool output and errors in events', () => {
		const base = { id: 's:1', sessionId: 's', timestamp: '2025-01-01T00:00:00.000Z' };
		const start = { ...base, type: 'tool-start', turn: 1, callId: 'c', name: 'shell', args: { command: 'curl -u me:hunter2hunter2 x' } } as RuntimeEvent;
		expect(redactEvent(start, redact)).toMatchObject({ args: { command: `curl -u me:${REDACTED} x` }, id: 's:1', type: 'tool-start' });
		const end = { ...base, type: 'tool-end', turn: 1, callId: 'c', name: 'read_file', content: 'OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz', isError: false, interrupted: false } as RuntimeEvent;
		expect(redactEvent(end, redact)).toMatchObject({ content: `OPENAI_API_KEY=${REDACTED}` });
		const error = { ...base, type: 'error', message: '401 for key sk-abcdefghijklmnopqrstuvwxyz', fatal: true } as RuntimeEvent;
		expect(redactEvent(error, redact)).toMatchObject({ message: `401 for key ${REDACTED}` });
		const clean = { ...base, type: 'agent-message', text: 'all good' } as RuntimeEvent;
		expect(redactEvent(clean, redact)).toBe(clean);
	});
});
