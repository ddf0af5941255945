// Profiles orbit's start-up to its first frame (dist/cli.js in tmux): writes a .cpuprofile to <dir>.
// Not part of `npm run bench`. Usage:
//   ORBIT_BUILD_READABLE=1 npm run build
//   node --import tsx bench/profile/launch.ts [dir]
//   node bench/profile/summarise.mjs [dir] start-up
import { mkdirSync, rmSync } from 'node:fs';
import { isReadyFrame, startRig } from '../tui-harness.ts';

const dir = process.argv[2] ?? '/tmp/orbit-profile';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const rig = await startRig({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
const start = performance.now();
await rig.launch();
const seen = await rig.waitScreen(isReadyFrame, 15_000, 'first frame', 2);
console.log('first frame after', Math.round(seen.at - start), 'ms');
await new Promise((r) => setTimeout(r, 2500));
await rig.control.keys('C-c');
await rig.control.keys('C-c');
await new Promise((r) => setTimeout(r, 1500));
await rig.close();
