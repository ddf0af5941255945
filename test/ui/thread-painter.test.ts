import { describe, expect, it } from 'vitest';
import { inkStdout } from '../../source/ui/ink-stdout.ts';
import { BlockLayout } from '../../source/ui/render/block-lines.ts';
import { ThreadBlocks } from '../../source/ui/store/thread-blocks.ts';
import { loadTheme } from '../../source/ui/theme.ts';
import { BEGIN_SYNC, END_SYNC, ThreadPainter } from '../../source/ui/thread-painter.ts';

const theme = loadTheme('dark');
const strip = (text: string) => text.replace(/\u001B\[[\d;?]*[A-Za-z]|\u001B[78]/g, '');

/** A terminal that records writes and can replay them onto a grid of cells (absolute moves and text only). */
function fakeTerminal(rows = 10, columns = 40) {
	const writes: string[] = [];
	const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, () => '.'));
	const target = {
		rows,
		columns,
		write(text: string) {
			writes.push(text);
			let row = 0;
			let column = 0;
			for (const part of text.split(/(\u001B\[\d+;\d+H)/)) {
				const move = /^\u001B\[(\d+);(\d+)H$/.exec(part);
				if (move) {
					row = Number(move[1]) - 1;
					column = Number(move[2]) - 1;
					continue;
				}
				for (const character of strip(part)) grid[row]![column++] = character;
			}
			return true;
		},
	};
	return { target, writes, screen: () => grid.map((cells) => cells.join('')) };
}

function setup() {
	const terminal = fakeTerminal();
	const painter = new ThreadPainter(terminal.target);
	const thread = new ThreadBlocks();
	const layout = new BlockLayout();
	const view = { top: 2, left: 2, width: 20, height: 4, theme, layout, blocks: thread.blocks, position: undefined };
	return { ...terminal, painter, thread, view };
}

describe('the thread painter', () => {
	it('paints the body rows at the pane position, padded to its width, in one synchronized write', async () => {
		const { painter, thread, view, writes, screen } = setup();
		thread.notice('first');
		painter.setView(view);
		await Promise.resolve();
		expect(writes).toHaveLength(1);
		expect(writes[0]!.startsWith(`${BEGIN_SYNC}\u001B7`)).toBe(true);
		expect(writes[0]!.endsWith(`\u001B8${END_SYNC}`)).toBe(true);
		const rows = screen();
		expect(rows[0]).toBe('.'.repeat(40));
		expect(rows[2]).toBe(`..${'• first'.padEnd(20)}${'.'.repeat(18)}`);
		expect(rows[3]).toBe(`..${' '.repeat(20)}${'.'.repeat(18)}`);
		expect(rows[6]).toBe('.'.repeat(40));
	});

	it('writes only the rows that changed, and nothing when nothing did', async () => {
		const { painter, thread, view, writes } = setup();
		thread.notice('first');
		painter.setView(view);
		await Promise.resolve();
		painter.threadChanged();
		await Promise.resolve();
		expect(writes).toHaveLength(1);
		thread.notice('second');
		painter.threadChanged();
		await Promise.resolve();
		expect(writes).toHaveLength(2);
		// Row 2 holds "first", row 3 the blank line after it, row 4 "second" (1-based 5 on the terminal).
		expect(writes[1]!.match(/\u001B\[\d+;\d+H/g)).toEqual(['\u001B[5;3H']);
		expect(strip(writes[1]!)).toBe('• second'.padEnd(20));
	});

	it('follows the tail: the newest rows fill the body', async () => {
		const { painter, thread, view, screen } = setup();
		for (let index = 1; index <= 6; index += 1) thread.notice(`line ${index}`);
		painter.setView(view);
		await Promise.resolve();
		// Each notice is followed by a blank line.
		expect(screen().slice(2, 6).map((row) => row.slice(2, 22).trim())).toEqual(['• line 5', '', '• line 6', '']);
	});

	it('after Ink writes a frame, puts every body row back in the same write, before the frame ends', async () => {
		const { painter, thread, view, target, writes } = setup();
		thread.notice('kept');
		painter.setView(view);
		await Promise.resolve();
		const written: string[] = [];
		const real = { ...target, write: (text: string) => (written.push(text), true), on: () => undefined };
		const stdout = inkStdout(real as unknown as NodeJS.WriteStream, () => painter.overlay());
		stdout.write(BEGIN_SYNC);
		stdout.write('ink frame');
		expect(written).toEqual([]);
		stdout.write(END_SYNC);
		// One write: the frame, every row of the body again (4), then the end of the synchronized update.
		expect(written).toHaveLength(1);
		expect(written[0]!.startsWith(`${BEGIN_SYNC}ink frame\u001B7`)).toBe(true);
		expect(written[0]!.match(/\u001B\[\d+;3H/g)).toHaveLength(4);
		expect(written[0]!.endsWith(END_SYNC)).toBe(true);
		expect(strip(written[0]!)).toContain('• kept');
		// A write outside a frame carries the rows itself.
		stdout.write('clear');
		expect(written[1]!.startsWith('clear\u001B7')).toBe(true);
		expect(writes).toHaveLength(1);
	});

	it('paints nothing once detached, and nothing outside a terminal too narrow for the body', async () => {
		const { painter, thread, view, writes } = setup();
		thread.notice('gone');
		painter.setView({ ...view, left: 30 });
		await Promise.resolve();
		expect(writes).toHaveLength(0);
		painter.setView(view);
		painter.detach();
		await Promise.resolve();
		expect(writes).toHaveLength(0);
		expect(painter.overlay()).toBe('');
	});
});
