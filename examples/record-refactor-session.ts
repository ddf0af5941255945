/**
 * Records `examples/refactor-session.jsonl`: the real built binary (`npm run build` first) runs
 * headless in a fresh git repository against the fake OpenAI-compatible server, which streams a
 * scripted multi-step refactor at a model's pace (plan, search, read, three edits, `npm test`, the
 * diff, a message to the person). The session log Orbit wrote is copied here with the temporary
 * folder's path replaced by /home/you/shop.
 *
 *   node --import tsx examples/record-refactor-session.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAI } from '../test/fixtures/fake-openai-server.ts';
import { cleanEnv, createRepo, startOrbit } from '../test/fixtures/run-orbit.ts';

const OUT = resolve(import.meta.dirname, 'refactor-session.jsonl');
const SHOWN_ROOT = '/home/you/shop';
const PACE = { chunkDelayMs: 45 };

const REPO = {
	'package.json': `${JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node test/run.js' } }, null, 2)}\n`,
	'src/math.js': '/** The price of every item times its quantity. */\nexport function calcTotal(items) {\n\treturn items.reduce((sum, item) => sum + item.price * item.qty, 0);\n}\n',
	'src/cart.js': "import { calcTotal } from './math.js';\n\nexport function checkout(cart) {\n\treturn { items: cart.items.length, total: calcTotal(cart.items) };\n}\n",
	'test/run.js':
		"import assert from 'node:assert';\nimport { calcTotal } from '../src/math.js';\nimport { checkout } from '../src/cart.js';\n\nassert.equal(calcTotal([{ price: 2, qty: 3 }]), 6);\nassert.equal(checkout({ items: [{ price: 1, qty: 1 }] }).total, 1);\nconsole.log('all tests passed');\n",
};

const plan = (...steps: [string, 'New' | 'Active' | 'Done'][]) => ({ name: 'plan_update', arguments: { steps: steps.map(([content, status]) => ({ content, status })) } });

const fake = await startFakeOpenAI({ models: ['scripted-demo'] });
fake.script(
	{
		...PACE,
		text: "I'll rename calcTotal to computeTotal. First I need every place that uses it.",
		toolCalls: [plan(['find every use of calcTotal', 'Active'], ['rename it everywhere', 'New'], ['run the tests', 'New']), { name: 'grep', arguments: { pattern: 'calcTotal' } }],
	},
	{ ...PACE, text: 'Three files: the definition in src/math.js, an import in src/cart.js, and the tests. Let me read the definition.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
	{
		...PACE,
		text: 'It is a plain named export, so renaming the export and both imports is enough; nothing else refers to it by string.',
		toolCalls: [
			plan(['find every use of calcTotal', 'Done'], ['rename it everywhere', 'Active'], ['run the tests', 'New']),
			...['src/math.js', 'src/cart.js', 'test/run.js'].map((path) => ({ name: 'edit_file', arguments: { path, old_string: 'calcTotal', new_string: 'computeTotal', replace_all: true } })),
		],
	},
	{ ...PACE, text: 'All three edits applied. Now the tests.', toolCalls: [plan(['find every use of calcTotal', 'Done'], ['rename it everywhere', 'Done'], ['run the tests', 'Active']), { name: 'shell', arguments: { command: 'npm test' } }] },
	{ ...PACE, text: 'The tests pass. A last look at the whole change before I report.', toolCalls: [{ name: 'git_diff', arguments: {} }] },
	{
		...PACE,
		text: 'The diff is exactly the rename.',
		toolCalls: [
			plan(['find every use of calcTotal', 'Done'], ['rename it everywhere', 'Done'], ['run the tests', 'Done']),
			{ name: 'user_send_message', arguments: { text: 'Renamed `calcTotal` to `computeTotal` in 3 files (src/math.js, src/cart.js, test/run.js). `npm test` passes. Nothing is committed yet; review with `git diff`.' } },
		],
	},
	{ ...PACE, text: 'Done.' },
);

const repo = createRepo(REPO);
const config = mkdtempSync(join(tmpdir(), 'orbit-config-'));
writeFileSync(join(config, 'config.json'), JSON.stringify({ rules: { allow: ['shell(npm test*)'] } }));
try {
	const run = startOrbit(['-p', 'Rename calcTotal to computeTotal everywhere, and make sure the tests still pass.', '--permission', 'auto', '--base-url', fake.url, '--model', 'scripted-demo'], {
		cwd: repo,
		env: cleanEnv({ ORBIT_CONFIG_DIR: config }),
	});
	const code = await run.exit(60_000);
	if (code !== 0) throw new Error(`orbit exited ${code}\n${run.stderr()}`);
	if (fake.pending() !== 0) throw new Error(`the script was not used up (${fake.pending()} replies left)\n${run.stderr()}`);
	execFileSync('node', ['test/run.js'], { cwd: repo });
	const folder = join(repo, '.orbit', 'sessions');
	const [name, ...more] = readdirSync(folder).filter((file) => file.endsWith('.jsonl'));
	if (!name || more.length > 0) throw new Error(`expected one session log in ${folder}`);
	const log = readFileSync(join(folder, name), 'utf8').split(repo).join(SHOWN_ROOT);
	if (log.includes(tmpdir())) throw new Error('the log still names the temporary folder');
	writeFileSync(OUT, log);
	console.log(`wrote ${OUT}: ${log.split('\n').length - 2} events, ${log.length} bytes`);
} finally {
	await fake.close();
	rmSync(repo, { recursive: true, force: true });
	rmSync(config, { recursive: true, force: true });
}
