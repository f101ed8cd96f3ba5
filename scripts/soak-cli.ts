// The CLI's training command for a long run, in this process: does its memory level off?
// Numbers, not a test. Samples this process's resident memory and V8 heap at the progress lines
// (at most every 2 s) while runTrainCommand (the CLI's own code, run loop and snapshots included)
// trains, which holds the thread between them, then prints the
// samples by step and the growth over the first and the last third.
//   npx tsx scripts/soak-cli.ts [steps, default 100000] [more CLI flags, e.g. --backend wasm]

import { runTrainCommand } from '../src/cli/trainCommand';

const steps = process.argv[2] ?? '100000';
const samples: { s: number; rss: number; heap: number; line: string }[] = [];
let lastLine = '';
const t0 = performance.now();
const sample = () => {
  const m = process.memoryUsage();
  samples.push({ s: (performance.now() - t0) / 1000, rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20, line: lastLine });
};
sample();
const code = await runTrainCommand(['--steps', steps, '--snapshotEvery', '500', ...process.argv.slice(3)], (line) => {
  lastLine = line;
  if ((performance.now() - t0) / 1000 - samples.at(-1)!.s >= 2) sample();
});
sample();
console.log(`soak: ${steps} steps of the CLI's train command (${process.argv.slice(3).join(' ') || 'default network, SIMD engine'}), exit ${code}, ${samples.at(-1)!.s.toFixed(0)} s`);
console.log('   s   RSS MiB  heap MiB  last progress line');
const shown = samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0 || i === samples.length - 1);
for (const x of shown) console.log(`${x.s.toFixed(0).padStart(4)}  ${x.rss.toFixed(0).padStart(8)}  ${x.heap.toFixed(1).padStart(8)}  ${x.line.slice(0, 90)}`);
const third = Math.max(1, Math.floor(samples.length / 3));
const growth = (a: (typeof samples)[number], b: (typeof samples)[number]) => `${(b.rss - a.rss).toFixed(1)} MiB RSS, ${(b.heap - a.heap).toFixed(1)} MiB heap over ${(b.s - a.s).toFixed(0)} s`;
console.log(`first third: ${growth(samples[0], samples[third])}; last third: ${growth(samples[samples.length - 1 - third], samples.at(-1)!)}`);
