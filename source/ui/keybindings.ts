import type { Key } from 'ink';

/** Everything a key can do in the workbench. */
export type Action =
	| 'send'
	| 'newline'
	| 'cyclePriority'
	| 'interrupt'
	| 'quit'
	| 'scrollUp'
	| 'scrollDown'
	| 'scrollTop'
	| 'scrollBottom'
	| 'historyPrevious'
	| 'historyNext'
	| 'focusContext'
	| 'toggleToolOutput'
	| 'deleteWord'
	| 'clearDraft';

interface Binding {
	action: Action;
	/** As shown in /help. */
	keys: string;
	description: string;
	matches(input: string, key: Key): boolean;
}

/** The workbench's keys while the input line has focus. Data, not an if-chain: /help lists this table. */
export const INPUT_BINDINGS: Binding[] = [
	{ action: 'newline', keys: 'Alt+Enter, Ctrl+J', description: 'new line in the draft', matches: (input, key) => (key.return && key.meta) || input === '\n' },
	{ action: 'send', keys: 'Enter', description: 'send the draft (an idle agent starts at once)', matches: (_input, key) => key.return },
	{ action: 'cyclePriority', keys: 'Tab', description: 'cycle the draft priority ForNextTurn → InTheEnd → Interruption', matches: (_input, key) => key.tab && !key.shift },
	{ action: 'focusContext', keys: 'Shift+Tab', description: 'move into the Context pane (Del deletes, Tab re-prioritises, Esc returns)', matches: (_input, key) => key.tab && key.shift },
	{ action: 'interrupt', keys: 'Esc', description: 'send the draft as an Interruption, or interrupt the agent', matches: (_input, key) => key.escape },
	{ action: 'quit', keys: 'Ctrl+C twice', description: 'quit', matches: (input, key) => key.ctrl && input === 'c' },
	{ action: 'scrollUp', keys: 'PgUp', description: 'scroll the thread up', matches: (_input, key) => key.pageUp },
	{ action: 'scrollDown', keys: 'PgDn', description: 'scroll the thread down', matches: (_input, key) => key.pageDown },
	{ action: 'scrollTop', keys: 'Home (empty draft)', description: 'top of the thread', matches: (_input, key) => key.home },
	{ action: 'scrollBottom', keys: 'End (empty draft)', description: 'follow the tail again', matches: (_input, key) => key.end },
	{ action: 'historyPrevious', keys: 'Up', description: 'previous message sent', matches: (_input, key) => key.upArrow },
	{ action: 'historyNext', keys: 'Down', description: 'next message sent', matches: (_input, key) => key.downArrow },
	{ action: 'toggleToolOutput', keys: 'Ctrl+O', description: 'expand or collapse the latest tool output', matches: (input, key) => key.ctrl && input === 'o' },
	{ action: 'deleteWord', keys: 'Ctrl+W', description: 'delete the word before the cursor', matches: (input, key) => key.ctrl && input === 'w' },
	{ action: 'clearDraft', keys: 'Ctrl+U', description: 'clear the draft', matches: (input, key) => key.ctrl && input === 'u' },
];

export function actionFor(input: string, key: Key): Action | undefined {
	return INPUT_BINDINGS.find((binding) => binding.matches(input, key))?.action;
}
