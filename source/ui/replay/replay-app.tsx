import type { Key } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import type { AgentHandle } from '../../builder.ts';
import type { ReplayPlayer, ReplayStatus } from '../../session/replay.ts';
import { App, type WorkbenchInfo } from '../app.tsx';
import type { UiStore } from '../store/ui-store.ts';

export interface ReplayAppProps {
	agent: AgentHandle;
	store: UiStore;
	player: ReplayPlayer;
	/** The recorded model's name. */
	model: string;
	runCommand(line: string): void;
}

/**
 * What the status line says of a replay, in the slot a live session uses for its permission mode:
 * the speed, how far it got (whole percent), and the keys. Pure.
 */
export function replayLabel(status: ReplayStatus): string {
	if (status.finished) return 'replay ended · /export · Ctrl+C twice quits';
	const percent = status.total === 0 ? 100 : Math.floor((status.played / status.total) * 100);
	const speed = `${formatSpeed(status.speed)}×`;
	if (status.paused) return `replay paused ${percent}% at ${speed} · space resumes`;
	return `replay ${speed} ${percent}% · +/- speed · space pause`;
}

export function formatSpeed(speed: number): string {
	return Number.isInteger(speed) ? String(speed) : String(Number(speed.toFixed(2)));
}

/** Replay's keys (while the draft is empty). */
const REPLAY_KEYS: Record<string, (player: ReplayPlayer) => void> = {
	'+': (player) => player.faster(),
	'=': (player) => player.faster(),
	'-': (player) => player.slower(),
	' ': (player) => player.togglePause(),
	'>': (player) => player.skipToEnd(),
};

/**
 * The workbench showing a recorded session: the live App, fed by the player, with replay's keys
 * while the draft is empty — `+`/`=` faster, `-` slower, space pause/resume, `>` to the end — and the
 * replay's state in the status line. Typed lines other than slash commands are refused by the handle.
 */
export function ReplayApp({ agent, store, player, model, runCommand }: ReplayAppProps) {
	const [label, setLabel] = useState(() => replayLabel(player.status()));
	// The label changes at most ~100 times per replay (whole percents); React skips equal strings.
	useEffect(() => player.onChange(() => setLabel(replayLabel(player.status()))), [player]);
	const onKey = useCallback(
		(input: string, _key: Key): boolean => {
			// Keys pressed quickly can arrive together ("+++"): each counts.
			const keys = [...input];
			if (keys.length === 0 || !keys.every((key) => Object.hasOwn(REPLAY_KEYS, key))) return false;
			for (const key of keys) REPLAY_KEYS[key]!(player);
			return true;
		},
		[player],
	);
	const info: WorkbenchInfo = { model, permission: label, sandbox: 'n/a', connected: true };
	return <App agent={agent} store={store} info={info} runCommand={runCommand} onKey={onKey} />;
}
