// `npm run bench`: numbers, not a test. Prints
//  1. training steps per second of the default model at B=8 and B=32 on every tfjs backend Node has;
//  2. the time of one full snapshot (read-back, every SVD, test pass) of the default model and of a
//     784-512-512-512-10 MLP, with the SVD share;
//  3. our singular values against ml-matrix on single matrices.


import { defaultConfig, parseConfig, type Config } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { singularValues } from '../src/core/spectra/singularValues';
import type { Snapshot } from '../src/core/train/snapshot';
import { Trainer } from '../src/core/train/trainer';
import { readMnist } from '../src/cli/readMnist';
import { NODE_BACKENDS, useBackend } from '../src/cli/tfNode';
import { benchSpectra } from './bench-spectra';

const data = await datasetFor('mnist', 1, async () => readMnist());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function stepsPerSecond(config: Config, steps: number): Promise<number> {
  const trainer = new Trainer(config, data);
  trainer.train(20); // warm-up: kernels compiled, memory allocated
  await trainer.model.params[0].variable.data();
  const t0 = performance.now();
  trainer.train(steps);
  await trainer.model.params[0].variable.data(); // wait for the queued work
  const rate = (steps * 1000) / (performance.now() - t0);
  trainer.dispose();
  return rate;
}

async function snapshotTimes(config: Config, repeats: number) {
  const trainer = new Trainer(config, data);
  trainer.train(10);
  const total: number[] = [], svd: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const s = (await trainer.snapshot()) as Snapshot;
    const weights = await Promise.all(trainer.model.layers.map((l) => l.param.variable.data()));
    const t0 = performance.now();
    trainer.model.layers.forEach((l, i) => singularValues(weights[i], l.shape[1], l.shape[0]));
    if (r > 0) { total.push(s.measureMs); svd.push(performance.now() - t0); }
  }
  trainer.dispose();
  return { totalMs: median(total), svdMs: median(svd) };
}

const base = defaultConfig();
console.log(`RankLab benchmark — ${new Date().toISOString()} — Node ${process.version}`);
console.log(`default model: ${base.model} depth ${base.depth} width ${base.width}${base.batchNorm ? ' +BN' : ''} on MNIST\n`);
console.log('1. training speed (steps/s, higher is better)');
for (const backend of NODE_BACKENDS) {
  await useBackend(backend);
  const row: string[] = [];
  for (const batchSize of [8, 32]) {
    const steps = backend === 'cpu' ? 100 : 400;
    row.push(`B=${batchSize}: ${(await stepsPerSecond({ ...base, batchSize }, steps)).toFixed(0).padStart(5)}`);
  }
  console.log(`   ${backend.padEnd(5)} ${row.join('   ')}`);
}

console.log('\n2. one snapshot (wasm backend; median of 3): total = read-back, SVDs of the weights and of the last-batch gradients, 2000-sample test pass');
await useBackend('wasm');
const big = parseConfig({ ...base, model: 'mlp', depth: 4, width: 512, batchNorm: false }).config;
for (const [name, config] of [['default ' + base.depth + 'x' + base.width, base], ['784-512-512-512-10', big]] as const) {
  const t = await snapshotTimes(config, 3);
  console.log(`   ${name.padEnd(20)} total ${t.totalMs.toFixed(1).padStart(7)} ms   weights' SVDs alone ${t.svdMs.toFixed(1).padStart(7)} ms`);
}

console.log('\n3. singular values of one matrix: ours vs ml-matrix (median of 5, ms)');
for (const r of await benchSpectra()) {
  console.log(`   ${`${r.rows}x${r.cols}`.padEnd(8)} ours ${r.oursMs.toFixed(2).padStart(8)}   ml-matrix ${r.mlMatrixMs.toFixed(2).padStart(8)}   ${(r.mlMatrixMs / r.oursMs).toFixed(1)}x faster   max |diff| ${r.maxDiff.toExponential(1)}`);
}

