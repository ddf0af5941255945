import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { type AgentHandle, createOrbit } from '../../source/builder.ts';
import type { RuntimeEvent } from '../../source/runtime/events.ts';
import type { ChatMessage } from '../../source/runtime/model.ts';
import { defineTool } from '../../source/runtime/tool.ts';
import { createEventLog, sessionLogPath } from '../../source/session/event-log.ts';
import { readSessionLog } from '../../source/session/read-log.ts';
import { loadSession } from '../../source/session/resume.ts';
import { foldSession, INTERRUPTED_NOT_STARTED, INTERRUPTED_RUNNING } from '../../source/session/session-state.ts';
import { ScriptedModel, waitUntil } from '../fixtures/scripted-model.ts';
import { createGateTool } from '../runtime/agent-harness.ts';

const planTool = defineTool({
	name: 'set_plan',
	description: 'sets the plan',
	parameters: z.object({ steps: z.array(z.string()) }),
	access: 'read',
	async execute(args, ctx) {
		ctx.setPlan({ steps: args.steps.map((content, index) => ({ index: index + 1, content, status: index === 0 ? 'Active' : 'New' })) });
		return { content: 'plan set' };
	},
});

const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };

/** An agent in `root` whose events go to the session log, as `createProjectAgent` wires it. */
function startRecorded(root: string, model: ScriptedModel, tools: ReturnType<typeof createGateTool>['tool'][], resume?: Exclude<ReturnType<typeof loadSession>, { error: string }>): { agent: AgentHandle; events: RuntimeEvent[] } {
	const sessionId = resume?.sessionId ?? 'session-a';
	const log = createEventLog({ root, cwd: root, model: model.name, sessionId, ...(resume ? { append: { validBytes: resume.log.validBytes } } : {}) });
	const events: RuntimeEvent[] = [];
	const builder = createOrbit(root)
		.subscribe((event) => log.write(event))
		.subscribe((event) => events.push(event))
		.model(model)
		.tools(tools)
		.permission('auto')
		.systemPrompt(() => 'system');
	if (resume) builder.resume(sessionId, resume.state);
	else builder.sessionId(sessionId);
	return { agent: builder.start(), events };
}

const tempRoot = () => realpathSync(mkdtempSync(join(tmpdir(), 'orbit-resume-')));

describe('resume from a session log', () => {
	it('restores thread, plan, waiting items and usage; reports the running tool as interrupted and never runs it again', async () => {
		const root = tempRoot();
		const gate = createGateTool();
		const model = new ScriptedModel([
			{ text: 'Planning.', toolCalls: [{ name: 'set_plan', args: { steps: ['look', 'fix'] } }], usage },
			{ toolCalls: [{ name: 'gate', args: {}, id: 'call_gate' }, { name: 'set_plan', args: { steps: ['never'] }, id: 'call_after' }], usage },
		]);
		const first = startRecorded(root, model, [planTool, gate.tool]);
		first.agent.post('task one');
		await waitUntil(() => gate.running(), 'the gate tool runs');
		first.agent.post('later, please', 'in-the-end');
		first.agent.post('drop me', 'in-the-end');
		first.agent.post('soon', 'for-next-turn');
		const byContent = (content: string) => first.agent.bucket().find((item) => item.content === content)!.id;
		expect(first.agent.removeItem(byContent('drop me'))).toBe(true);
		expect(first.agent.reprioritizeItem(byContent('later, please'), 'for-next-turn')).toBe(true);
		// What a SIGKILL leaves behind right now: every write was synchronous, so the file is complete.
		const crashed = readFileSync(sessionLogPath(root, 'session-a'));
		gate.release();
		await first.agent.stop();

		const second = tempRoot();
		mkdirSync(join(second, '.orbit', 'sessions'), { recursive: true });
		writeFileSync(sessionLogPath(second, 'session-a'), crashed);
		const loaded = loadSession(second, { latest: true });
		if ('error' in loaded) throw new Error(loaded.error);
		const { state } = loaded;
		expect(state.status).toBe('interrupted');
		expect(state.firstTask).toBe('task one');
		expect(state.plan.steps.map((step) => step.content)).toEqual(['look', 'fix']);
		expect(state.waiting.map((item) => [item.content, item.priority])).toEqual([
			['soon', 'for-next-turn'],
			['later, please', 'for-next-turn'],
		]);
		expect(state.usage).toEqual({ promptTokens: 20, completionTokens: 10, totalTokens: 30 });
		expect(state.thread.map((entry) => entry.kind)).toEqual(['item', 'assistant', 'tool-result', 'assistant']);
		expect(state.interrupted).toEqual([
			{ turn: 2, callId: 'call_gate', name: 'gate', content: INTERRUPTED_RUNNING },
			{ turn: 2, callId: 'call_after', name: 'set_plan', content: INTERRUPTED_NOT_STARTED },
		]);
		expect(state.continueLoop).toBe(true);

		const seen: ChatMessage[][] = [];
		const gateAgain = createGateTool();
		const resumedModel = new ScriptedModel([
			(messages) => {
				seen.push(messages);
				return { text: 'All done.', usage };
			},
		]);
		const resumed = startRecorded(second, resumedModel, [planTool, gateAgain.tool], loaded);
		await waitUntil(() => resumed.events.some((event) => event.type === 'loop-end'), 'the resumed loop ends');
		await resumed.agent.stop('done');
		expect(gateAgain.runs).toBe(0);
		const messages = seen[0]!;
		const toolMessages = messages.filter((message) => message.role === 'tool');
		expect(toolMessages.slice(-2)).toEqual([
			{ role: 'tool', tool_call_id: 'call_gate', content: INTERRUPTED_RUNNING },
			{ role: 'tool', tool_call_id: 'call_after', content: INTERRUPTED_NOT_STARTED },
		]);
		expect(messages.slice(-2).map((message) => message.content)).toEqual(['soon', 'later, please']);
		expect(messages.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['task one', 'soon', 'later, please']);
		expect(resumed.agent.plan().steps).toHaveLength(2);
		expect(resumed.agent.usage().totalTokens).toBe(45);

		const after = readSessionLog(sessionLogPath(second, 'session-a'));
		const ids = after.events.map((event) => event.id);
		expect(new Set(ids).size).toBe(ids.length);
		const before = readSessionLog(sessionLogPath(root, 'session-a')).events.length;
		expect(before).toBeGreaterThan(0);
		const restart = after.events.find((event) => event.type === 'session-start' && event.resumedFrom !== undefined);
		expect(restart).toMatchObject({ resumedFrom: loaded.state.lastEventId });
		expect(after.events.filter((event) => event.type === 'tool-end' && event.interrupted).map((event) => event.type === 'tool-end' && event.content)).toEqual([INTERRUPTED_RUNNING, INTERRUPTED_NOT_STARTED]);
		const final = foldSession(after.events);
		expect(final.status).toBe('ended');
		expect(final.waiting).toEqual([]);
		expect(final.interrupted).toEqual([]);
		expect(final.usage.totalTokens).toBe(45);
		expect(final.thread.at(-1)).toMatchObject({ kind: 'assistant', text: 'All done.' });
	});

	it('an idle session with nothing waiting resumes idle and runs nothing', async () => {
		const root = tempRoot();
		const model = new ScriptedModel([{ text: 'Hi.' }]);
		const first = startRecorded(root, model, []);
		first.agent.post('hello');
		await waitUntil(() => first.events.some((event) => event.type === 'loop-end'), 'the loop ends');
		await first.agent.stop();
		const loaded = loadSession(root, { id: 'session' });
		if ('error' in loaded) throw new Error(loaded.error);
		expect(loaded.state.status).toBe('ended');
		expect(loaded.state.continueLoop).toBe(false);
		const again = new ScriptedModel([]);
		const resumed = startRecorded(root, again, [], loaded);
		await resumed.agent.whenIdle();
		expect(resumed.agent.state()).toBe('idle');
		expect(again.calls).toHaveLength(0);
		await resumed.agent.stop();
	});

	it('a trigger logged last (killed before triage made it an item) is fired again', () => {
		const events = [
			{ type: 'session-start', cwd: '/r', model: 'm', permission: 'ask', version: '1', id: 's:1', sessionId: 's', timestamp: 't' },
			{ type: 'trigger', source: 'user', content: 'do it', priority: 'interruption', id: 's:2', sessionId: 's', timestamp: 't' },
		] as RuntimeEvent[];
		expect(foldSession(events).pendingTriggers).toEqual([{ source: 'user', content: 'do it', priority: 'interruption' }]);
		expect(foldSession(events).lastSequence).toBe(2);
	});
});
