// `npm run bench`: runs every benchmark and prints one JSON object per benchmark.
// Record the figures in bench/README.md by hand, with the machine they came from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchFirstRequest } from './first-request.ts';
import { benchInterruptLatency } from './interrupt-latency.ts';
import { benchTurnOverhead } from './turn-overhead.ts';

const results: Record<string, unknown> = {
	machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
	interruptLatency: await benchInterruptLatency(),
	turnOverhead: await benchTurnOverhead(),
	firstRequest: await benchFirstRequest(),
};
for (const [name, value] of Object.entries(results)) console.log(`${name}: ${JSON.stringify(value)}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
