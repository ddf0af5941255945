import { Box, type Key, useApp, useInput } from 'ink';
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { PRIORITIES, PRIORITY_LABELS, type Priority } from '../runtime/context-item.ts';
import type { AgentHandle } from '../builder.ts';
import { ApprovalPrompt } from './components/approval-prompt.tsx';
import { ContextPane } from './components/context-pane.tsx';
import { InputBox, MAX_INPUT_ROWS, draftRows } from './components/input-box.tsx';
import { PlanPane } from './components/plan-pane.tsx';
import { StatusLine } from './components/status-line.tsx';
import { ThreadPane } from './components/thread-pane.tsx';
import { History, type Draft, EMPTY_DRAFT, backspace, cyclePriority, deleteForward, deleteWord, insert, moveCursor } from './input/draft.ts';
import { actionFor } from './keybindings.ts';
import { computeLayout } from './layout.ts';
import { BlockLayout } from './render/block-lines.ts';
import type { UiStore } from './store/ui-store.ts';
import { scrollBy, type ScrollPosition } from './thread-window.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface WorkbenchInfo {
	model: string;
	/** True when the model's price is known: the status line shows the session's cost even before it is spent. */
	priced?: boolean;
	permission: string;
	sandbox: string;
	/** False when no model endpoint is configured: drafts are not sent, the connect help shows instead. */
	connected: boolean;
}

export interface AppProps {
	agent: AgentHandle;
	store: UiStore;
	info: WorkbenchInfo;
	/** Runs a slash command line (`/help`, …); the host owns the registry. */
	runCommand(line: string): void;
	/** Told when the person quits (Ctrl+C twice), just before the app exits. */
	onQuit?(): void;
	/** A host's own keys (replay's speed keys): offered each key typed while the draft is empty; true consumes it. */
	onKey?(input: string, key: Key): boolean;
}

type Mode = 'input' | 'context' | 'deny-reason';

const QUIT_WINDOW_MS = 2_000;

/** The workbench: Thread | Context over Plan, the input line and the status line. */
export function App({ agent, store, info, runCommand, onQuit, onKey }: AppProps) {
	const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const { columns, rows } = useTerminalSize();
	const { exit } = useApp();
	const layoutCache = useMemo(() => new BlockLayout(), []);
	const history = useMemo(() => new History(), []);
	const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
	const [mode, setMode] = useState<Mode>('input');
	const [selected, setSelected] = useState(0);
	const [position, setPosition] = useState<ScrollPosition>(undefined);
	const [message, setMessage] = useState<string | undefined>(undefined);
	const quitArmedAt = useRef(0);
	const pasting = useRef(false);
	const draftRef = useRef(draft);
	draftRef.current = draft;

	const inputRows = Math.min(MAX_INPUT_ROWS, draftRows(draft, Math.max(10, columns - 16)).length);
	const approvalRows = snapshot.approval ? (snapshot.approval.request.reason ? 5 : 4) : 0;
	// One row short of the terminal: a frame as tall as the screen makes Ink clear it on every update.
	const mainRows = Math.max(6, rows - 1 - inputRows - 1 - approvalRows);
	const layout = computeLayout(columns, mainRows);
	const threadBody = { width: Math.max(1, layout.thread.width - 4), height: Math.max(1, layout.thread.height - 3) };

	const send = useCallback(
		(text: string, priority: Priority) => {
			const trimmed = text.trim();
			if (trimmed === '') return;
			history.add(text);
			setDraft({ ...EMPTY_DRAFT });
			if (trimmed.startsWith('/')) {
				runCommand(trimmed);
				return;
			}
			if (!info.connected) {
				store.notice('No model endpoint is configured, so nothing was sent. See the connection help above, then restart orbit.', 'warning');
				return;
			}
			setPosition(undefined);
			agent.post(text, priority);
		},
		[agent, history, info.connected, runCommand, store],
	);

	const quit = useCallback(() => {
		onQuit?.();
		exit();
	}, [exit, onQuit]);

	const handleApprovalKey = (input: string, key: Key): boolean => {
		const approval = snapshot.approval;
		if (!approval) return false;
		if (mode === 'deny-reason') {
			if (key.return) {
				approval.resolve({ allow: false, reason: draftRef.current.text.trim() || 'the user denied it' });
				setDraft({ ...EMPTY_DRAFT });
				setMode('input');
			} else if (key.escape) {
				approval.resolve({ allow: false, reason: 'the user denied it' });
				setDraft({ ...EMPTY_DRAFT });
				setMode('input');
			} else {
				editDraft(input, key);
			}
			return true;
		}
		if (input === 'y') approval.resolve({ allow: true });
		else if (input === 'a') {
			store.allowForSession(approval.request.tool);
			approval.resolve({ allow: true });
		} else if (input === 'n') {
			setDraft({ ...EMPTY_DRAFT });
			setMode('deny-reason');
		} else if (key.escape) approval.resolve({ allow: false, reason: 'the user denied it' });
		return true;
	};

	const handleContextKey = (input: string, key: Key) => {
		const items = snapshot.bucket;
		const item = items[Math.min(selected, items.length - 1)];
		if (key.escape || (key.tab && key.shift) || items.length === 0) {
			setMode('input');
			return;
		}
		if (key.upArrow) setSelected((index) => Math.max(0, index - 1));
		else if (key.downArrow) setSelected((index) => Math.min(items.length - 1, index + 1));
		else if ((key.delete || key.backspace || input === 'd') && item) {
			agent.removeItem(item.id);
			store.flush();
			setSelected((index) => Math.max(0, Math.min(index, items.length - 2)));
		} else if ((key.tab || input === 'p') && item) {
			const next = PRIORITIES[(PRIORITIES.indexOf(item.priority) + 1) % PRIORITIES.length]!;
			agent.reprioritizeItem(item.id, next);
			store.flush();
			setMessage(`moved to ${PRIORITY_LABELS[next]}`);
		}
	};

	function editDraft(input: string, key: Key) {
		if (key.leftArrow) setDraft((current) => moveCursor(current, 'left'));
		else if (key.rightArrow) setDraft((current) => moveCursor(current, 'right'));
		else if (key.delete || key.backspace) setDraft((current) => backspace(current));
		else if (key.ctrl && input === 'd') setDraft((current) => deleteForward(current));
		else if (key.ctrl && input === 'a') setDraft((current) => moveCursor(current, 'home'));
		else if (key.ctrl && input === 'e') setDraft((current) => moveCursor(current, 'end'));
		else if (!key.ctrl && !key.meta && input !== '') setDraft((current) => insert(current, input));
	}

	// The handler reads this render's state; Ink keeps one stable subscription that calls the latest
	// handler, so a key arriving right after a mode change never meets the previous render's closure.
	const handleKey = (input: string, key: Key) => {
		// Bracketed paste: everything between the markers is text, newlines included.
		if (input === '[200~') {
			pasting.current = true;
			return;
		}
		if (input === '[201~') {
			pasting.current = false;
			return;
		}
		if (pasting.current) {
			setDraft((current) => insert(current, key.return ? '\n' : input));
			return;
		}
		if (message) setMessage(undefined);
		const action = actionFor(input, key);
		// Ctrl+C works everywhere: an open approval or the Context pane must not trap the person.
		if (action === 'quit') {
			if (Date.now() - quitArmedAt.current < QUIT_WINDOW_MS) quit();
			else {
				quitArmedAt.current = Date.now();
				setMessage('press Ctrl+C again to quit');
			}
			return;
		}
		if (handleApprovalKey(input, key)) return;
		if (mode === 'context') return handleContextKey(input, key);
		if (onKey && draftRef.current.text === '' && onKey(input, key)) return;
		// Several characters at once outside a paste are keys typed ahead (before the first frame):
		// a line break among them is Enter.
		if (input.length > 1 && /[\r\n]/.test(input)) {
			const parts = input.split(/\r\n|\r|\n/);
			let text = draftRef.current.text + parts[0];
			for (const part of parts.slice(1)) {
				send(text, draftRef.current.priority);
				text = part;
			}
			setDraft({ ...EMPTY_DRAFT, text, cursor: text.length });
			return;
		}
		switch (action) {
			case 'newline':
				setDraft((current) => insert(current, '\n'));
				return;
			case 'send':
				send(draftRef.current.text, draftRef.current.priority);
				return;
			case 'cyclePriority':
				setDraft((current) => cyclePriority(current));
				return;
			case 'focusContext':
				if (snapshot.bucket.length === 0) setMessage('the Context pane is empty');
				else {
					setSelected(0);
					setMode('context');
				}
				return;
			case 'interrupt':
				if (draftRef.current.text.trim() !== '') send(draftRef.current.text, 'interruption');
				else agent.abort();
				return;
			case 'scrollUp':
				setPosition((current) => scrollBy(layoutCache, snapshot.blocks, threadBody.width, threadBody.height, current, -(threadBody.height - 1)));
				return;
			case 'scrollDown':
				setPosition((current) => scrollBy(layoutCache, snapshot.blocks, threadBody.width, threadBody.height, current, threadBody.height - 1));
				return;
			case 'scrollTop':
				if (draftRef.current.text === '') setPosition(threadBody.height);
				else setDraft((current) => moveCursor(current, 'home'));
				return;
			case 'scrollBottom':
				if (draftRef.current.text === '') setPosition(undefined);
				else setDraft((current) => moveCursor(current, 'end'));
				return;
			case 'historyPrevious': {
				const previous = history.previous();
				if (previous !== undefined) setDraft((current) => ({ ...current, text: previous, cursor: previous.length }));
				return;
			}
			case 'historyNext': {
				const next = history.next();
				if (next !== undefined) setDraft((current) => ({ ...current, text: next, cursor: next.length }));
				return;
			}
			case 'toggleToolOutput': {
				const last = snapshot.blocks.findLast((block) => block.kind === 'tool');
				if (last) store.toggleTool(last.id);
				return;
			}
			case 'deleteWord':
				setDraft((current) => deleteWord(current));
				return;
			case 'clearDraft':
				setDraft((current) => ({ ...current, text: '', cursor: 0 }));
				return;
			default:
				editDraft(input, key);
		}
	};
	const handleKeyRef = useRef(handleKey);
	handleKeyRef.current = handleKey;
	useInput(useCallback((input: string, key: Key) => handleKeyRef.current(input, key), []));

	const side = (
		<>
			<ContextPane items={snapshot.bucket} reminders={snapshot.reminders} width={layout.context.width} height={layout.context.height} selected={mode === 'context' ? Math.min(selected, snapshot.bucket.length - 1) : undefined} />
			<PlanPane plan={snapshot.plan} width={layout.plan.width} height={layout.plan.height} />
		</>
	);
	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Box flexDirection={layout.stacked ? 'column' : 'row'} height={mainRows} flexShrink={0}>
				<ThreadPane layout={layoutCache} blocks={snapshot.blocks} revision={snapshot.threadRevision} width={layout.thread.width} height={layout.thread.height} position={position} />
				{layout.stacked ? side : <Box flexDirection="column">{side}</Box>}
			</Box>
			{snapshot.approval ? <ApprovalPrompt request={snapshot.approval.request} width={columns} askingReason={mode === 'deny-reason'} /> : null}
			<InputBox draft={draft} width={columns} hint={mode === 'deny-reason' ? ' the reason for denying' : mode === 'context' ? ' ↑↓ select · Del delete · Tab priority · Esc back' : undefined} />
			<StatusLine model={snapshot.model ?? info.model} usage={snapshot.usage} cost={info.priced || snapshot.cost > 0 ? snapshot.cost : undefined} permission={info.permission} sandbox={info.sandbox} sessionId={agent.sessionId} state={snapshot.state} width={columns} message={message} />
		</Box>
	);
}
