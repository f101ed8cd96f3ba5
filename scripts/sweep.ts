// Run several configurations with the CLI's core and print one summary line each:
// mean rank and test accuracy at the start, at the middle and at the end.
// Usage: npx tsx scripts/sweep.ts "depth=4&width=64&weightDecay=0" "depth=4&width=64&weightDecay=0.02" ...
// Each argument is a share-link query over the defaults. This is how the README's defaults were chosen.

import { configFromQuery } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { runToCompletion } from '../src/core/train/run';
import { Trainer } from '../src/core/train/trainer';
import { readMnist } from '../src/cli/readMnist';
import { useBackend } from '../src/cli/tfNode';

await useBackend('simd');
for (const query of process.argv.slice(2)) {
  const { config, problems } = configFromQuery(query);
  if (problems.length) console.error(problems.map((p) => p.message).join('\n'));
  const trainer = new Trainer({ ...config, snapshotEvery: Math.min(config.snapshotEvery, Math.max(1, Math.floor(config.steps / 4))) }, await datasetFor(config.dataset, config.seed, async () => readMnist()), 'simd');
  const started = performance.now();
  const r = await runToCompletion(trainer);
  const pick = (frac: number) => r.snapshots[Math.round(frac * (r.snapshots.length - 1))];
  const fmt = (s: (typeof r.snapshots)[number]) => `${s.step}: rank ${s.meanRank.toFixed(1)} acc ${s.testAccuracy.toFixed(3)}`;
  const last = pick(1);
  console.log([query, fmt(pick(0)), fmt(pick(0.5)), fmt(last), `ratio ${(last.meanRank / pick(0).meanRank).toFixed(2)}`,
    `layers [${last.layers.map((l) => l.rank).join(' ')}]`, r.divergence ? 'DIVERGED' : '', `${((performance.now() - started) / 1000).toFixed(0)}s`].join(' | '));
  trainer.dispose();
}
