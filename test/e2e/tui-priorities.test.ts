import { describe, expect, it } from 'vitest';
import { contextRow, statusLine, threadRow, toolResults, useWorkbench, userMessages } from './tui-harness.ts';

const bench = useWorkbench();

/** The index of the first screen row matching `pattern` (-1 when none). */
const rowOf = (screen: string, pattern: RegExp | string) =>
	screen.split('\n').findIndex((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));

describe('priorities from the keyboard', () => {
	it('a ForNextTurn message sent while the model streams waits in Context, then is injected after the answer', async () => {
		const before = bench.count();
		// Long enough (≈ 9 s) that a slow machine still sends the follow-up before the answer ends.
		const words = Array.from({ length: 60 }, (_, index) => `w${index + 1} `);
		bench.fake.script({ text: words, chunkDelayMs: 150 }, { text: 'Noted the follow-up.' });
		const tui = await bench.open();
		await tui.type('first task');
		await tui.sendKeys('Enter');
		await tui.waitForText('w1 w2');

		await tui.type('also check the tests');
		await tui.sendKeys('Enter');
		const waiting = await tui.waitFor((screen) => contextRow('ForNextTurn', 'also check the tests').test(screen), 10_000, 'the item in Context');
		expect(waiting).toContain('Context 1 waiting');
		expect(waiting).not.toContain('w60');
		expect(waiting).not.toMatch(threadRow('› also check the tests'));
		expect(statusLine(waiting)).toMatch(/thinking$/);
		expect(bench.count() - before).toBe(1);

		const injected = await tui.waitFor(
			(screen) => screen.includes('Noted the follow-up.') && statusLine(screen).endsWith('idle'),
			30_000,
			'the follow-up answered',
		);
		expect(injected).not.toMatch(contextRow('ForNextTurn', 'also check the tests'));
		expect(injected).toContain('nothing waiting');
		// In the thread after the whole first answer, before the answer to it.
		const item = rowOf(injected, threadRow('› also check the tests'));
		expect(item).toBeGreaterThan(rowOf(injected, 'w60'));
		expect(rowOf(injected, 'Noted the follow-up.')).toBeGreaterThan(item);

		expect(bench.count() - before).toBe(2);
		const next = bench.fake.requests[before + 1]!;
		expect(userMessages(next)).toEqual(['first task', 'also check the tests']);
		expect((next.body.messages as { role: string }[]).at(-1)).toEqual({ role: 'user', content: 'also check the tests' });
	});

	it('Tab then Enter queues an InTheEnd item that waits through a tool call and is injected when the loop would end', async () => {
		const before = bench.count();
		const gate = bench.gate();
		let screenAtSecondRequest = '';
		const tui = await bench.open();
		bench.fake.script(
			gate.reply({ text: 'Let me read the plan.', toolCalls: [{ name: 'plan_read', arguments: {} }] }),
			async () => {
				screenAtSecondRequest = await tui.capture();
				return { text: 'Nothing left to do.' };
			},
			{ text: 'Here is the summary you asked for.' },
		);
		await tui.type('tidy up');
		await tui.sendKeys('Enter');
		await bench.fake.waitForRequest(before + 1);

		await tui.sendKeys('Tab');
		await tui.waitForText('InTheEnd ›');
		await tui.type('summarise when done');
		await tui.sendKeys('Enter');
		const queued = await tui.waitFor((screen) => contextRow('InTheEnd', 'summarise when done').test(screen), 10_000, 'the InTheEnd item in Context');
		expect(queued).toContain('ForNextTurn ›   type a message');
		gate.open();

		const end = await tui.waitFor((screen) => screen.includes('Here is the summary you asked for.') && statusLine(screen).endsWith('idle'), 10_000, 'the summary');
		expect(end).toMatch(threadRow('✓ plan_read'));
		expect(end).toMatch(threadRow('› summarise when done  (InTheEnd)'));
		expect(rowOf(end, threadRow('› summarise when done'))).toBeGreaterThan(rowOf(end, 'Nothing left to do.'));
		expect(end).toContain('nothing waiting');
		// While the loop went on after the tool call, the item still waited.
		expect(screenAtSecondRequest).toMatch(contextRow('InTheEnd', 'summarise when done'));

		expect(bench.count() - before).toBe(3);
		const afterTool = bench.fake.requests[before + 1]!;
		expect(toolResults(afterTool)).toEqual(['(no plan)']);
		expect(userMessages(afterTool)).toEqual(['tidy up']);
		const afterEnd = bench.fake.requests[before + 2]!;
		expect(userMessages(afterEnd)).toEqual(['tidy up', 'summarise when done']);
		expect((afterEnd.body.messages as { role: string }[]).at(-1)).toEqual({ role: 'user', content: 'summarise when done' });
	});

	it('Esc with a draft aborts the streaming answer and sends the draft as an interruption', async () => {
		const before = bench.count();
		bench.fake.script({ text: ['Planning ', 'a ', 'long ', 'rewrite ', 'of ', 'everything.'], stallAfter: 4 }, { text: 'Stopping, as asked.' });
		const tui = await bench.open();
		await tui.type('rewrite everything');
		await tui.sendKeys('Enter');
		await tui.waitForText('Planning a long');

		await tui.type('stop, keep the API');
		await tui.waitForText('ForNextTurn › stop, keep the API');
		await tui.sendKeys('Escape');
		await bench.fake.waitForClose(before);

		const screen = await tui.waitFor((text) => text.includes('Stopping, as asked.') && statusLine(text).endsWith('idle'), 10_000, 'the answer to the interruption');
		const cut = rowOf(screen, threadRow('Planning a long'));
		const mark = rowOf(screen, threadRow('⏸ interrupted'));
		const item = rowOf(screen, threadRow('› stop, keep the API  (Interruption)'));
		expect(cut).toBeGreaterThan(0);
		expect(mark).toBeGreaterThan(cut);
		expect(item).toBeGreaterThan(mark);
		expect(rowOf(screen, 'Stopping, as asked.')).toBeGreaterThan(item);
		expect(screen).not.toContain('rewrite of');

		expect(bench.count() - before).toBe(2);
		const next = bench.fake.requests[before + 1]!;
		expect(userMessages(next)).toEqual(['rewrite everything', '[interruption] stop, keep the API']);
		// What was streamed before the abort stays in the thread, marked as cut off.
		const messages = next.body.messages as { role: string; content: string }[];
		expect(messages.at(-2)?.role).toBe('assistant');
		expect(messages.at(-2)?.content).toMatch(/^Planning a long\s*\n\[interrupted\]$/);
	});
});

describe('the Context pane', () => {
	it('Shift+Tab, Down, d deletes the second waiting item; Tab re-prioritises the first; the deleted one never reaches the model', async () => {
		const before = bench.count();
		bench.fake.script({ text: ['Working ', 'on ', 'it '], stallAfter: 3 }, { text: 'Carrying on.' });
		const tui = await bench.open();
		await tui.type('start working');
		await tui.sendKeys('Enter');
		await tui.waitForText('Working on');

		await tui.type('first item');
		await tui.sendKeys('Enter');
		await tui.waitFor((screen) => contextRow('ForNextTurn', 'first item').test(screen), 10_000, 'the first item');
		await tui.type('second item');
		await tui.sendKeys('Enter');
		await tui.waitFor((screen) => contextRow('ForNextTurn', 'second item').test(screen) && screen.includes('Context 2 waiting'), 10_000, 'two items waiting');

		await tui.sendKeys('BTab');
		await tui.waitForText('↑↓ select');
		await tui.sendKeys('Down');
		// The selection is drawn inverse: wait until it is on the second row, then delete it.
		await waitForSelected(tui, 'second item');
		await tui.sendKeys('d');
		const deleted = await tui.waitFor((screen) => !screen.includes('second item') && screen.includes('Context 1 waiting'), 10_000, 'the second item deleted');
		expect(deleted).toMatch(contextRow('ForNextTurn', 'first item'));

		await tui.sendKeys('Tab');
		const moved = await tui.waitFor((screen) => contextRow('InTheEnd', 'first item').test(screen), 10_000, 'the first item moved to InTheEnd');
		expect(statusLine(moved)).toContain('moved to InTheEnd');
		expect(moved).not.toMatch(contextRow('ForNextTurn', 'first item'));

		await tui.sendKeys('Escape');
		await tui.waitForText('ForNextTurn ›   type a message');
		expect(bench.count() - before).toBe(1);

		// An empty draft's Esc interrupts; the InTheEnd item stays waiting while the agent idles.
		await tui.sendKeys('Escape');
		await bench.fake.waitForClose(before);
		const interrupted = await tui.waitFor((screen) => statusLine(screen).endsWith('interrupted'), 10_000, 'the interrupted state');
		expect(interrupted).toMatch(contextRow('InTheEnd', 'first item'));

		await tui.type('carry on');
		await tui.sendKeys('Enter');
		const done = await tui.waitFor((screen) => screen.includes('Carrying on.') && statusLine(screen).endsWith('idle'), 10_000, 'the next answer');
		expect(done).toContain('nothing waiting');
		expect(bench.count() - before).toBe(2);
		expect(userMessages(bench.fake.requests[before + 1]!)).toEqual(['start working', 'carry on', 'first item']);
		for (const request of bench.fake.requests.slice(before)) expect(JSON.stringify(request.body)).not.toContain('second item');
	});
});

/** Waits until the Context row holding `text` is drawn inverse (selected). */
async function waitForSelected(tui: { capture(options: { escapes: true }): Promise<string> }, text: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = (await tui.capture({ escapes: true })).split('\n').find((line) => line.includes(text)) ?? '';
		const before = row.slice(0, row.indexOf(text));
		if (/\u001B\[[\d;]*\b7m/.test(before.slice(before.lastIndexOf('│')))) return;
		if (Date.now() > deadline) throw new Error(`"${text}" was never selected; its row: ${JSON.stringify(row)}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}
