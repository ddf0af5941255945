import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../fixtures/run-orbit.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
	fake = await startFakeOpenAI();
});
afterAll(async () => {
	await fake.close();
});

type Message = { role: string; content: string | null; tool_calls?: unknown[] };
const messagesOf = (request: RecordedRequest) => (request.body as { messages: Message[] }).messages;
const lastToolResults = (request: RecordedRequest) => {
	const messages = messagesOf(request);
	const results: string[] = [];
	for (let index = messages.length - 1; index >= 0 && messages[index]!.role === 'tool'; index -= 1) results.unshift(messages[index]!.content ?? '');
	return results;
};

const REPO = {
	'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node test/run.js' } }, null, 2),
	'src/math.js': 'export function calcTotal(items) {\n\treturn items.reduce((sum, item) => sum + item.price * item.qty, 0);\n}\n',
	'src/cart.js': "import { calcTotal } from './math.js';\n\nexport function checkout(cart) {\n\treturn { total: calcTotal(cart.items) };\n}\n",
	'test/run.js':
		"import assert from 'node:assert';\nimport { calcTotal } from '../src/math.js';\nimport { checkout } from '../src/cart.js';\n\nassert.equal(calcTotal([{ price: 2, qty: 3 }]), 6);\nassert.equal(checkout({ items: [{ price: 1, qty: 1 }] }).total, 1);\nconsole.log('all tests passed');\n",
};

describe('orbit -p (headless)', () => {
	it('carries out a rename refactor across files of a real git repository and exits 0', async () => {
		const root = createRepo(REPO);
		const seen: Record<string, string[]> = {};
		fake.script(
			{ toolCalls: [{ name: 'plan_update', arguments: { steps: [{ content: 'find uses', status: 'Active' }, { content: 'rename and test', status: 'New' }] } }, { name: 'grep', arguments: { pattern: 'calcTotal' } }] },
			(request) => {
				seen.grep = lastToolResults(request);
				return { toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] };
			},
			(request) => {
				seen.read = lastToolResults(request);
				return {
					text: 'Renaming in the three files.',
					toolCalls: ['src/math.js', 'src/cart.js', 'test/run.js'].map((path) => ({
						name: 'edit_file',
						arguments: { path, old_string: 'calcTotal', new_string: 'computeTotal', replace_all: true },
					})),
				};
			},
			(request) => {
				seen.edits = lastToolResults(request);
				return { toolCalls: [{ name: 'shell', arguments: { command: 'npm test' } }] };
			},
			(request) => {
				seen.shell = lastToolResults(request);
				return { toolCalls: [{ name: 'git_diff', arguments: {} }] };
			},
			(request) => {
				seen.diff = lastToolResults(request);
				// The plan is closed before stopping (open steps would bring the plan-drift reminder).
				return {
					toolCalls: [
						{ name: 'plan_update', arguments: { steps: [{ content: 'find uses', status: 'Done' }, { content: 'rename and test', status: 'Done' }] } },
						{ name: 'user_send_message', arguments: { text: 'Renamed calcTotal to computeTotal in 3 files; the tests pass.' } },
					],
				};
			},
			{ text: 'Done.' },
		);
		const before = fake.requests.length;
		const run = startOrbit(['-p', 'Rename calcTotal to computeTotal everywhere', '--permission', 'auto', '--base-url', fake.url, '--model', 'fake-model'], {
			cwd: root,
			env: cleanEnv({ OPENAI_API_KEY: 'sk-test-secret' }),
		});
		const code = await run.exit();
		expect(run.stderr()).toBe('');
		expect(code).toBe(0);
		expect(run.stdout()).toBe('Renamed calcTotal to computeTotal in 3 files; the tests pass.\n');
		expect(fake.requests.length - before).toBe(7);

		expect(seen.grep![1]).toMatch(/src\/cart\.js:1:/);
		expect(seen.grep![1]).toMatch(/src\/math\.js:1:/);
		expect(seen.grep![1]).toMatch(/test\/run\.js:2:/);
		expect(seen.read![0]).toMatch(/1\texport function calcTotal/);
		expect(seen.edits).toHaveLength(3);
		expect(seen.edits!.every((text) => !/error|fail/i.test(text))).toBe(true);
		expect(seen.shell![0]).toMatch(/all tests passed/);
		expect(seen.diff![0]).toMatch(/-export function calcTotal/);
		expect(seen.diff![0]).toMatch(/\+export function computeTotal/);

		for (const path of ['src/math.js', 'src/cart.js', 'test/run.js']) {
			const text = readFileSync(join(root, path), 'utf8');
			expect(text).toContain('computeTotal');
			expect(text).not.toContain('calcTotal');
		}
		execFileSync('node', ['test/run.js'], { cwd: root });
		const firstRequest = fake.requests[before]!;
		expect(firstRequest.headers.authorization).toBe('Bearer sk-test-secret');
		expect(JSON.stringify(firstRequest.body)).not.toContain('sk-test-secret');
	});
});
