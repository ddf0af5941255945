import { describe, expect, it } from 'vitest';
import { backspace, cyclePriority, deleteWord, EMPTY_DRAFT, History, insert, moveCursor } from '../../source/ui/input/draft.ts';

describe('the draft', () => {
	it('Tab cycles ForNextTurn → InTheEnd → Interruption → ForNextTurn', () => {
		const seen = [EMPTY_DRAFT.priority];
		let draft = EMPTY_DRAFT;
		for (let step = 0; step < 3; step += 1) {
			draft = cyclePriority(draft);
			seen.push(draft.priority);
		}
		expect(seen).toEqual(['for-next-turn', 'in-the-end', 'interruption', 'for-next-turn']);
	});

	it('inserts at the cursor, turns pasted carriage returns into newlines and drops control characters', () => {
		let draft = insert(EMPTY_DRAFT, 'held');
		draft = moveCursor(moveCursor(draft, 'left'), 'left');
		draft = insert(draft, 'XY');
		expect(draft).toMatchObject({ text: 'heXYld', cursor: 4 });
		expect(insert(EMPTY_DRAFT, 'a\r\nb\rc\u0007').text).toBe('a\nb\nc');
	});

	it('backspace removes one whole character, emoji included', () => {
		const draft = insert(EMPTY_DRAFT, 'ok👍');
		expect(backspace(draft)).toMatchObject({ text: 'ok', cursor: 2 });
		expect(backspace(EMPTY_DRAFT)).toBe(EMPTY_DRAFT);
	});

	it('home and end move within the current line of a multi-line draft; Ctrl+W deletes a word', () => {
		const draft = insert(EMPTY_DRAFT, 'first line\nsecond line');
		expect(moveCursor(draft, 'home').cursor).toBe('first line\n'.length);
		expect(deleteWord(draft).text).toBe('first line\nsecond ');
	});

	it('history walks back and forth and returns to an empty draft', () => {
		const history = new History();
		history.add('one');
		history.add('two');
		expect(history.previous()).toBe('two');
		expect(history.previous()).toBe('one');
		expect(history.next()).toBe('two');
		expect(history.next()).toBe('');
	});
});
