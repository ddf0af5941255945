// (d) Per-command overhead of the shell sandbox: the shell tool's spawn of `true` under bubblewrap
// (the real argv from `detectSandbox`, cgroup entry included when root) against the plain spawn it
// replaces (`bash -c true`), interleaved so drift in machine load hits both alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSandbox } from '../source/sandbox/detect-sandbox.ts';
import { percentile, round } from './stats.ts';

function timeSpawn(file: string, args: string[], cwd: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const child = spawn(file, args, { cwd, stdio: 'ignore' });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${file} exited with ${code}`))));
	});
}

/** CPU time (user + system, ms) of this process's waited-for children so far, from /proc/self/stat (10 ms ticks). */
function childrenCpuMs(): number {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** CPU time per run of `file args`: less sensitive than wall time to other load on the machine. */
async function cpuPerRun(file: string, args: string[], cwd: string, runs: number): Promise<number> {
	const before = childrenCpuMs();
	for (let run = 0; run < runs; run += 1) await timeSpawn(file, args, cwd);
	return (childrenCpuMs() - before) / runs;
}

export async function benchSandboxOverhead(runs = 60) {
	const detection = await detectSandbox();
	if (!detection.sandbox) return { skipped: `no sandbox: ${detection.reason}` };
	const root = mkdtempSync(join(tmpdir(), 'orbit-bench-sandbox-'));
	const plain: number[] = [];
	const sandboxed: number[] = [];
	const minimal: number[] = [];
	const withoutCgroup: number[] = [];
	const cpu = { plainCpuMs: Number.NaN, sandboxedCpuMs: Number.NaN };
	try {
		const wrapped = detection.sandbox.wrap('exec 2>&1; true', { cwd: root, root, network: false });
		const bwrap = detection.sandbox.layout.bwrap;
		// As root the spawn is `sh -c <enter the cgroup> <procs> bwrap …`: time the bwrap part alone too.
		const bwrapArgs = wrapped.file === bwrap ? wrapped.args : wrapped.args.slice(wrapped.args.indexOf(bwrap) + 1);
		for (let run = 0; run < runs + 5; run += 1) {
			const times = [
				await timeSpawn('bash', ['-c', 'exec 2>&1; true'], root),
				await timeSpawn(wrapped.file, wrapped.args, root),
				await timeSpawn(bwrap, ['--unshare-user', '--ro-bind', '/', '/', 'bash', '-c', 'true'], root),
				await timeSpawn(bwrap, bwrapArgs, root),
			];
			if (run < 5) continue; // warm-up
			plain.push(times[0]!);
			sandboxed.push(times[1]!);
			minimal.push(times[2]!);
			withoutCgroup.push(times[3]!);
		}
		cpu.plainCpuMs = round(await cpuPerRun('bash', ['-c', 'exec 2>&1; true'], root, runs));
		cpu.sandboxedCpuMs = round(await cpuPerRun(wrapped.file, wrapped.args, root, runs));
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
	const overheads = sandboxed.map((time, index) => time - plain[index]!);
	return {
		runs,
		plainMedianMs: round(percentile(plain, 50)),
		sandboxedMedianMs: round(percentile(sandboxed, 50)),
		overheadMedianMs: round(percentile(overheads, 50)),
		overheadP95Ms: round(percentile(overheads, 95)),
		// bwrap with a user namespace and nothing else: the floor any bubblewrap sandbox pays.
		bwrapMinimalMedianMs: round(percentile(minimal, 50)),
		// The same argv without entering the pids cgroup (what a non-root user pays).
		withoutCgroupMedianMs: round(percentile(withoutCgroup, 50)),
		// CPU time of the child processes per command, plain and sandboxed.
		...cpu,
		processLimit: detection.processLimit,
		bwrapVersion: detection.version,
	};
}
