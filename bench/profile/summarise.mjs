// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function.
//   node bench/profile/summarise.mjs <dir> [start-up|streaming] [rows]
// start-up: only the samples before the first second of idle; streaming: only those after the
// first 2 s of idle (stream.ts waits 2.5 s before it types). Build with ORBIT_BUILD_READABLE=1
// first, or the names are minified.
import { readdirSync, readFileSync } from 'node:fs';

const [dir = '/tmp/orbit-profile', window = 'all', rows = '40'] = process.argv.slice(2);
const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const name = (node) => `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;

/** Index of the sample that ends the first idle stretch of `micros`. */
function afterIdle(micros) {
	let idle = 0;
	for (let index = 0; index < profile.samples.length; index += 1) {
		if (nodes.get(profile.samples[index]).callFrame.functionName !== '(idle)') idle = 0;
		else if ((idle += profile.timeDeltas[index]) > micros) return index;
	}
	return profile.samples.length;
}
const from = window === 'streaming' ? afterIdle(2e6) : 0;
const to = window === 'start-up' ? afterIdle(1e6) : profile.samples.length;

const self = new Map();
const inclusive = new Map();
let total = 0;
for (let index = from; index < to; index += 1) {
	const micros = profile.timeDeltas[index] ?? 0;
	total += micros;
	const leaf = nodes.get(profile.samples[index]);
	self.set(name(leaf), (self.get(name(leaf)) ?? 0) + micros);
	const seen = new Set();
	for (let id = profile.samples[index]; id !== undefined; id = parents.get(id)) {
		const key = name(nodes.get(id));
		if (seen.has(key)) continue;
		seen.add(key);
		inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
	}
}
const print = (title, map) => {
	console.log(`--- ${title}`);
	for (const [key, micros] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) console.log(`${(micros / 1000).toFixed(1).padStart(9)} ms  ${key}`);
};
console.log(`${window}: ${(total / 1000).toFixed(0)} ms of samples`);
print('self', self);
print('inclusive', inclusive);
