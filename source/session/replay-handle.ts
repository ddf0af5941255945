import type { AgentHandle } from '../builder.ts';
import type { Listener, RuntimeEvent } from '../runtime/events.ts';
import type { ReplayPlayer } from './replay.ts';
import type { SessionLog } from './read-log.ts';
import type { ReplayView } from './replay-view.ts';

/** What the replay host is told when someone tries to change a replay. */
export const REPLAY_READ_ONLY = 'This is a replay of a recorded session: nothing is sent to a model and nothing runs. Start orbit to work with an agent.';

/**
 * An AgentHandle over a recorded session, for a host built for live agents (the TUI): it reads the
 * `view` the player feeds, and refuses every change — `post`, `trigger`, removing and re-prioritising
 * items call `refuse` with REPLAY_READ_ONLY and do nothing else; `abort` pauses the playback.
 * `subscribe` hears the events as they are played; `done` resolves once the recorded `session-end`
 * is played (never, for a log without one); `whenIdle` once the playback is over. `stop()` stops the player.
 */
export function createReplayHandle(session: SessionLog, view: ReplayView, player: ReplayPlayer, refuse: (text: string) => void): {
	handle: AgentHandle;
	/** Feed each played event here (after `view.apply`). */
	publish(event: RuntimeEvent): void;
} {
	const listeners = new Set<Listener>();
	let ended: ((event: RuntimeEvent) => void) | undefined;
	const done = new Promise<RuntimeEvent>((resolve) => (ended = resolve));
	const refused = () => {
		refuse(REPLAY_READ_ONLY);
		return false;
	};
	const handle: AgentHandle = {
		sessionId: session.header.sessionId,
		root: session.header.root,
		post: () => void refused(),
		trigger: () => void refused(),
		abort: () => player.pause(),
		removeItem: refused,
		reprioritizeItem: refused,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		state: view.state,
		plan: view.plan,
		bucket: view.bucket,
		usage: view.usage,
		cost: view.cost,
		lastLoopEnd: view.lastLoopEnd,
		whenIdle: () => player.finished,
		async stop() {
			player.stop();
		},
		done,
	};
	return {
		handle,
		publish(event) {
			for (const listener of [...listeners]) listener(event);
			if (event.type === 'session-end') ended?.(event);
		},
	};
}
