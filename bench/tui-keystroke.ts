// (h) Keystroke echo with a 10,000-entry thread. The thread is filled through real use: one prompt,
// answered by the fake server with `turns` replies of `callsPerTurn` parallel `plan_read` calls each
// (10,000 tool blocks), then a final text; we wait until the agent is idle. Then single characters
// are typed, one at a time, and each is timed from the moment send-keys is issued to the first
// capture whose input line shows it (nothing subtracted; a capture follows each write of orbit to the
// pane, see tui-harness.ts). Keys are spaced (60 ms after each echo) as a person types, so Ink's 30 fps
// render throttle never holds one back. The first 10 keystrokes warm the input path up and are
// reported apart. The same keystrokes on a fresh, empty workbench, and the cost of a bare capture
// (through the control client, and as a `tmux capture-pane` process), are the baselines.
import { cpuSeconds, execCapture, inputLine, isReadyFrame, median, type OrbitRig, rssMb, startRig, waitForQuiet } from './tui-harness.ts';
import { percentile, round } from './stats.ts';

const FILLED = 'FILLED-THREAD-DONE';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Keystrokes typed before the measured ones on each workbench; reported apart (warmupMaxMs). */
const WARMUP = 10;

export async function benchTuiKeystroke(keystrokes = 100, turns = 100, callsPerTurn = 100) {
	const full = await startRig({ args: ['--max-turns', String(turns + 10)] });
	let filled;
	let withThread;
	let floor;
	const busyBefore: number[] = [];
	try {
		await full.launch();
		await full.waitScreen(isReadyFrame, 15_000, 'the first frame', 5);
		filled = await fill(full, turns, callsPerTurn);
		busyBefore.push(await waitForQuiet());
		floor = await captureFloor(full);
		withThread = await typeAndTime(full, keystrokes);
	} finally {
		await full.close();
	}

	const empty = await startRig();
	let withoutThread;
	try {
		await empty.launch();
		await empty.waitScreen(isReadyFrame, 15_000, 'the first frame', 5);
		busyBefore.push(await waitForQuiet());
		withoutThread = await typeAndTime(empty, Math.min(keystrokes, 50));
	} finally {
		await empty.close();
	}

	return {
		threadEntries: turns * callsPerTurn,
		keystrokes,
		p50Ms: round(percentile(withThread.times, 50)),
		p95Ms: round(percentile(withThread.times, 95)),
		maxMs: round(Math.max(...withThread.times)),
		warmupMaxMs: round(Math.max(...withThread.warmup)),
		slowestMs: [...withThread.times].sort((a, b) => b - a).slice(0, 8).map((time) => round(time, 1)),
		emptyThreadKeystrokes: withoutThread.times.length,
		emptyThreadP50Ms: round(percentile(withoutThread.times, 50)),
		emptyThreadP95Ms: round(percentile(withoutThread.times, 95)),
		emptyThreadWarmupMaxMs: round(Math.max(...withoutThread.warmup)),
		emptyThreadSlowestMs: [...withoutThread.times].sort((a, b) => b - a).slice(0, 5).map((time) => round(time, 1)),
		...floor,
		...filled,
		machineBusyBeforeMax: Math.max(...busyBefore),
	};
}

/** Sends the prompt and waits for the scripted tool turns and the final text; returns what it cost. */
async function fill(rig: OrbitRig, turns: number, callsPerTurn: number) {
	for (let turn = 0; turn < turns; turn += 1) {
		rig.fake.script({ toolCalls: Array.from({ length: callsPerTurn }, () => ({ name: 'plan_read', arguments: {} })), usage: null });
	}
	rig.fake.script({ text: `All ${turns * callsPerTurn} reads done. ${FILLED}`, usage: null });
	const pid = await rig.orbitPid();
	await rig.control.type('read the plan many times');
	await rig.waitScreen((lines) => inputLine(lines) === 'read the plan many times', 5_000, 'the prompt to echo', 2);
	const cpuBefore = cpuSeconds(pid);
	const start = performance.now();
	await rig.control.keys('Enter');
	await rig.waitScreen((lines) => lines.some((line) => line.includes(FILLED)) && lines.some((line) => / · idle$/.test(line)), 20 * 60_000, `${FILLED} and idle`, 100);
	const fillSeconds = round((performance.now() - start) / 1000, 1);
	const fillCpuS = round(cpuSeconds(pid) - cpuBefore);
	if (rig.fake.pending() !== 0) throw new Error(`the fill stopped early: ${rig.fake.pending()} scripted replies left`);
	const last = rig.fake.requests.at(-1)?.body as { messages?: { role: string }[] } | undefined;
	const toolResults = last?.messages?.filter((message) => message.role === 'tool').length ?? 0;
	if (toolResults !== turns * callsPerTurn) throw new Error(`the last request carried ${toolResults} tool results, not ${turns * callsPerTurn}`);
	return { fillSeconds, fillCpuS, fillRequests: rig.fake.requests.length, toolResultsInLastRequest: toolResults, rssAfterFillMb: round(rssMb(pid), 1) };
}

/**
 * Types `warmup + count` characters one at a time (clearing the draft with Ctrl+U every 50); returns
 * each one's send-keys → visible time in ms, the first `warmup` (the input path's first run: JIT,
 * lazy code) apart.
 */
async function typeAndTime(rig: OrbitRig, count: number, warmup = WARMUP): Promise<{ times: number[]; warmup: number[] }> {
	const times: number[] = [];
	let draft = '';
	for (let index = 0; index < warmup + count; index += 1) {
		if (draft.length === 50) {
			await rig.control.keys('C-u');
			await rig.waitScreen((lines) => inputLine(lines)?.includes('type a message') === true, 5_000, 'an empty draft', 2);
			draft = '';
			await pause(60);
		}
		const key = LETTERS[index % LETTERS.length]!;
		draft += key;
		const expected = draft;
		const start = performance.now();
		await rig.control.type(key);
		const seen = await rig.waitScreen((lines) => inputLine(lines) === expected, 5_000, `"${expected}" in the input line`);
		times.push(seen.at - start);
		await pause(60);
	}
	return { warmup: times.slice(0, warmup), times: times.slice(warmup) };
}

/** What one look at the screen costs: a capture through the control client, and as its own tmux process. */
async function captureFloor(rig: OrbitRig) {
	const control: number[] = [];
	for (let index = 0; index < 200; index += 1) {
		const start = performance.now();
		await rig.control.screen();
		control.push(performance.now() - start);
	}
	const exec: number[] = [];
	for (let index = 0; index < 50; index += 1) {
		const start = performance.now();
		await execCapture(rig.tmux.socket);
		exec.push(performance.now() - start);
	}
	return {
		captureControlP50Ms: round(median(control), 3),
		captureControlP95Ms: round(percentile(control, 95), 3),
		captureExecP50Ms: round(median(exec)),
	};
}

function pause(ms: number): Promise<void> {
	return new Promise((resolvePause) => setTimeout(resolvePause, ms));
}
