// `npx tsx scripts/profile-step.ts [query] [steps]`: numbers, not a test. Where a training step
// of the SIMD engine spends its time, kernel by kernel: every kernel call is timed, grouped by
// kernel and shape, over `steps` steps (default: the CNN row of the benchmark, 40 steps), with
// each product's GFLOP/s. The figures bound what the engine can reach on this machine.
import '../src/node/relaxedSimd';
import { configFromQuery } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { prepareKernels, type Kernels } from '../src/core/engine/simd/kernels';
import { Trainer } from '../src/core/train/trainer';
import { SimdEngine } from '../src/core/engine/simd/simdEngine';
import { readMnist } from '../src/node/mnistFile';
import { useBackend } from '../src/node/tfNode';
import { useTwoThreads } from '../src/node/kernelHelper';

const query = process.argv[2] ?? 'model=cnn&depth=3&width=64&batchSize=32';
const steps = Number(process.argv[3]) || 40;
await useBackend('cpu');
await prepareKernels();
// THREADS=1: the engine's products on one thread (the default, as the CLI, is two where they pay).
const threads = process.env.THREADS === '1' ? false : await useTwoThreads();
const { config } = configFromQuery(query);
const data = await datasetFor(config.dataset, config.seed, async () => readMnist());
const trainer = new Trainer(config, data, 'simd');
// ZERO_SKIP=0: convolutions multiply a ReLU's zeros too (the dense products).
if (process.env.ZERO_SKIP === '0') (trainer.engine as SimdEngine).zeroSkipping = false;
await (trainer.engine as SimdEngine).threadCount(); // starts the helper thread (for a network with convolutions) and waits for it
trainer.train(Number(process.env.WARMUP_STEPS) || 3); // WARMUP_STEPS: profile a run further on (e.g. after a collapse)

// Wrap every kernel the engine calls (its `k`) with a timer, keyed by name and arguments' shape.
const engine = trainer.engine as unknown as { k: Kernels };
const kernels = engine.k;
const totals = new Map<string, { ms: number; calls: number; flops: number }>();
const shapeOf: Record<string, (a: number[]) => [string, number]> = {
  gemm: (a) => [`${a[0]}x${a[1]}x${a[2]}${a[4] === 1 ? ' (A^T)' : ''}`, 2 * a[0] * a[1] * a[2]],
  gemmNT: (a) => [`${a[0]}x${a[1]}x${a[2]} (B^T)`, 2 * a[0] * a[1] * a[2]],
  // Rows i0..i1 of C, n wide, over k (only the nonzero terms are multiplied; flops counted as gemm's)
  gemmZeroSkip: (a) => [`${a[1] - a[0]}x${a[2]}x${a[3]}`, 2 * (a[1] - a[0]) * a[2] * a[3]],
};
engine.k = Object.fromEntries(Object.entries(kernels).map(([name, fn]) => [name, typeof fn !== 'function' ? fn : (...args: number[]) => {
  const t0 = performance.now();
  const out = (fn as (...a: number[]) => number)(...args);
  const ms = performance.now() - t0;
  const [shape, flops] = shapeOf[name]?.(args) ?? ['', 0];
  const key = `${name} ${shape}`.trim();
  const t = totals.get(key) ?? { ms: 0, calls: 0, flops: 0 };
  totals.set(key, { ms: t.ms + ms, calls: t.calls + 1, flops: t.flops + flops });
  return out;
}])) as unknown as Kernels;

const t0 = performance.now();
trainer.train(steps);
const wall = (performance.now() - t0) / steps;
engine.k = kernels;
const rows = [...totals.entries()].map(([key, t]) => ({ key, ms: t.ms / steps, gflops: t.flops ? t.flops / t.ms / 1e6 : 0 })).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((s, r) => s + r.ms, 0);
const flops = [...totals.values()].reduce((s, t) => s + t.flops, 0) / steps;
console.log(`${query}, ${threads ? 'two threads' : 'one thread'}: ${wall.toFixed(2)} ms per step (${(1000 / wall).toFixed(1)} steps/s), ${inKernels.toFixed(2)} ms in kernels, ${(flops / 1e6).toFixed(0)} MFLOP in products (${(flops / wall / 1e6).toFixed(1)} GFLOP/s over the step)`);
trainer.dispose();
for (const r of rows) console.log(`  ${r.key.padEnd(34)} ${r.ms.toFixed(3).padStart(8)} ms ${(100 * r.ms / wall).toFixed(0).padStart(3)}%${r.gflops ? `  ${r.gflops.toFixed(1)} GFLOP/s` : ''}`);
