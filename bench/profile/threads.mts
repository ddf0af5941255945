// CPU seconds per thread of orbit (dist/cli.js, in tmux at 120×40) while it shows a streamed answer:
// the main thread against V8's helper threads (GC, compiler). Not part of `npm run bench`. Usage:
//   node --import tsx bench/profile/threads.mts [lines=600] [ms between SSE events=10]
// NODEARGS="--single-threaded" (node options) and ARGS (orbit's) are passed to the launch.
import { readdirSync, readFileSync } from 'node:fs';
import { isReadyFrame, startRig } from '../tui-harness.ts';
import { halfLineChunks, markdownAnswer } from '../tui-stream.ts';
const count = Number(process.argv[2] ?? 600), delay = Number(process.argv[3] ?? 10);
const rig = await startRig({ args: (process.env.ARGS ?? '').split(' ').filter(Boolean), nodeArgs: (process.env.NODEARGS ?? '').split(' ').filter(Boolean) });
await rig.launch();
await rig.waitScreen(isReadyFrame, 15_000, 'first frame', 5);
const pid = await rig.orbitPid();
const threads = () => Object.fromEntries(readdirSync(`/proc/${pid}/task`).map((tid) => { const s = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'); const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return [`${tid} ${comm}`, (Number(f[11]) + Number(f[12])) / 100]; }));
const marker = 'END-OF-ANSWER-MARKER';
rig.fake.script({ text: halfLineChunks(markdownAnswer(count, marker)), chunkDelayMs: delay });
await rig.control.type('go');
await new Promise((r) => setTimeout(r, 300));
const before = threads();
await rig.control.keys('Enter');
await rig.waitScreen((lines) => lines.some((line) => line.includes(marker)), 120_000, marker, 5);
const after = threads();
for (const [k, v] of Object.entries(after)) { const d = v - (before[k] ?? 0); if (d > 0) console.log(k, d.toFixed(2)); }
await rig.close();
