// (e) Launch → first stable interactive frame, and RSS after start. Orbit is started from a shell
// already running in a 120×40 tmux pane (`exec node dist/cli.js` typed at the prompt; the clock starts
// when Enter is sent) and the screen is watched until it shows the whole frame — the Thread, Context
// and Plan titles, the `ForNextTurn ›` input line and `idle` on the status line — and the next capture
// is identical. The time is that of the first of the two identical captures. VmRSS of the node
// process is read at that moment. Baselines: `node -e 0` spawned from this process (spawn → exit), and
// typed at the same shell prompt (Enter → the next prompt). Each run waits for a quiet machine first
// (machineBusyBeforeMax: the busiest of those one-second samples, as a fraction of all cores).
import { spawn } from 'node:child_process';
import { isReadyFrame, median, rssMb, startRig, waitForQuiet } from './tui-harness.ts';
import { round } from './stats.ts';

export async function benchTuiLaunch(runs = 10) {
	const launchMs: number[] = [];
	const rss: number[] = [];
	const polls: number[] = [];
	const busyBefore: number[] = [];
	for (let run = 0; run < runs; run += 1) {
		busyBefore.push(await waitForQuiet());
		const rig = await startRig();
		try {
			const start = await rig.launch();
			let candidate: { lines: string[]; at: number } | undefined;
			const stable = await rig.waitScreen(
				(lines) => {
					const same = candidate !== undefined && lines.join('\n') === candidate.lines.join('\n');
					if (same) return true;
					candidate = isReadyFrame(lines) ? { lines, at: performance.now() } : undefined;
					return false;
				},
				15_000,
				'the first stable frame',
				1,
			);
			launchMs.push(candidate!.at - start);
			polls.push(stable.polls);
			rss.push(rssMb(await rig.orbitPid()));
		} finally {
			await rig.close();
		}
	}

	const nodeSpawn: number[] = [];
	for (let run = 0; run < runs; run += 1) nodeSpawn.push(await spawnToExit(process.execPath, ['-e', '0']));
	const nodeInPane: number[] = [];
	const rig = await startRig();
	try {
		for (let run = 0; run < runs; run += 1) nodeInPane.push(await rig.run(`${process.execPath} -e 0`));
	} finally {
		await rig.close();
	}

	return {
		runs,
		launchMedianMs: round(median(launchMs)),
		launchMinMs: round(Math.min(...launchMs)),
		launchMaxMs: round(Math.max(...launchMs)),
		rssMedianMb: round(median(rss), 1),
		nodeSpawnToExitMedianMs: round(median(nodeSpawn)),
		nodeInPaneMedianMs: round(median(nodeInPane)),
		launchMs: launchMs.map((value) => round(value, 1)),
		rssMb: rss.map((value) => round(value, 1)),
		screenPollsMedian: median(polls),
		machineBusyBeforeMax: Math.max(...busyBefore),
	};
}

function spawnToExit(command: string, args: string[]): Promise<number> {
	return new Promise((resolveExit, reject) => {
		const start = performance.now();
		// The pane's environment, not ours: a NODE_EXTRA_CA_CERTS here alone adds ~170 ms to a node start.
		const child = spawn(command, args, { stdio: 'ignore', env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8' } });
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} did not exit within 10 s`));
		}, 10_000);
		child.on('error', reject);
		child.on('exit', () => {
			clearTimeout(timer);
			resolveExit(performance.now() - start);
		});
	});
}
