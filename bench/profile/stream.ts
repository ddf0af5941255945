// Profiles orbit (dist/cli.js, in tmux at 120×40) while it shows a streamed answer: writes a
// .cpuprofile to <dir>. Not part of `npm run bench`. Usage:
//   ORBIT_BUILD_READABLE=1 npm run build
//   node --import tsx bench/profile/stream.ts [dir] [lines=3000] [ms between SSE events=0]
//   node bench/profile/summarise.mjs [dir] streaming
import { rmSync, mkdirSync } from 'node:fs';
import { isReadyFrame, startRig } from '../tui-harness.ts';
import { halfLineChunks, markdownAnswer } from '../tui-stream.ts';

const dir = process.argv[2] ?? '/tmp/orbit-profile';
const count = Number(process.argv[3] ?? 3000);
const delay = Number(process.argv[4] ?? 0);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const rig = await startRig({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
await rig.launch();
await rig.waitScreen(isReadyFrame, 15_000, 'first frame', 5);
const marker = 'END-OF-ANSWER-MARKER';
rig.fake.script({ text: halfLineChunks(markdownAnswer(count, marker)), chunkDelayMs: delay });
await new Promise((r) => setTimeout(r, 2500));
await rig.control.type('go');
const start = performance.now();
await rig.control.keys('Enter');
const seen = await rig.waitScreen((lines) => lines.some((line) => line.includes(marker)), 120_000, marker, 5);
console.log('wall', Math.round(seen.at - start));
await rig.control.keys('C-c');
await rig.control.keys('C-c');
await new Promise((r) => setTimeout(r, 1500));
await rig.close();
