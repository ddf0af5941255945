// Shared rig for the TUI benchmarks: the built `orbit` binary in a real tmux pane (120×40) against the
// fake OpenAI server on 127.0.0.1, watched through a tmux control-mode client so a capture or a
// keystroke costs a fraction of a millisecond instead of a tmux process spawn (~10 ms on 2 vCPUs).
import { type ChildProcessWithoutNullStreams, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { type FakeOpenAI, startFakeOpenAI } from '../test/fixtures/fake-openai-server.ts';
import { CLI, createRepo } from '../test/fixtures/run-orbit.ts';
import { checkTmux, startTmux, type TmuxSession } from '../test/fixtures/tmux.ts';

export const WIDTH = 120;
export const HEIGHT = 40;
/** Clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`). */
export const CLK_TCK = clockTicks();

/**
 * Why the TUI benchmarks cannot run here (no built binary, no tmux, no /proc), or undefined when they
 * can. Never throws. The benchmarks run `dist/cli.js` as built; `npm run bench` builds nothing.
 */
export function tuiUnavailable(): string | undefined {
	if (!existsSync(CLI)) return `${CLI} not found — the TUI benchmarks drive the built binary; run \`npm run build\` first.`;
	const tmux = checkTmux();
	if (!tmux.available) return tmux.reason;
	if (!existsSync('/proc/self/stat')) return 'the TUI benchmarks read CPU time and RSS from /proc (Linux only).';
	return undefined;
}

/** A warning when dist/cli.js is older than a source file (the figures would be for an old build); undefined otherwise. */
export function staleBuildWarning(): string | undefined {
	if (!existsSync(CLI)) return undefined;
	const built = statSync(CLI).mtimeMs;
	const root = resolve(import.meta.dirname, '..');
	for (const folder of ['source', 'tools', 'commands', 'themes']) {
		const newer = newestFile(join(root, folder));
		if (newer && newer.mtimeMs > built) return `dist/cli.js is older than ${newer.path.slice(root.length + 1)}; the TUI figures are for the old build (run \`npm run build\`).`;
	}
	return undefined;
}

/** Which code was measured: the commit (with `+dirty` when the tree has changes) and dist/cli.js's size and build time. Never throws. */
export function buildInfo(): { commit?: string; cliJsBytes?: number; cliJsBuiltAt?: string } {
	const root = resolve(import.meta.dirname, '..');
	let commit: string | undefined;
	try {
		const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') === '' ? '' : '+dirty'}`;
	} catch {
		commit = undefined;
	}
	if (!existsSync(CLI)) return { commit };
	const stat = statSync(CLI);
	return { commit, cliJsBytes: stat.size, cliJsBuiltAt: stat.mtime.toISOString() };
}

function newestFile(folder: string): { path: string; mtimeMs: number } | undefined {
	if (!existsSync(folder)) return undefined;
	let newest: { path: string; mtimeMs: number } | undefined;
	for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const path = join(entry.parentPath, entry.name);
		const mtimeMs = statSync(path).mtimeMs;
		if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
	}
	return newest;
}

function clockTicks(): number {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
}

/**
 * A tmux control-mode client (`tmux -C attach`): commands go in on stdin, each answer comes back
 * between `%begin` and `%end`, in order. tmux also announces every write of the program to its pane
 * (`%output`), after it has put it on its screen; `outputs` counts them, so a watcher can capture
 * right after the screen changed instead of spinning.
 */
export class ControlClient {
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly waiting: { resolve(lines: string[]): void; reject(error: Error): void }[] = [];
	private buffer = '';
	private block: { number: string; lines: string[]; mine: boolean } | undefined;
	private closed = false;
	private outputWaiters: (() => void)[] = [];
	/** How many `%output` notifications have arrived. */
	outputs = 0;

	constructor(socket: string) {
		this.child = spawn('tmux', ['-u', '-S', socket, '-C', 'attach', '-f', 'ignore-size'], {
			env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', TERM: 'xterm-256color' },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		this.child.stdout.setEncoding('utf8').on('data', (data: string) => this.read(data));
		this.child.on('exit', () => this.fail(new Error('tmux control client exited')));
		this.child.on('error', (error) => this.fail(error));
	}

	/** Runs one tmux command line; resolves with its output lines; rejects on `%error` or after `timeoutMs`. */
	command(line: string, timeoutMs = 10_000): Promise<string[]> {
		if (this.closed) return Promise.reject(new Error('tmux control client is closed'));
		return new Promise((resolveCommand, reject) => {
			const timer = setTimeout(() => reject(new Error(`tmux control: no answer to "${line}" within ${timeoutMs} ms`)), timeoutMs);
			this.waiting.push({
				resolve: (lines) => {
					clearTimeout(timer);
					resolveCommand(lines);
				},
				reject: (error) => {
					clearTimeout(timer);
					reject(error);
				},
			});
			this.child.stdin.write(`${line}\n`);
		});
	}

	/** The visible screen as `HEIGHT` lines (trailing spaces trimmed by tmux). */
	async screen(): Promise<string[]> {
		return this.command('capture-pane -p');
	}

	/** Types `text` literally (no key-name lookup). */
	async type(text: string): Promise<void> {
		await this.command(`send-keys -l -- ${quote(text)}`);
	}

	/** Sends tmux key names (`Enter`, `C-u`, …). */
	async keys(...names: string[]): Promise<void> {
		await this.command(`send-keys ${names.map(quote).join(' ')}`);
	}

	/** Resolves at the next `%output` after `seen` outputs (at once if it already came), or after `timeoutMs`. */
	nextOutput(seen: number, timeoutMs: number): Promise<void> {
		if (this.outputs > seen || this.closed) return Promise.resolve();
		return new Promise((resolveOutput) => {
			const done = () => {
				clearTimeout(timer);
				this.outputWaiters = this.outputWaiters.filter((waiter) => waiter !== done);
				resolveOutput();
			};
			const timer = setTimeout(done, timeoutMs);
			this.outputWaiters.push(done);
		});
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.child.stdin.end();
		this.child.kill();
	}

	private read(data: string): void {
		this.buffer += data;
		let newline: number;
		while ((newline = this.buffer.indexOf('\n')) >= 0) {
			const line = this.buffer.slice(0, newline).replace(/\r$/, '');
			this.buffer = this.buffer.slice(newline + 1);
			this.line(line);
		}
	}

	private line(line: string): void {
		if (!this.block && line.startsWith('%output ')) {
			this.outputs += 1;
			for (const waiter of this.outputWaiters.slice()) waiter();
			return;
		}
		if (!this.block) {
			const begin = /^%begin \d+ (\d+) (\d+)$/.exec(line);
			if (begin) this.block = { number: begin[1]!, lines: [], mine: (Number(begin[2]) & 1) === 1 };
			return;
		}
		const end = /^%(end|error) \d+ (\d+) \d+$/.exec(line);
		if (end && end[2] === this.block.number) {
			const { lines, mine } = this.block;
			this.block = undefined;
			if (!mine) return;
			const waiter = this.waiting.shift();
			if (end[1] === 'error') waiter?.reject(new Error(`tmux control: ${lines.join(' ')}`));
			else waiter?.resolve(lines);
			return;
		}
		this.block.lines.push(line);
	}

	private fail(error: Error): void {
		this.closed = true;
		for (const waiter of this.waiting.splice(0)) waiter.reject(error);
	}
}

function quote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface OrbitRig {
	fake: FakeOpenAI;
	tmux: TmuxSession;
	control: ControlClient;
	/** Types the orbit command line (`exec node dist/cli.js …`) at the shell prompt and returns the moment Enter was sent (performance.now()). */
	launch(): Promise<number>;
	/** The pid of the orbit node process (after `launch`). */
	orbitPid(): Promise<number>;
	/** The pid of the tmux server (it parses everything orbit writes). */
	tmuxPid: number;
	/** Runs a command line at the shell prompt (before `launch`); resolves with Enter → the next prompt on screen, in ms. */
	run(commandLine: string): Promise<number>;
	/**
	 * Captures the screen until `predicate` holds; returns that screen and when it was seen. A capture
	 * follows each write of the program to the pane (announced by tmux) at once, or 5 ms after the
	 * previous one when nothing was written; `pauseMs` adds a pause after each capture.
	 */
	waitScreen(predicate: (lines: string[]) => boolean, timeoutMs: number, what: string, pauseMs?: number): Promise<{ lines: string[]; at: number; polls: number }>;
	close(): Promise<void>;
}

export interface RigOptions {
	/** orbit's arguments. */
	args?: string[];
	/**
	 * node's own options before the script (`--cpu-prof`, which NODE_OPTIONS does not accept).
	 * Default: BENCH_NODE_ARGS split at spaces (to try V8 flags on any benchmark).
	 */
	nodeArgs?: string[];
	/** Extra environment for the shell and orbit. */
	env?: Record<string, string>;
}

/**
 * A tmux pane (WIDTH×HEIGHT) running an interactive `/bin/sh`, with the fake server's URL in its
 * environment, in a fresh git repository. `launch()` runs `exec node dist/cli.js …args` from that
 * shell. `close()` kills tmux (and orbit with it), the fake server and the repository; never throws.
 */
export async function startRig({ args = [], nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), env: extraEnv = {} }: RigOptions = {}): Promise<OrbitRig> {
	const fake = await startFakeOpenAI();
	const repo = createRepo({ 'README.md': '# bench repo\n', 'src/index.ts': 'export const answer = 42;\n' });
	let tmux: TmuxSession | undefined;
	let control: ControlClient | undefined;
	const close = async () => {
		control?.close();
		await tmux?.kill();
		await fake.close().catch(() => undefined);
		rmSync(repo, { recursive: true, force: true });
	};
	try {
		tmux = await startTmux({
			command: ['/bin/sh'],
			cwd: repo,
			width: WIDTH,
			height: HEIGHT,
			env: { OPENAI_BASE_URL: fake.url, ORBIT_MODEL: 'fake-model', OPENAI_API_KEY: 'sk-fake', PS1: 'bench$ ', ...extraEnv },
		});
		control = new ControlClient(tmux.socket);
		const size = (await control.command("display -p '#{pane_width}x#{pane_height}'"))[0];
		if (size !== `${WIDTH}x${HEIGHT}`) throw new Error(`the pane is ${size}, not ${WIDTH}x${HEIGHT}`);
		const shellPid = Number((await control.command("display -p '#{pane_pid}'"))[0]);
		const tmuxPid = Number((await control.command("display -p '#{pid}'"))[0]);
		const ctl = control;
		let pid = 0;
		const waitScreen: OrbitRig['waitScreen'] = async (predicate, timeoutMs, what, pauseMs = 0) => {
			const deadline = performance.now() + timeoutMs;
			let lines: string[] = [];
			for (let polls = 1; ; polls += 1) {
				const outputs = ctl.outputs;
				lines = await ctl.screen();
				const at = performance.now();
				if (predicate(lines)) return { lines, at, polls };
				if (at > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${lines.join('\n')}`);
				if (pauseMs > 0) await new Promise((resolvePause) => setTimeout(resolvePause, pauseMs));
				// Nothing new was written to the pane since that capture: wait for the next write (or 5 ms, in case).
				await ctl.nextOutput(outputs, 5);
			}
		};
		await waitScreen((lines) => lines.some((line) => line.startsWith('bench$')), 10_000, 'the shell prompt', 5);
		return {
			fake,
			tmux,
			control,
			tmuxPid,
			async launch() {
				const commandLine = ['exec', process.execPath, ...nodeArgs, CLI, ...args].map(shellWord).join(' ');
				await ctl.type(commandLine);
				await waitScreen((lines) => lines.join('').includes(CLI), 5_000, 'the command line to echo', 2);
				const start = performance.now();
				await ctl.keys('Enter');
				return start;
			},
			async orbitPid() {
				if (pid === 0) pid = await findNode(shellPid, 5_000);
				return pid;
			},
			async run(commandLine) {
				const prompts = (lines: string[]) => lines.filter((line) => line.startsWith('bench$')).length;
				const before = prompts(await ctl.screen());
				await ctl.type(commandLine);
				await waitScreen((lines) => lines.join('\n').includes(commandLine), 5_000, 'the command line to echo', 2);
				const start = performance.now();
				await ctl.keys('Enter');
				const { at } = await waitScreen((lines) => prompts(lines) > before, 10_000, 'the next shell prompt');
				return at - start;
			},
			waitScreen,
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The node process under `root` (the pane's first process), once it exists. */
async function findNode(root: number, timeoutMs: number): Promise<number> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const found = descendants(root).find((pid) => readProc(pid, 'comm')?.trim() === 'node');
		if (found) return found;
		if (performance.now() > deadline) throw new Error(`no node process appeared under pid ${root} within ${timeoutMs} ms`);
		await new Promise((resolveWait) => setTimeout(resolveWait, 1));
	}
}

function descendants(root: number): number[] {
	const children = new Map<number, number[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const stat = readProc(Number(name), 'stat');
		if (!stat) continue;
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const list = children.get(ppid) ?? [];
		list.push(Number(name));
		children.set(ppid, list);
	}
	const found: number[] = [];
	const queue = [root];
	while (queue.length > 0) {
		const pid = queue.shift()!;
		for (const child of children.get(pid) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

function readProc(pid: number, file: string): string | undefined {
	try {
		return readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return undefined;
	}
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export function cpuSeconds(pid: number): number {
	const { user, system } = cpuTimes(pid);
	return user + system;
}

/** CPU seconds in user space and in the kernel (all threads) the process has used so far. */
export function cpuTimes(pid: number): { user: number; system: number } {
	const stat = readProc(pid, 'stat');
	if (!stat) throw new Error(`process ${pid} is gone`);
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// After "pid (comm) ", field 3 (state) is index 0, so utime (14) is 11 and stime (15) is 12.
	return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
}

/** VmRSS of the process in MB (10^6 bytes). */
export function rssMb(pid: number): number {
	const status = readProc(pid, 'status') ?? '';
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return (Number(match[1]) * 1024) / 1e6;
}

/** Bytes the process has passed to write(2) and friends (terminal output, mostly). */
export function writtenBytes(pid: number): number {
	const match = /^wchar:\s+(\d+)$/m.exec(readProc(pid, 'io') ?? '');
	return match ? Number(match[1]) : Number.NaN;
}

/** CPU seconds all processes on the machine have used so far (every core; /proc/stat, idle and iowait excluded). */
export function machineBusySeconds(): number {
	const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
	const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
	return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/**
 * Waits (up to `maxWaitMs`, default 120 s or env BENCH_QUIET_WAIT_S) until the whole machine is
 * less than 15 % busy over one second, so other work does not starve the run; resolves with the
 * busy fraction last seen (0–1 of all cores). Never throws; a busy machine only delays the run.
 */
export async function waitForQuiet(maxWaitMs = Number(process.env.BENCH_QUIET_WAIT_S ?? 120) * 1000): Promise<number> {
	const deadline = performance.now() + maxWaitMs;
	const cores = cpus().length;
	for (;;) {
		const before = machineBusySeconds();
		await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
		const busy = (machineBusySeconds() - before) / cores;
		if (busy < 0.15 || performance.now() >= deadline) return Math.round(busy * 100) / 100;
	}
}

/** The full first frame: the three pane titles, the input line and `idle` at the end of the status line. */
export function isReadyFrame(lines: string[]): boolean {
	const text = lines.join('\n');
	return text.includes('│ Thread') && text.includes('│ Context') && text.includes('│ Plan') && lines.some((line) => line.startsWith('ForNextTurn ›')) && lines.some((line) => / · idle$/.test(line));
}

/** The input line's draft as shown (label stripped), or undefined when there is no input line. */
export function inputLine(lines: string[]): string | undefined {
	const line = lines.find((candidate) => candidate.startsWith('ForNextTurn › '));
	return line?.slice('ForNextTurn › '.length);
}

/** Round trip of a bare `tmux capture-pane -p` run as its own process (what a polling test pays). */
export function execCapture(socket: string): Promise<string> {
	return new Promise((resolveCapture, reject) => {
		execFile('tmux', ['-S', socket, 'capture-pane', '-p'], { env: { PATH: process.env.PATH, LANG: 'C.UTF-8' }, timeout: 5_000 }, (error, stdout) => (error ? reject(error) : resolveCapture(stdout)));
	});
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
