import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, createOrbit } from '../../source/builder.ts';
import { findRoot } from '../../source/config.ts';
import { createAgentFileSubmind } from '../../source/context/agent-file-submind.ts';
import { createProjectContext } from '../../source/context/agent-files.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import type { ChatMessage } from '../../source/runtime/model.ts';
import { buildSystemPrompt } from '../../source/runtime/system-prompt.ts';
import { createBuiltinTools } from '../../tools/index.ts';
import { createRepo } from '../fixtures/run-orbit.ts';
import { ScriptedModel, waitUntil } from '../fixtures/scripted-model.ts';

let agent: AgentHandle | undefined;
const repos: string[] = [];
afterEach(async () => {
	await agent?.stop();
	agent = undefined;
	for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
});

const contents = (messages: ChatMessage[] | undefined) => (messages ?? []).map((message) => (typeof message.content === 'string' ? message.content : ''));

/** An agent wired as the lead will wire it: start-up files in the system prompt, the submind for the rest. */
function startAgent(root: string, model: ScriptedModel, events: RuntimeEvent[]) {
	const { root: real, cwd } = findRoot(root);
	const project = createProjectContext({ root: real, cwd });
	agent = createOrbit(root)
		.model(model)
		.tools(createBuiltinTools())
		.permission('read-only')
		.submind(createAgentFileSubmind(project))
		.systemPrompt((input) => {
			project.refresh();
			return buildSystemPrompt({ ...input, sections: project.sections() });
		})
		.subscribe((event) => void events.push(event))
		.start();
	return project;
}

describe('the AGENT.md submind in a running agent', () => {
	it('puts a folder’s AGENT.md before the model once, as a ForNextTurn context-file item, after the first tool that touches it', async () => {
		const root = createRepo({
			'AGENT.md': 'ROOT RULES\n',
			'README.md': 'readme\n',
			'lib/AGENT.md': 'LIB RULES\n@notes.md\n',
			'lib/notes.md': 'LIB NOTES\n',
			'lib/src/a.ts': 'export const a = 1;\n',
			'lib/src/b.ts': 'export const b = 2;\n',
		});
		repos.push(root);
		const model = new ScriptedModel([
			{ toolCalls: [{ name: 'read_file', args: { path: 'README.md' } }] },
			{ toolCalls: [{ name: 'read_file', args: { path: 'lib/src/a.ts' } }] },
			{ toolCalls: [{ name: 'read_file', args: { path: 'lib/src/b.ts' } }, { name: 'grep', args: { pattern: 'export', path: 'lib' } }] },
			{ text: 'done' },
		]);
		const events: RuntimeEvent[] = [];
		const project = startAgent(root, model, events);
		agent!.post('look at lib');
		await waitUntil(() => model.calls.length === 4 && agent!.state() === 'idle', 'the script to finish');

		const [first, second, third, fourth] = model.calls;
		expect(first![0]).toMatchObject({ role: 'system' });
		expect(first![0]!.content).toContain('# Project instructions (AGENT.md)\nROOT RULES');
		expect(contents(first).join('\n')).not.toContain('LIB RULES');
		// Reading README.md (a folder of the root → cwd chain) loads nothing new.
		expect(contents(second).join('\n')).not.toContain('LIB RULES');
		const item = third!.at(-1)!;
		expect(item.role).toBe('user');
		expect(item.content).toBe(
			'[context-file] Instructions from lib/AGENT.md for the folder lib/ (loaded because a tool touched lib/src/a.ts (read_file)):\n\n' +
				'LIB RULES\n@notes.md\n--- lib/notes.md (imported by lib/AGENT.md) ---\nLIB NOTES\n--- end of lib/notes.md ---',
		);
		expect(third!.at(-2)).toMatchObject({ role: 'tool' });
		expect(contents(fourth).filter((content) => content.includes('LIB RULES'))).toHaveLength(1);

		const added = events.filter((event) => event.type === 'item-added' && event.item.source === 'context-file');
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({ item: { priority: 'for-next-turn', source: 'context-file' } });
		expect(events.find((event) => event.type === 'item-injected' && event.item.source === 'context-file')).toMatchObject({ rule: 'safe-point' });
		expect(project.files().map((file) => [file.path, file.reason])).toEqual([
			['AGENT.md', 'root→cwd'],
			['lib/AGENT.md', 'touched lib/src/a.ts (read_file)'],
			['lib/notes.md', 'imported by lib/AGENT.md'],
		]);
	});
});
