// (f) A 3,000-line Markdown answer streamed as fast as the socket allows, and (g) a 600-line answer
// paced at 100 SSE events per second. Orbit runs in a 120×40 tmux pane against the fake server; the
// prompt is typed, the clock and the CPU counters start when Enter is sent, and the screen is watched
// until the answer's last line (a unique marker) is visible. CPU is utime + stime of the orbit node
// process (all its threads) from /proc/<pid>/stat; bytes are what it passed to write(2) (/proc/<pid>/io
// wchar — terminal output, plus the small request body). Each run waits for a quiet machine first;
// machineCpuS is what every process on the machine used in the same interval, to show interference.
import { cpuSeconds, cpuTimes, isReadyFrame, machineBusySeconds, median, startRig, waitForQuiet, writtenBytes } from './tui-harness.ts';
import { round } from './stats.ts';

/**
 * `count` lines of realistic Markdown, every line distinct: sections with headings, paragraphs (some
 * wider than the Thread pane, so they wrap), bullet and numbered lists, quotes, and TypeScript code
 * fences. Every line is distinct except the blank lines between blocks and the closing fences (which
 * Markdown cannot vary). The last line is `marker`. Deterministic.
 */
export function markdownAnswer(count: number, marker: string): string[] {
	const words = ['the', 'store', 'renders', 'each', 'frame', 'from', 'a', 'snapshot', 'so', 'streaming', 'tokens', 'never', 'touch', 'React', 'state', 'directly', 'and', 'layout', 'is', 'cached', 'per', 'block', 'width', 'revision', 'while', 'older', 'entries', 'stay', 'off', 'screen'];
	let seed = 7;
	const next = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed;
	};
	const sentence = (n: number, length: number) => {
		const picked: string[] = [];
		for (let i = 0; i < length; i += 1) picked.push(words[next() % words.length]!);
		return `${picked.join(' ')} (${n}).`;
	};
	const lines: string[] = [];
	let section = 0;
	while (lines.length < count - 1) {
		section += 1;
		const n = () => lines.length + 1;
		lines.push(`## ${section}. Section ${section}: how part ${section} of the system works`, '');
		lines.push(`Paragraph ${n()}: ${sentence(n(), 8 + (next() % 18))} It uses \`value${section}\` and **bold ${section}** text.`);
		lines.push(`${sentence(n(), 6 + (next() % 10))} See _note ${section}_ for details.`, '');
		for (let item = 1; item <= 4; item += 1) lines.push(`- item ${section}.${item}: ${sentence(n(), 3 + (next() % 7))}`);
		lines.push('');
		for (let step = 1; step <= 3; step += 1) lines.push(`${step}. step ${section}.${step} — ${sentence(n(), 4 + (next() % 6))}`);
		lines.push('', `\`\`\`ts title=compute${section}.ts`);
		lines.push(`export function compute${section}(input: number[]): number {`);
		lines.push(`\tconst total${section} = input.reduce((sum, value) => sum + value * ${section}, 0);`);
		lines.push(`\tif (total${section} > ${section * 100}) return total${section} / ${section + 1}; // line ${n()}`);
		lines.push(`\treturn Math.max(0, total${section} - ${section}); // "${section}"`);
		lines.push(`} // end of compute${section}`, '```', '');
		lines.push(`> Quote ${section}: ${sentence(n(), 5 + (next() % 8))}`, '');
	}
	const body = lines.slice(0, count - 1);
	// A code fence left open would swallow the marker line; close it first.
	if (body.filter((line) => line.startsWith('```')).length % 2 === 1) body[body.length - 1] = '```';
	return [...body, marker];
}

/**
 * The answer as SSE content deltas, two per line: its halves, the newline at the end of the second
 * (a blank line is sent as a space and the newline).
 */
export function halfLineChunks(lines: string[]): string[] {
	const chunks: string[] = [];
	for (const [index, line] of lines.entries()) {
		const text = line === '' ? ' ' : line;
		const cut = Math.ceil(text.length / 2);
		const end = index === lines.length - 1 ? '' : '\n';
		chunks.push(text.slice(0, cut), text.slice(cut) + end);
	}
	return chunks;
}

interface StreamRun {
	wallMs: number;
	cpuS: number;
	/** Of `cpuS`, the part spent in the kernel (writing to the terminal, mostly). */
	systemS: number;
	writtenMb: number;
	/** CPU seconds of every process on the machine in the same interval (orbit, tmux, this process, anything else). */
	machineCpuS: number;
	/** CPU seconds of this process (the fake server and the screen watcher) and of the tmux server in the interval. */
	benchCpuS: number;
	tmuxCpuS: number;
	busyBefore: number;
}

/** One run: fresh orbit, wait for the first frame, type the prompt, Enter, poll until `marker` shows. */
async function streamOnce(chunks: string[], chunkDelayMs: number, marker: string, pollPauseMs: number, timeoutMs: number): Promise<StreamRun> {
	const busyBefore = await waitForQuiet();
	const rig = await startRig();
	try {
		await rig.launch();
		await rig.waitScreen(isReadyFrame, 15_000, 'the first frame', 5);
		const pid = await rig.orbitPid();
		rig.fake.script({ text: chunks, chunkDelayMs });
		await rig.control.type('go');
		await rig.waitScreen((lines) => lines.some((line) => line.startsWith('ForNextTurn › go')), 5_000, 'the prompt to echo', 2);
		await new Promise((resolvePause) => setTimeout(resolvePause, 100));
		const cpuBefore = cpuSeconds(pid);
		const systemBefore = cpuTimes(pid).system;
		const bytesBefore = writtenBytes(pid);
		const machineBefore = machineBusySeconds();
		const benchBefore = process.cpuUsage();
		const tmuxBefore = cpuSeconds(rig.tmuxPid);
		const start = performance.now();
		await rig.control.keys('Enter');
		const seen = await rig.waitScreen((lines) => lines.some((line) => line.includes(marker)), timeoutMs, marker, pollPauseMs);
		const cpuS = cpuSeconds(pid) - cpuBefore;
		const systemS = cpuTimes(pid).system - systemBefore;
		const machineCpuS = machineBusySeconds() - machineBefore;
		const bench = process.cpuUsage(benchBefore);
		const tmuxCpuS = cpuSeconds(rig.tmuxPid) - tmuxBefore;
		return { wallMs: seen.at - start, cpuS, systemS, writtenMb: (writtenBytes(pid) - bytesBefore) / 1e6, machineCpuS, benchCpuS: (bench.user + bench.system) / 1e6, tmuxCpuS, busyBefore };
	} finally {
		await rig.close();
	}
}

function summarise(runs: StreamRun[], extra: Record<string, unknown>) {
	return {
		runs: runs.length,
		...extra,
		wallMedianMs: round(median(runs.map((run) => run.wallMs))),
		cpuMedianS: round(median(runs.map((run) => run.cpuS))),
		writtenMedianMb: round(median(runs.map((run) => run.writtenMb))),
		wallMs: runs.map((run) => round(run.wallMs, 1)),
		cpuS: runs.map((run) => round(run.cpuS)),
		systemS: runs.map((run) => round(run.systemS)),
		machineCpuS: runs.map((run) => round(run.machineCpuS)),
		benchCpuS: runs.map((run) => round(run.benchCpuS)),
		tmuxCpuS: runs.map((run) => round(run.tmuxCpuS)),
		machineBusyBeforeMax: Math.max(...runs.map((run) => run.busyBefore)),
	};
}

/** (f) 3,000 lines, no delay between SSE events. */
export async function benchTuiBurst(runs = 5) {
	const marker = 'END-OF-ANSWER-3000';
	const chunks = halfLineChunks(markdownAnswer(3_000, marker));
	const results: StreamRun[] = [];
	for (let run = 0; run < runs; run += 1) results.push(await streamOnce(chunks, 0, marker, 0, 60_000));
	return summarise(results, { lines: 3_000, sseContentEvents: chunks.length, chars: chunks.join('').length });
}

/** (g) 600 lines, half a line per SSE event, 10 ms between events (~100 events/s, ~12 s). */
export async function benchTuiPaced(runs = 3) {
	const marker = 'END-OF-ANSWER-600';
	const chunks = halfLineChunks(markdownAnswer(600, marker));
	const results: StreamRun[] = [];
	for (let run = 0; run < runs; run += 1) results.push(await streamOnce(chunks, 10, marker, 5, 60_000));
	return summarise(results, { lines: 600, sseContentEvents: chunks.length, chunkDelayMs: 10 });
}
