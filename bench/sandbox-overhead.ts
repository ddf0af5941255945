// (d) Per-command overhead of the shell sandbox: the shell tool's start of `true` under bubblewrap
// (`startSandboxed` with the real spawn from `detectSandbox`, process-limit cgroup included when
// root) against the plain spawn it replaces (`bash -c true`), interleaved so drift in machine load
// hits all alike. Also the variants that show where the time goes, and as root the cgroup entry
// Orbit used before (the whole `sh` through `cgroup.procs`). Waits for a quiet machine first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSandbox } from '../source/sandbox/detect-sandbox.ts';
import { type SandboxSpawn, startSandboxed } from '../source/sandbox/sandbox.ts';
import { percentile, round } from './stats.ts';
import { machineBusySeconds, waitForQuiet } from './tui-harness.ts';

/** Wall time from the start of `spawned` (the direct way when it has one) to its exit. */
function timeSpawn(spawned: SandboxSpawn, cwd: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const child = startSandboxed(spawned, (file, args) => spawn(file, args, { cwd, stdio: 'ignore' }));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${spawned.file} exited with ${code}`))));
	});
}

/** CPU time (user + system, ms) of this process's waited-for children so far, from /proc/self/stat (10 ms ticks). */
function childrenCpuMs(): number {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** CPU time (ms) of this process and its waited-for children so far. */
function ownCpuMs(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000 + childrenCpuMs();
}

/** CPU time of the children per run of `spawned`: less sensitive than wall time to other load on the machine. */
async function cpuPerRun(spawned: SandboxSpawn, cwd: string, runs: number): Promise<number> {
	const before = childrenCpuMs();
	for (let run = 0; run < runs; run += 1) await timeSpawn(spawned, cwd);
	return (childrenCpuMs() - before) / runs;
}

export async function benchSandboxOverhead(runs = 60) {
	const detection = await detectSandbox();
	if (!detection.sandbox) return { skipped: `no sandbox: ${detection.reason}` };
	const root = mkdtempSync(join(tmpdir(), 'orbit-bench-sandbox-'));
	const wrapped = detection.sandbox.wrap('exec 2>&1; true', { cwd: root, root, network: false });
	const { bwrap, pidsCgroup } = detection.sandbox.layout;
	// As root `file args` is `sh -c <enter the cgroup> <tasks> bwrap …`: the bwrap part alone is what a non-root user pays.
	const bwrapArgs = wrapped.file === bwrap ? wrapped.args : wrapped.args.slice(wrapped.args.indexOf(bwrap) + 1);
	const variants: Record<string, SandboxSpawn | undefined> = {
		plain: { file: 'bash', args: ['-c', 'exec 2>&1; true'] },
		sandboxed: wrapped,
		// bwrap with a user namespace and nothing else: the floor any bubblewrap sandbox pays.
		bwrapMinimal: { file: bwrap, args: ['--unshare-user', '--ro-bind', '/', '/', 'bash', '-c', 'true'] },
		withoutCgroup: { file: bwrap, args: bwrapArgs },
		// As root: `file args` alone, `sh` entering the cgroup first (how a git hook starts the sandbox).
		shEntry: wrapped.direct === undefined ? undefined : { file: wrapped.file, args: wrapped.args },
		// As root: the entry before, the whole `sh` through cgroup.procs (the kernel's global threadgroup lock).
		wholeProcessEntry: pidsCgroup === undefined ? undefined : { file: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', join(pidsCgroup, 'cgroup.procs'), bwrap, ...bwrapArgs] },
	};
	const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
	const cpu = { plainCpuMs: Number.NaN, sandboxedCpuMs: Number.NaN };
	let busyBeforePct = Number.NaN;
	let otherCpuPct = Number.NaN;
	try {
		busyBeforePct = Math.round((await waitForQuiet()) * 100);
		const machineBefore = machineBusySeconds();
		const ownBefore = ownCpuMs();
		const startedAt = performance.now();
		for (let run = 0; run < runs + 5; run += 1) {
			for (const [name, spawned] of Object.entries(variants)) {
				if (spawned === undefined) continue;
				const time = await timeSpawn(spawned, root);
				if (run >= 5) times[name]!.push(time); // 5 warm-up runs
			}
		}
		const otherCpuMs = (machineBusySeconds() - machineBefore) * 1000 - (ownCpuMs() - ownBefore);
		otherCpuPct = round((100 * Math.max(0, otherCpuMs)) / ((performance.now() - startedAt) * cpus().length), 1);
		cpu.plainCpuMs = round(await cpuPerRun(variants.plain!, root, runs));
		cpu.sandboxedCpuMs = round(await cpuPerRun(wrapped, root, runs));
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
	const plain = times.plain!;
	const median = (name: string) => round(percentile(times[name]!, 50));
	const overheads = (name: string) => times[name]!.map((time, index) => time - plain[index]!);
	const overheadMedian = (name: string) => (times[name]!.length === 0 ? undefined : round(percentile(overheads(name), 50)));
	return {
		runs,
		plainMedianMs: median('plain'),
		sandboxedMedianMs: median('sandboxed'),
		overheadMedianMs: overheadMedian('sandboxed'),
		overheadP95Ms: round(percentile(overheads('sandboxed'), 95)),
		bwrapMinimalMedianMs: median('bwrapMinimal'),
		// Overheads over plain, paired run by run, of the variants.
		withoutCgroupOverheadMedianMs: overheadMedian('withoutCgroup'),
		shEntryOverheadMedianMs: overheadMedian('shEntry'),
		wholeProcessEntryOverheadMedianMs: overheadMedian('wholeProcessEntry'),
		// CPU time of the child processes per command, plain and sandboxed.
		...cpu,
		// The machine's busy share just before the runs, and the CPU used outside this process and its
		// children during them (% of all cores). The second includes the kernel's own deferred work for
		// the sandboxes (namespace teardown in kernel threads): ≈ 18 % on an otherwise idle machine.
		busyBeforePct,
		otherCpuPct,
		processLimit: detection.processLimit,
		bwrapVersion: detection.version,
	};
}
