// `npm run bench`: runs every benchmark and prints one JSON object per benchmark.
// `npm run bench -- tui` (or any part of a benchmark's name) runs only the benchmarks whose name matches.
// Record the figures in bench/README.md by hand, with the machine they came from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchAgentMdDiscovery } from './agent-md-discovery.ts';
import { benchCheckpoint } from './checkpoint.ts';
import { benchFileWatch } from './file-watch.ts';
import { benchFirstRequest } from './first-request.ts';
import { benchInterruptLatency } from './interrupt-latency.ts';
import { benchMemorySearch } from './memory-search.ts';
import { benchSandboxOverhead } from './sandbox-overhead.ts';
import { benchSessionResume } from './session-resume.ts';
import { benchTurnOverhead } from './turn-overhead.ts';
import { buildInfo, staleBuildWarning, tuiUnavailable } from './tui-harness.ts';
import { benchTuiKeystroke } from './tui-keystroke.ts';
import { benchTuiLaunch } from './tui-launch.ts';
import { benchTuiBurst, benchTuiPaced } from './tui-stream.ts';

const benchmarks: [string, () => Promise<unknown>][] = [
	['interruptLatency', () => benchInterruptLatency()],
	['turnOverhead', () => benchTurnOverhead()],
	['firstRequest', () => benchFirstRequest()],
	['sandboxOverhead', () => benchSandboxOverhead()],
	['fileWatch', () => benchFileWatch()],
	['memorySearch', () => benchMemorySearch()],
	['agentMdDiscovery', () => benchAgentMdDiscovery()],
	['sessionResume', () => benchSessionResume()],
	['checkpoint', () => benchCheckpoint()],
	// The TUI benchmarks drive dist/cli.js in tmux (see bench/README.md); `npm run bench` builds nothing.
	['tuiLaunch', () => benchTuiLaunch()],
	['tuiBurst3000', () => benchTuiBurst()],
	['tuiPaced600', () => benchTuiPaced()],
	['tuiKeystroke', () => benchTuiKeystroke()],
];

const filters = process.argv.slice(2).map((filter) => filter.toLowerCase());
const selected = benchmarks.filter(([name]) => filters.length === 0 || filters.some((filter) => name.toLowerCase().includes(filter)));
if (selected.length === 0) {
	console.error(`bench: no benchmark matches ${filters.join(', ')}; the benchmarks are ${benchmarks.map(([name]) => name).join(', ')}`);
	process.exit(2);
}
if (selected.some(([name]) => name.startsWith('tui'))) {
	const reason = tuiUnavailable();
	if (reason) {
		console.error(`bench: cannot run the TUI benchmarks: ${reason}`);
		process.exit(1);
	}
	const stale = staleBuildWarning();
	if (stale) console.error(`bench: warning: ${stale}`);
}

// Ctrl+C: exit normally so the tmux fixture's exit hook kills the private tmux servers (and orbit with them).
process.once('SIGINT', () => process.exit(130));

const results: Record<string, unknown> = {
	machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg().map((value) => Math.round(value * 100) / 100), ...buildInfo() },
};
console.log(`machine: ${JSON.stringify(results.machine)}`);
for (const [name, run] of selected) {
	results[name] = await run();
	console.log(`${name}: ${JSON.stringify(results[name])}`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
