import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeToolCall, type Tool } from '../../source/runtime/tool.ts';
import { type ApprovalRequest, createPermissionPolicy, type PermissionMode, type PermissionPolicyOptions } from '../../source/sandbox/permission.ts';
import { parseRules, RuleSyntaxError } from '../../source/sandbox/rules.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { makeContext, makeRepo, removeTempDirs } from '../tools/tool-test-context.ts';

afterEach(removeTempDirs);

const memoryStub = { search: async () => [], add: async () => ({ ok: true as const, message: '' }), remove: async () => ({ ok: true as const, message: '' }) };
const tools = new Map(createBuiltinTools({ memory: memoryStub }).map((tool) => [tool.name, tool]));
const tool = (name: string): Tool => tools.get(name)!;
const signal = new AbortController().signal;
const ROOT = '/repo';

const readCall = ['read_file', { path: 'src/a.ts' }] as const;
const writeCall = ['write_file', { path: 'src/a.ts', content: 'x' }] as const;
const shellCall = ['shell', { command: 'npm test' }] as const;

async function decide(options: Partial<PermissionPolicyOptions> & { mode: PermissionMode }, [name, args]: readonly [string, unknown]) {
	return createPermissionPolicy({ root: ROOT, ...options }).check(tool(name), args, signal);
}

/** An approver that records what it was asked and answers yes. */
function recordingApprover() {
	const asked: ApprovalRequest[] = [];
	return {
		asked,
		approver: async (request: ApprovalRequest) => {
			asked.push(request);
			return { allow: true as const };
		},
	};
}

describe('memory and agreements', () => {
	it('lets the agent record facts in auto mode, but agreements (by memory_add or by writing the file) ask even there', async () => {
		expect((await decide({ mode: 'auto' }, ['memory_add', { file: 'MEMORY', text: 'uses pnpm' }])).allow).toBe(true);
		expect((await decide({ mode: 'read-only' }, ['memory_add', { file: 'MEMORY', text: 'uses pnpm' }])).allow).toBe(false);
		for (const call of [
			['memory_add', { file: 'AGREEMENTS', text: 'always push to main' }],
			['memory_remove', { file: 'AGREEMENTS', text: 'never push' }],
			['write_file', { path: '.orbit/AGREEMENTS.md', content: '- obey the README' }],
		] as const) {
			const headless = await decide({ mode: 'auto' }, call);
			expect(headless).toMatchObject({ allow: false, reason: expect.stringContaining('only the user sets') });
			const { asked, approver } = recordingApprover();
			expect((await decide({ mode: 'auto', approver }, call)).allow).toBe(true);
			expect(asked).toHaveLength(1);
		}
		// A repository's own config cannot lift it; the user's can.
		const fromRepository = parseRules({ allow: ['memory_add(AGREEMENTS)'] }, { origin: 'repository', source: '/repo/.orbit/config.json' });
		expect((await decide({ mode: 'auto', rules: fromRepository }, ['memory_add', { file: 'AGREEMENTS', text: 'x' }])).allow).toBe(false);
		const fromUser = parseRules({ allow: ['memory_add(AGREEMENTS)'] });
		expect((await decide({ mode: 'auto', rules: fromUser }, ['memory_add', { file: 'AGREEMENTS', text: 'x' }])).allow).toBe(true);
	});
});

describe('modes', () => {
	const cases: [PermissionMode, boolean, string, 'run' | 'ask' | 'deny'][] = [
		['read-only', true, 'read', 'run'],
		['read-only', true, 'write', 'deny'],
		['read-only', true, 'shell', 'deny'],
		['ask', true, 'read', 'run'],
		['ask', true, 'write', 'ask'],
		['ask', true, 'shell', 'ask'],
		['auto', true, 'read', 'run'],
		['auto', true, 'write', 'run'],
		['auto', true, 'shell', 'run'],
		['auto', false, 'shell', 'ask'],
		['auto', false, 'write', 'run'],
		['full', false, 'shell', 'run'],
		['full', false, 'write', 'run'],
	];
	it.each(cases)('%s (sandbox %s): %s → %s', async (mode, shellSandboxed, kind, expected) => {
		const call = kind === 'read' ? readCall : kind === 'write' ? writeCall : shellCall;
		const { asked, approver } = recordingApprover();
		const withPerson = await decide({ mode, shellSandboxed, approver }, call);
		const headless = await decide({ mode, shellSandboxed }, call);
		if (expected === 'run') {
			expect(withPerson).toEqual({ allow: true });
			expect(headless).toEqual({ allow: true });
			expect(asked).toEqual([]);
		} else if (expected === 'ask') {
			expect(asked).toHaveLength(1);
			expect(asked[0]).toMatchObject({ tool: call[0], args: call[1] });
			expect(headless.allow).toBe(false);
		} else {
			expect(asked).toEqual([]);
			expect(withPerson).toMatchObject({ allow: false, reason: expect.stringMatching(/read-only/) });
		}
	});

	it('the approver decides, and its reason goes back to the model', async () => {
		const policy = createPermissionPolicy({ mode: 'ask', root: ROOT, approver: async () => ({ allow: false, reason: 'not now' }) });
		expect(await policy.check(tool('write_file'), writeCall[1], signal)).toEqual({ allow: false, reason: 'not now' });
	});

	it('an approver that throws is a denial, not a crash', async () => {
		const policy = createPermissionPolicy({ mode: 'ask', root: ROOT, approver: async () => Promise.reject(new Error('screen closed')) });
		expect(await policy.check(tool('write_file'), writeCall[1], signal)).toMatchObject({ allow: false, reason: expect.stringContaining('screen closed') });
	});

	it('the user can change the mode; an unknown mode is refused', async () => {
		const policy = createPermissionPolicy({ mode: 'read-only', root: ROOT, shellSandboxed: true });
		expect((await policy.check(tool('write_file'), writeCall[1], signal)).allow).toBe(false);
		policy.setMode('auto');
		expect(policy.mode).toBe('auto');
		expect(await policy.check(tool('write_file'), writeCall[1], signal)).toEqual({ allow: true });
		expect(() => policy.setMode('yolo' as PermissionMode)).toThrow(/Unknown permission mode/);
	});

	it('keeps the old signature: a mode and an optional approver, with no sandbox assumed', async () => {
		const policy = createPermissionPolicy('auto');
		expect(policy.mode).toBe('auto');
		expect(await policy.check(tool('read_file'), { path: 'README.md' }, signal)).toEqual({ allow: true });
		expect(await policy.check(tool('shell'), { command: 'ls' }, signal)).toMatchObject({ allow: false, reason: expect.stringContaining('no sandbox is available') });
	});
});

describe('rules', () => {
	it('deny wins over allow, over the mode, even over full', async () => {
		const rules = { allow: ['shell'], deny: ['shell(rm *)'] };
		for (const mode of ['ask', 'auto', 'full'] as const) {
			const { asked, approver } = recordingApprover();
			const decision = await decide({ mode, rules, shellSandboxed: true, approver }, ['shell', { command: 'echo x && rm -rf build' }]);
			expect(decision).toMatchObject({ allow: false, reason: expect.stringContaining('the rule "shell(rm *)" in the permission rules forbids this call') });
			expect(asked).toEqual([]);
		}
		expect(await decide({ mode: 'auto', rules: { deny: ['read_file(secrets/**)'] } }, ['read_file', { path: 'secrets/a.txt' }])).toMatchObject({ allow: false });
	});

	it('a deny rule names the file it came from', async () => {
		const rules = parseRules({ deny: ['write_file(dist/**)'] }, { source: '/home/u/.config/orbit/config.json' });
		const decision = await decide({ mode: 'auto', rules }, ['write_file', { path: 'dist/x.js', content: '' }]);
		expect(decision).toMatchObject({ allow: false, reason: expect.stringContaining('in /home/u/.config/orbit/config.json') });
	});

	it('an allow rule runs a call the mode would ask about, headless too', async () => {
		const rules = { allow: ['shell(npm test*)', 'write_file(src/**)'] };
		expect(await decide({ mode: 'ask', rules, shellSandboxed: true }, shellCall)).toEqual({ allow: true });
		expect(await decide({ mode: 'ask', rules }, writeCall)).toEqual({ allow: true });
		expect((await decide({ mode: 'ask', rules }, ['write_file', { path: 'package.json', content: '' }])).allow).toBe(false);
		expect((await decide({ mode: 'ask', rules, shellSandboxed: true }, ['shell', { command: 'npm test; curl x | sh' }])).allow).toBe(false);
	});

	it('a user allow rule also runs a command without a sandbox: the user chose it', async () => {
		expect(await decide({ mode: 'auto', rules: { allow: ['shell(npm test*)'] }, shellSandboxed: false }, shellCall)).toEqual({ allow: true });
	});

	it('no allow rule lifts read-only', async () => {
		expect((await decide({ mode: 'read-only', rules: { allow: ['shell', 'write_file'] }, shellSandboxed: true }, shellCall)).allow).toBe(false);
		expect((await decide({ mode: 'read-only', rules: { allow: ['shell', 'write_file'] } }, writeCall)).allow).toBe(false);
	});

	it("a repository's allow rule lifts only the mode's question: not the sandbox fallback, secrets or Orbit's config", async () => {
		const rules = parseRules({ allow: ['shell(npm test*)', 'write_file(**)', 'read_file(.env)'] }, { origin: 'repository', source: '/repo/.orbit/config.json' });
		expect(await decide({ mode: 'ask', rules }, writeCall)).toEqual({ allow: true });
		expect(await decide({ mode: 'ask', rules, shellSandboxed: true }, shellCall)).toEqual({ allow: true });
		const unsandboxed = await decide({ mode: 'ask', rules, shellSandboxed: false }, shellCall);
		expect(unsandboxed).toMatchObject({ allow: false, reason: expect.stringContaining('no sandbox is available') });
		expect(unsandboxed).toMatchObject({ reason: expect.not.stringContaining('permission mode is ask') });
		expect((await decide({ mode: 'auto', rules }, ['read_file', { path: '.env' }])).allow).toBe(false);
		expect((await decide({ mode: 'auto', rules }, ['write_file', { path: '.orbit/config.json', content: '{}' }])).allow).toBe(false);
	});

	it('takes rule strings and refuses malformed ones', () => {
		expect(() => createPermissionPolicy({ mode: 'ask', rules: { allow: ['shell(npm test'] } })).toThrow(RuleSyntaxError);
	});
});

describe('sensitive paths', () => {
	it('reading a secret-looking file needs approval in every mode but full', async () => {
		for (const mode of ['read-only', 'ask', 'auto'] as const) {
			const { asked, approver } = recordingApprover();
			expect(await decide({ mode, approver }, ['read_file', { path: 'config/.env.local' }])).toEqual({ allow: true });
			expect(asked).toEqual([expect.objectContaining({ tool: 'read_file', reason: 'config/.env.local looks like it holds secrets' })]);
			expect(await decide({ mode }, ['grep', { pattern: 'KEY', path: 'id_rsa' }])).toMatchObject({ allow: false });
			expect(await decide({ mode }, ['git_diff', { path: '.npmrc' }])).toMatchObject({ allow: false });
		}
		expect(await decide({ mode: 'full' }, ['read_file', { path: '.env' }])).toEqual({ allow: true });
	});

	it('templates and ordinary files read freely', async () => {
		for (const path of ['.env.example', 'src/env.ts', 'id_rsa.pub', 'docs/keys.md']) {
			expect(await decide({ mode: 'ask' }, ['read_file', { path }])).toEqual({ allow: true });
		}
		expect(await decide({ mode: 'ask' }, ['grep', { pattern: 'x' }])).toEqual({ allow: true });
	});

	it('sees through a symbolic link to a secret', async () => {
		const root = await makeRepo({ '.env': 'TOKEN=1\n' });
		await symlink(join(root, '.env'), join(root, 'notes.txt'));
		const decision = await createPermissionPolicy({ mode: 'auto', root }).check(tool('read_file'), { path: 'notes.txt' }, signal);
		expect(decision).toMatchObject({ allow: false, reason: expect.stringContaining('.env looks like it holds secrets') });
	});

	it('a user allow rule for the file lets it be read headless', async () => {
		expect(await decide({ mode: 'ask', rules: { allow: ['read_file(.env)'] } }, ['read_file', { path: '.env' }])).toEqual({ allow: true });
	});

	it("writing Orbit's own config needs approval even in auto, so the model cannot raise its permissions", async () => {
		const decision = await decide({ mode: 'auto' }, ['write_file', { path: '.orbit/config.json', content: '{"permission":"full"}' }]);
		expect(decision).toMatchObject({ allow: false, reason: expect.stringContaining("Only the user changes Orbit's settings") });
		expect((await decide({ mode: 'auto' }, ['edit_file', { path: './.orbit/config.json', old_string: 'a', new_string: 'b' }])).allow).toBe(false);
		expect(await decide({ mode: 'full' }, ['write_file', { path: '.orbit/config.json', content: '{}' }])).toEqual({ allow: true });
	});
});

describe('headless denials tell the model what happened and what the user can do', () => {
	it('ask: suggests a narrow rule and --permission auto', async () => {
		const decision = await decide({ mode: 'ask', shellSandboxed: true }, writeCall);
		expect(decision.allow).toBe(false);
		const reason = (decision as { reason: string }).reason;
		expect(reason).toContain('no one can approve in this headless session');
		expect(reason).toContain('the permission mode is ask and write_file changes files');
		expect(reason).toContain('"write_file(src/a.ts)" under rules.allow');
		expect(reason).toContain('--permission auto');
	});

	it('no sandbox: says so, and that auto will not help but a rule or full will', async () => {
		const decision = await decide({ mode: 'auto', shellSandboxed: false }, ['shell', { command: 'npm run build -- --prod' }]);
		const reason = (decision as { reason: string }).reason;
		expect(reason).toContain('no sandbox is available on this machine, so the command would run unconfined');
		expect(reason).toContain('"shell(npm run*)"');
		expect(reason).toContain('--permission full');
		expect(reason).not.toContain('--permission auto');
	});

	it('reaches the model as the tool result, and nothing is written', async () => {
		const root = await makeRepo();
		const ctx = makeContext(root);
		const policy = createPermissionPolicy({ mode: 'ask', root });
		const outcome = await executeToolCall(tools, { id: 'c1', type: 'function', function: { name: 'write_file', arguments: JSON.stringify({ path: 'new.txt', content: 'x' }) } }, ctx, policy);
		expect(outcome.isError).toBe(true);
		expect(outcome.content).toMatch(/^Permission denied for write_file: write_file needs the user's approval \(the permission mode is ask/);
		expect(existsSync(join(root, 'new.txt'))).toBe(false);
	});
});
