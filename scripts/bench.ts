// `npm run bench [-- --vs-torch] [-- --seconds S]`: numbers, not a test. Prints
//  1. training steps/s of the benchmark rows (default MLP at B=8 and 32, the paper's
//     MLP-BN-10-100 at B=8 and 32, the CNN at B=32) on RankLab's SIMD engine, on one thread and
//     as the CLI and the page train (a network with convolutions shares its heavy kernels with a
//     helper thread on 2+ cores),
//     and on tfjs' WASM backend (the engine before it), with the backend operations each issues per step;
//     with --vs-torch, PyTorch (one thread, scripts/torch_bench.py, the same network as
//     scripts/replay.py) measured row by row in the same run, and the ratio;
//  2. the time of one full snapshot (read-back, spectra and gradient ranks, test pass) of the default model and
//     of a 784-512-512-512-10 MLP, with the SVD share.
// Steps/s are medians of three timed windows; this machine is shared, so compare within a run.

import { parseConfig, type Config } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { singularValues } from '../src/core/spectra/singularValues';
import { isDivergence, Trainer } from '../src/core/train/trainer';
import type { EngineName } from '../src/core/engine/engine';
import { readMnist } from '../src/node/mnistFile';
import { useBackend } from '../src/node/tfNode';
import { useTwoThreads } from '../src/node/kernelHelper';
import { useKernelThreads } from '../src/core/engine/simd/kernelThreads';
import { SimdEngine } from '../src/core/engine/simd/simdEngine';
import { torchStepsPerSecond } from './torchBaseline';
import { BENCH_ROWS, rowConfig } from './benchRows';

const args = process.argv.slice(2);
const vsTorch = args.includes('--vs-torch');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 1.5;

const data = await datasetFor('mnist', 1, async () => readMnist());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median steps/s over three windows of `seconds`, training in chunks as the worker does, after a warm-up. */
async function stepsPerSecond(config: Config, engine: EngineName, helper = false): Promise<{ rate: number; dispatches: number; threads: number }> {
  if (helper) { if (!(await useTwoThreads())) throw new Error('no shared memory for a helper thread'); }
  else useKernelThreads(null);
  const trainer = new Trainer(config, data, engine);
  // The engine starts a helper for a network with convolutions (an MLP has nothing to share).
  const threads = trainer.engine instanceof SimdEngine ? await trainer.engine.threadCount() : 1;
  trainer.train(3); // warm-up: kernels compiled, memory allocated
  await trainer.sync();
  const dispatches = await trainer.countDispatches();
  const rates: number[] = [];
  for (let w = 0; w < 3; w++) {
    let steps = 0, chunk = 1;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      trainer.train(chunk);
      await trainer.sync(); // tfjs may queue work: count it only once it has run
      steps += chunk;
      chunk = Math.min(chunk * 2, 64);
    }
    rates.push((steps * 1000) / (performance.now() - t0));
  }
  trainer.dispose();
  return { rate: median(rates), dispatches, threads };
}

async function snapshotTimes(config: Config, repeats: number) {
  const trainer = new Trainer(config, data, 'simd');
  trainer.train(10);
  const total: number[] = [], svd: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const s = await trainer.snapshot();
    if (isDivergence(s)) throw new Error(`snapshot benchmark diverged: ${s.reason}`);
    const weights = await trainer.engine.readWeights();
    const t0 = performance.now();
    trainer.architecture.layers.forEach((l, i) => singularValues(weights[i], l.shape[1], l.shape[0]));
    if (r > 0) { total.push(s.measureMs); svd.push(performance.now() - t0); }
  }
  trainer.dispose();
  return { totalMs: median(total), svdMs: median(svd) };
}

console.log(`RankLab benchmark — ${new Date().toISOString()} — Node ${process.version}`);
console.log(`1. training speed, steps/s (median of 3 windows of ${seconds} s; "ops" = backend operations per step)`);
const cols = ['network, batch size'.padEnd(26), 'simd 1 thread'.padStart(14), 'simd as the CLI'.padStart(16), 'ops'.padStart(5), 'tfjs wasm'.padStart(10), 'ops'.padStart(5),
  ...(vsTorch ? ['PyTorch 1 thr'.padStart(14), '1 thr/PyTorch'.padStart(14), 'CLI/PyTorch'.padStart(12), 'tfjs/PyTorch'.padStart(13)] : [])];
console.log('   ' + cols.join(' '));
let torchNote = '';
for (const row of BENCH_ROWS) {
  const config = rowConfig(row);
  await useBackend('simd');
  const simd = await stepsPerSecond(config, 'simd', false);
  const simd2 = await stepsPerSecond(config, 'simd', true);
  await useBackend('wasm');
  const tfjs = await stepsPerSecond(config, 'tfjs');
  const cells = [row.label.padEnd(26), simd.rate.toFixed(0).padStart(14), `${simd2.rate.toFixed(0)} (${simd2.threads} thr)`.padStart(16), String(simd.dispatches).padStart(5), tfjs.rate.toFixed(0).padStart(10), String(tfjs.dispatches).padStart(5)];
  if (vsTorch) {
    // One PyTorch process per row, right after RankLab's: both measured within the same minute.
    const torch = await torchStepsPerSecond([{ label: row.label, config: config as unknown as Record<string, unknown>, seconds }]);
    if ('unavailable' in torch) { torchNote = torch.unavailable; cells.push('-'.padStart(14)); }
    else {
      const t = torch.get(row.label)!;
      cells.push(t.toFixed(0).padStart(14), `${(simd.rate / t).toFixed(2)}x`.padStart(14), `${(simd2.rate / t).toFixed(2)}x`.padStart(12), `${(tfjs.rate / t).toFixed(2)}x`.padStart(13));
    }
  }
  console.log('   ' + cells.join(' '));
}
if (torchNote) console.log(`   PyTorch not measured: ${torchNote}`);

useKernelThreads(null);
console.log("\n2. one snapshot (simd engine, one thread, as in the page's measuring worker; median of 3): total = read-back, SVDs of the weights, ranks of the last-batch gradients (from their factors X^T D), 2000-sample test pass");
const base = parseConfig({}).config;
const big = parseConfig({ ...base, model: 'mlp', depth: 4, width: 512, batchNorm: false }).config;
for (const [name, config] of [['default ' + base.depth + 'x' + base.width, base], ['784-512-512-512-10', big]] as const) {
  const t = await snapshotTimes(config, 3);
  console.log(`   ${name.padEnd(20)} total ${t.totalMs.toFixed(1).padStart(7)} ms   weights' SVDs alone ${t.svdMs.toFixed(1).padStart(7)} ms`);
}
console.log('\nSingular values against LAPACK: npx tsx scripts/bench-spectra.ts');
