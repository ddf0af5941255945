/**
 * Shared set-up for the end-to-end workbench tests: the real built binary (`dist/cli.js`) in a real
 * terminal (tmux) against the fake OpenAI-compatible server, driven by keys as a person would.
 *
 * `useWorkbench()` registers the vitest hooks of one test file: one fake server and one temporary git
 * repository for the file, every tmux session killed after each test, and any scripted reply a failed
 * test left queued consumed, so the next test starts from an empty queue.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';
import { CLI, createRepo } from '../fixtures/run-orbit.ts';
import { checkTmux, startTmux, type TmuxSession } from '../fixtures/tmux.ts';

export interface OpenOptions {
	permission?: 'auto' | 'ask';
	width?: number;
	height?: number;
	/** Replaces the default environment (endpoint = the fake server, model `fake-model`). */
	env?: Record<string, string>;
	/** Runs this argv instead of orbit itself (the orbit argv is appended as "$@"), e.g. a wrapper shell. */
	wrapper?: string[];
	/** Resolve at once, without waiting for the first frame (for keys typed during start-up). */
	noWait?: boolean;
	/** More arguments for orbit (`--continue`, …). */
	args?: string[];
}

export interface Workbench {
	readonly fake: FakeOpenAI;
	/** The temporary git repository orbit runs in (one per test file). */
	readonly repo: string;
	/** Starts orbit in a fresh tmux session and waits for its first frame (the status line). */
	open(options?: OpenOptions): Promise<TmuxSession>;
	/** A promise a scripted reply can wait on, so the test decides when the model answers. */
	gate(): Gate;
	/** Requests received so far; take it before an action, then read `fake.requests[before + n]`. */
	count(): number;
}

export interface Gate {
	open(): void;
	/** A scripted reply that sends `reply` only once the gate is open. */
	reply(reply: ReplyData): (request: RecordedRequest) => Promise<ReplyData>;
}

/**
 * The status line's fixed part; every frame has exactly one. The sandbox state after it (`none` while
 * no OS sandbox is wired in) is left out, so the tests hold when one is.
 */
export const STATUS_MARK = 'sandbox: ';

export function useWorkbench(): Workbench {
	const tmux = checkTmux();
	const sessions: TmuxSession[] = [];
	const gates: Gate[] = [];
	let fake: FakeOpenAI | undefined;
	let repo = '';

	beforeAll(async () => {
		if (!tmux.available) throw new Error(tmux.reason);
		fake = await startFakeOpenAI();
		repo = createRepo({ 'README.md': '# demo\n', 'src/app.ts': 'export const answer = 42;\n' });
	});
	afterEach(async () => {
		await Promise.all(sessions.splice(0).map((session) => session.kill()));
		for (const gate of gates.splice(0)) gate.open();
		if (fake) await drain(fake);
	});
	afterAll(async () => {
		await fake?.close();
		if (repo) rmSync(repo, { recursive: true, force: true });
	});

	const workbench: Workbench = {
		get fake() {
			if (!fake) throw new Error('useWorkbench: the fake server starts in beforeAll');
			return fake;
		},
		get repo() {
			return repo;
		},
		async open(options = {}) {
			const env = options.env ?? { OPENAI_BASE_URL: workbench.fake.url, ORBIT_MODEL: 'fake-model' };
			const orbit = [process.execPath, CLI, '--permission', options.permission ?? 'auto', ...(options.args ?? [])];
			const session = await startTmux({
				command: options.wrapper ? [...options.wrapper, ...orbit] : orbit,
				cwd: repo,
				env,
				width: options.width ?? 120,
				height: options.height ?? 40,
			});
			sessions.push(session);
			if (!options.noWait) await session.waitForText(STATUS_MARK);
			return session;
		},
		gate() {
			let release!: () => void;
			const opened = new Promise<void>((resolve) => (release = resolve));
			const gate: Gate = {
				open: () => release(),
				reply: (reply) => async () => {
					await opened;
					return reply;
				},
			};
			gates.push(gate);
			return gate;
		},
		count: () => workbench.fake.requests.length,
	};
	return workbench;
}

/** Answers every reply still queued (a failed test's leftovers) with a request of our own. */
async function drain(fake: FakeOpenAI): Promise<void> {
	for (let guard = 0; fake.pending() > 0 && guard < 50; guard += 1) {
		const response = await fetch(`${fake.url}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'fake-model', messages: [], stream: false }),
		});
		await response.text();
	}
}

/** The `content` of every user message of a request, in order. */
export function userMessages(request: RecordedRequest): string[] {
	return messages(request)
		.filter((message) => message.role === 'user')
		.map((message) => String(message.content));
}

/** The `content` of every tool result of a request, in order. */
export function toolResults(request: RecordedRequest): string[] {
	return messages(request)
		.filter((message) => message.role === 'tool')
		.map((message) => String(message.content));
}

function messages(request: RecordedRequest): { role: string; content: unknown }[] {
	return (request.body as { messages?: { role: string; content: unknown }[] } | null)?.messages ?? [];
}

/** A row of the Thread pane that starts with `text` (the pane is at the left edge in both layouts). */
export function threadRow(text: string): RegExp {
	return new RegExp(`^│ ${escapeRegExp(text)}`, 'm');
}

/** A waiting item's row in the Context pane: `ForNextTurn first item` (the input line has `›` instead). */
export function contextRow(label: 'ForNextTurn' | 'InTheEnd' | 'Interruption', text: string): RegExp {
	return new RegExp(`│ ${label} ${escapeRegExp(text)}`);
}

/**
 * The status line of a workbench screen: its last non-blank row (the frame leaves the terminal's last
 * row empty). It holds `sandbox: …` and the agent state, or a transient message instead.
 */
export function statusLine(screen: string): string {
	return screen.split('\n').findLast((line) => line.trim() !== '') ?? '';
}

/** The session id shown in the status line. */
export function sessionIdOf(screen: string): string {
	const id = /\b(\d{8}-\d{6}-[0-9a-f]{6})\b/.exec(screen.split('\n').find((line) => line.includes(STATUS_MARK)) ?? '')?.[1];
	if (!id) throw new Error(`no session id in the status line:\n${screen}`);
	return id;
}

/** How often `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
	return haystack.split(needle).length - 1;
}

export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
