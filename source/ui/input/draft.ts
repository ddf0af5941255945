import { type Priority } from '../../runtime/context-item.ts';

/** The input line's content: text (may span lines) and a cursor index into it. Pure values. */
export interface Draft {
	text: string;
	cursor: number;
	priority: Priority;
}

export const EMPTY_DRAFT: Draft = { text: '', cursor: 0, priority: 'for-next-turn' };

/** Tab cycles ForNextTurn → InTheEnd → Interruption → ForNextTurn. */
const NEXT_PRIORITY: Record<Priority, Priority> = {
	'for-next-turn': 'in-the-end',
	'in-the-end': 'interruption',
	interruption: 'for-next-turn',
};

export function cyclePriority(draft: Draft): Draft {
	return { ...draft, priority: NEXT_PRIORITY[draft.priority] };
}

/** Inserts text at the cursor; carriage returns from pastes become newlines. */
export function insert(draft: Draft, text: string): Draft {
	const clean = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
	return { ...draft, text: draft.text.slice(0, draft.cursor) + clean + draft.text.slice(draft.cursor), cursor: draft.cursor + clean.length };
}

export function backspace(draft: Draft): Draft {
	if (draft.cursor === 0) return draft;
	const before = [...draft.text.slice(0, draft.cursor)];
	before.pop();
	const head = before.join('');
	return { ...draft, text: head + draft.text.slice(draft.cursor), cursor: head.length };
}

export function deleteForward(draft: Draft): Draft {
	if (draft.cursor >= draft.text.length) return draft;
	const after = [...draft.text.slice(draft.cursor)];
	after.shift();
	return { ...draft, text: draft.text.slice(0, draft.cursor) + after.join('') };
}

export function moveCursor(draft: Draft, to: 'left' | 'right' | 'home' | 'end'): Draft {
	const { text, cursor } = draft;
	switch (to) {
		case 'left':
			return { ...draft, cursor: Math.max(0, cursor - ([...text.slice(0, cursor)].at(-1)?.length ?? 0)) };
		case 'right':
			return { ...draft, cursor: Math.min(text.length, cursor + ([...text.slice(cursor)][0]?.length ?? 0)) };
		case 'home':
			return { ...draft, cursor: text.lastIndexOf('\n', cursor - 1) + 1 };
		case 'end': {
			const newline = text.indexOf('\n', cursor);
			return { ...draft, cursor: newline < 0 ? text.length : newline };
		}
	}
}

/** Deletes the word before the cursor (Ctrl+W). */
export function deleteWord(draft: Draft): Draft {
	const head = draft.text.slice(0, draft.cursor).replace(/\S*\s*$/, '');
	return { ...draft, text: head + draft.text.slice(draft.cursor), cursor: head.length };
}

/** Previous entries sent, newest last; Up/Down walk it. */
export class History {
	private readonly entries: string[] = [];
	private position = 0;

	add(text: string): void {
		if (text.trim() === '' || this.entries.at(-1) === text) {
			this.position = this.entries.length;
			return;
		}
		this.entries.push(text);
		this.position = this.entries.length;
	}

	previous(): string | undefined {
		if (this.position === 0) return this.entries.length ? this.entries[0] : undefined;
		this.position -= 1;
		return this.entries[this.position];
	}

	next(): string | undefined {
		if (this.position >= this.entries.length) return undefined;
		this.position += 1;
		return this.position === this.entries.length ? '' : this.entries[this.position];
	}
}
