// `npx tsx scripts/ab-cnn.ts [query] [rounds]`: numbers, not a test. The SIMD engine's three ways of
// training a network with convolutions, in one process, alternating 0.3 s windows (this machine's
// speed drifts by 2x within minutes, so only a same-run comparison counts), median steps/s of each:
//   dense, one thread   - every product multiplies a ReLU's zeros too (the engine before 8 December);
//   zero-skipping       - the products over the nonzeros only (bit for bit the same run);
//   and a helper thread - the heavy kernels shared with a second thread (as the CLI and the page train).
import '../src/node/relaxedSimd';
import { configFromQuery } from '../src/core/config';
import { prepareKernels } from '../src/core/engine/simd/kernels';
import { useKernelThreads } from '../src/core/engine/simd/kernelThreads';
import { SimdEngine } from '../src/core/engine/simd/simdEngine';
import { Trainer } from '../src/core/train/trainer';
import { loadMnistDataset } from '../src/node/mnistFile';
import { useTwoThreads } from '../src/node/kernelHelper';

const query = process.argv[2] ?? 'model=cnn&depth=3&width=64&batchSize=32';
const rounds = Number(process.argv[3]) || 12;
await prepareKernels();
const { config } = configFromQuery(query);
const data = loadMnistDataset(config.seed);

async function variant(name: string, zeroSkipping: boolean, helper: boolean) {
  if (helper && !(await useTwoThreads())) throw new Error('no shared memory here');
  const trainer = new Trainer(config, data, 'simd');
  useKernelThreads(null);
  const engine = trainer.engine as SimdEngine;
  engine.zeroSkipping = zeroSkipping;
  const threads = await engine.threadCount();
  trainer.train(20); // warm-up
  return { name: `${name} (${threads} thread${threads > 1 ? 's' : ''})`, trainer, rates: [] as number[] };
}

const variants = [await variant('dense', false, false), await variant('zero-skipping', true, false), await variant('zero-skipping', true, true)];
const window = (t: Trainer) => {
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 300) { t.train(4); steps += 4; }
  return (steps * 1000) / (performance.now() - t0);
};
for (let r = 0; r < rounds; r++) for (const v of variants) v.rates.push(window(v.trainer));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(variants[0].rates);
console.log(`${query}: median steps/s of ${rounds} alternating 0.3 s windows`);
for (const v of variants) console.log(`  ${v.name.padEnd(30)} ${median(v.rates).toFixed(1).padStart(7)}  ${(median(v.rates) / base).toFixed(2)}x`);
for (const v of variants) v.trainer.dispose();
