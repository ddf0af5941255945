import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentHandle, createOrbit } from '../../../source/builder.ts';
import type { ChatMessage } from '../../../source/runtime/model.ts';
import type { PermissionMode } from '../../../source/sandbox/permission.ts';
import { App } from '../../../source/ui/app.tsx';
import { UiStore } from '../../../source/ui/store/ui-store.ts';
import { createBuiltinTools } from '../../../tools/index.ts';
import { ScriptedModel, type ScriptStep, waitUntil } from '../../fixtures/scripted-model.ts';
import { ESC, renderThemed } from './render-helpers.tsx';

let agent: AgentHandle | undefined;
afterEach(async () => {
	await agent?.stop();
	agent = undefined;
});

function mount(steps: ScriptStep[], permission: PermissionMode = 'auto') {
	const model = new ScriptedModel(steps);
	let store: UiStore | undefined;
	const quits: number[] = [];
	const commands: string[] = [];
	agent = createOrbit(mkdtempSync(join(tmpdir(), 'orbit-app-')))
		.model(model)
		.tools(createBuiltinTools())
		.permission(permission, (request, signal) => store!.requestApproval(request, signal))
		.subscribe((event) => store?.apply(event))
		.start();
	store = new UiStore({ bucket: agent.bucket, plan: agent.plan, usage: agent.usage, state: agent.state }, 5);
	const view = renderThemed(
		<App agent={agent} store={store} info={{ model: 'scripted', permission, sandbox: 'none', connected: true }} runCommand={(line) => commands.push(line)} onQuit={() => quits.push(Date.now())} />,
	);
	return { model, store, view, quits, commands, agent };
}

const lastUser = (messages: ChatMessage[] | undefined) => messages?.filter((message) => message.role === 'user').at(-1)?.content;

describe('the workbench keys', () => {
	it('typed text shows in the input; Enter sends it and an idle agent starts at once', async () => {
		const { model, view } = mount([{ text: 'on it' }]);
		view.stdin.write('fix the bug');
		await view.waitForFrame((frame) => frame.includes('fix the bug'), 'draft visible');
		view.stdin.write('\r');
		await waitUntil(() => model.calls.length === 1, 'model called');
		expect(lastUser(model.calls[0])).toBe('fix the bug');
		await view.waitForFrame((frame) => frame.includes('› fix the bug') && frame.includes('on it'), 'thread shows the exchange');
	});

	it('Tab cycles the draft priority ForNextTurn → InTheEnd → Interruption → ForNextTurn', async () => {
		const { view } = mount([]);
		await view.waitForFrame((frame) => frame.includes('ForNextTurn ›'), 'initial');
		for (const label of ['InTheEnd ›', 'Interruption ›', 'ForNextTurn ›']) {
			view.stdin.write('\t');
			await view.waitForFrame((frame) => frame.includes(label), label);
		}
	});

	it('Esc sends the draft as an Interruption that aborts the running answer', async () => {
		const { model, view, agent: handle } = mount([{ text: 'long answer', hold: true }, { text: 'switched' }]);
		view.stdin.write('start');
		await view.waitForFrame((frame) => frame.includes('start'), 'draft');
		view.stdin.write('\r');
		await view.waitForFrame((frame) => frame.includes('long answer'), 'streaming');
		view.stdin.write('use the other API');
		await view.waitForFrame((frame) => frame.includes('use the other API'), 'draft 2');
		view.stdin.write(ESC);
		await waitUntil(() => model.calls.length === 2, 'second call');
		expect(lastUser(model.calls[1])).toBe('[interruption] use the other API');
		await handle.whenIdle();
		await view.waitForFrame((frame) => frame.includes('⏸ interrupted'), 'interrupted mark');
	});

	it('Esc with an empty draft interrupts the agent', async () => {
		const { view, agent: handle } = mount([{ text: 'thinking hard', hold: true }]);
		view.stdin.write('go');
		await view.waitForFrame((frame) => frame.includes('go'), 'draft');
		view.stdin.write('\r');
		await view.waitForFrame((frame) => frame.includes('thinking hard'), 'streaming');
		view.stdin.write(ESC);
		await handle.whenIdle();
		expect(handle.lastLoopEnd()).toBe('aborted');
		await view.waitForFrame((frame) => frame.includes('interrupted'), 'state shown');
	});

	it('Up recalls the previous message; slash commands go to the command runner', async () => {
		const { view, commands } = mount([{ text: 'ok' }]);
		view.stdin.write('first message');
		await view.waitForFrame((frame) => frame.includes('first message'), 'draft');
		view.stdin.write('\r');
		await view.waitForFrame((frame) => frame.includes('› first message'), 'sent');
		view.stdin.write(`${ESC}[A`);
		await view.waitForFrame((frame) => frame.includes('ForNextTurn › first message'), 'recalled');
		view.stdin.write('\u0015');
		await view.waitForFrame((frame) => !frame.includes('› first message\n') && frame.includes('ForNextTurn ›   type a message'), 'draft cleared');
		view.stdin.write('/help');
		await view.waitForFrame((frame) => frame.includes('/help'), 'command typed');
		view.stdin.write('\r');
		await waitUntil(() => commands.length === 1, 'command run');
		expect(commands).toEqual(['/help']);
	});

	it('keys typed ahead arrive as one chunk; a line break in it sends, the rest stays in the draft', async () => {
		const { model, view } = mount([{ text: 'ok' }]);
		view.stdin.write('hello there\rand more');
		await waitUntil(() => model.calls.length === 1, 'model called');
		expect(lastUser(model.calls[0])).toBe('hello there');
		await view.waitForFrame((frame) => frame.includes('ForNextTurn › and more'), 'rest kept');
	});

	it('a bracketed paste keeps its newlines in the draft and sends nothing', async () => {
		const { model, view } = mount([{ text: 'ok' }]);
		view.stdin.write(`${ESC}[200~line one\rline two${ESC}[201~`);
		await view.waitForFrame((frame) => frame.includes('line one') && frame.includes('line two'), 'pasted');
		expect(model.calls).toHaveLength(0);
		view.stdin.write('\r');
		await waitUntil(() => model.calls.length === 1, 'sent');
		expect(lastUser(model.calls[0])).toBe('line one\nline two');
	});

	it('Ctrl+C twice quits; once only warns', async () => {
		const { view, quits } = mount([]);
		view.stdin.write('\u0003');
		await view.waitForFrame((frame) => frame.includes('press Ctrl+C again to quit'), 'warning');
		expect(quits).toHaveLength(0);
		view.stdin.write('\u0003');
		await waitUntil(() => quits.length === 1, 'quit');
	});

	it('in ask mode an approval appears inline; a denial with a reason reaches the model', async () => {
		const { model, view } = mount([{ toolCalls: [{ name: 'write_file', args: { path: 'x.txt', content: 'x' } }] }, { text: 'understood' }], 'ask');
		view.stdin.write('write x');
		await view.waitForFrame((frame) => frame.includes('write x'), 'draft');
		view.stdin.write('\r');
		await view.waitForFrame((frame) => frame.includes('Allow write_file: x.txt?'), 'approval');
		view.stdin.write('n');
		await view.waitForFrame((frame) => frame.includes('Type the reason'), 'reason prompt');
		view.stdin.write('not that file');
		await view.waitForFrame((frame) => frame.includes('not that file'), 'reason typed');
		view.stdin.write('\r');
		await waitUntil(() => model.calls.length === 2, 'second call');
		const tool = model.calls[1]!.find((message) => message.role === 'tool');
		expect(tool?.content).toBe('Permission denied for write_file: not that file');
	});
});
