/**
 * Records a real session for the replay and export tests: the runtime with the built-in tools on a
 * scripted model, in a temporary git repository, logged by the real session log writer. The agent
 * plans, reads, edits, runs a check with the shell tool and tells the person the outcome.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOrbit } from '../../source/builder.ts';
import { createEventLog } from '../../source/session/event-log.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { ScriptedModel, waitUntil } from '../fixtures/scripted-model.ts';

export const TASK = 'Rename calcTotal to computeTotal';
export const MESSAGE = 'Renamed calcTotal to computeTotal; the check passes.';

export interface Recorded {
	root: string;
	logPath: string;
	sessionId: string;
	/** Every event the agent emitted (redacted, as the log holds them), in order. */
	events: RuntimeEvent[];
}

export function tempRepo(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'orbit-replay-'));
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), content);
	}
	const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
	git('init', '-q', '-b', 'main');
	git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'add', '-A');
	git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'commit', '-q', '-m', 'initial');
	return root;
}

export async function recordSession(): Promise<Recorded> {
	const root = tempRepo({
		'src/math.js': 'export function calcTotal(items) {\n\treturn items.reduce((sum, item) => sum + item.price, 0);\n}\n',
		'check.js': "import { computeTotal } from './src/math.js';\nconsole.log('total', computeTotal([{ price: 2 }]));\n",
		'package.json': '{ "type": "module" }\n',
	});
	const model = new ScriptedModel([
		{
			text: ['Let me look ', 'at the function first.'],
			toolCalls: [
				{ name: 'plan_update', args: { steps: [{ content: 'rename the function', status: 'Active' }, { content: 'run the check', status: 'New' }] } },
				{ name: 'read_file', args: { path: 'src/math.js' } },
			],
			usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
		},
		{ text: 'Renaming it.', toolCalls: [{ name: 'edit_file', args: { path: 'src/math.js', old_string: 'calcTotal', new_string: 'computeTotal' } }] },
		{ toolCalls: [{ name: 'shell', args: { command: 'node check.js' } }] },
		{
			toolCalls: [
				{ name: 'plan_update', args: { steps: [{ content: 'rename the function', status: 'Done' }, { content: 'run the check', status: 'Done' }] } },
				{ name: 'user_send_message', args: { text: MESSAGE } },
			],
		},
		{ text: 'Done.', usage: { promptTokens: 300, completionTokens: 5, totalTokens: 305 } },
	]);
	const sessionId = `test-${Date.now().toString(36)}`;
	const log = createEventLog({ root, cwd: root, model: 'scripted', sessionId, fsync: false });
	const events: RuntimeEvent[] = [];
	const agent = createOrbit(root)
		.model(model)
		.tools(createBuiltinTools())
		.permission('full')
		.sessionId(sessionId)
		.subscribe((event) => {
			log.write(event);
			events.push(event);
			if (event.type === 'session-end') log.close();
		})
		.start();
	agent.post(TASK);
	await waitUntil(() => events.some((event) => event.type === 'loop-end'), 'the recorded loop to end', 15_000);
	await agent.whenIdle();
	await agent.stop('done');
	return { root, logPath: log.path, sessionId, events };
}
