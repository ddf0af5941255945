import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionIdOf, statusLine, useWorkbench } from './tui-harness.ts';

const bench = useWorkbench();

describe('/export in the workbench', () => {
	it('writes the live session as a Markdown transcript to .orbit/exports/<id>.md, or to the file named', async () => {
		bench.fake.script({ text: 'Reading it.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.ts' } }] }, { toolCalls: [{ name: 'user_send_message', arguments: { text: 'The answer is 42.' } }] }, { text: 'Done.' });
		const tui = await bench.open();
		const id = sessionIdOf(await tui.capture());
		await tui.type('what is the answer?');
		await tui.sendKeys('Enter');
		await tui.waitFor((screen) => screen.includes('The answer is 42.') && statusLine(screen).endsWith('idle'), 10_000, 'the answer, idle');

		await tui.type('/export');
		await tui.sendKeys('Enter');
		await tui.waitForText(`Exported the session to .orbit/exports/${id}.md.`);
		const markdown = readFileSync(join(bench.repo, '.orbit', 'exports', `${id}.md`), 'utf8');
		expect(markdown).toContain(`# Orbit session ${id}`);
		expect(markdown).toContain('## You\n\n> what is the answer?');
		expect(markdown).toContain('* `read_file` `src/app.ts` — lines 1–1 of 1');
		expect(markdown).toContain('## Orbit → you\n\nThe answer is 42.');

		await tui.type('/export notes/answer.md');
		await tui.sendKeys('Enter');
		await tui.waitForText('Exported the session to notes/answer.md.');
		expect(readFileSync(join(bench.repo, 'notes', 'answer.md'), 'utf8')).toContain('## Orbit → you\n\nThe answer is 42.');
	});
});
