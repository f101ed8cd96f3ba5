// Two threads for the SIMD engine's heavy kernels (src/core/engine/simd/kernelThreads.ts) must
// change nothing but the time: the same run, bit for bit, as on one thread, on every kind of job
// the helper takes (packed products and their transposed-A blocks, unpacked rows, im2col, col2im,
// and the products that skip a ReLU's zeros with their lists of nonzeros).
import './relaxedSimd';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../core/config';
import { Worker } from 'node:worker_threads';
import { CONTROL_WORDS, KernelThreads, useKernelThreads } from '../core/engine/simd/kernelThreads';
import { instantiateKernels, prepareKernels, prepareSharedKernels, sharedMemory } from '../core/engine/simd/kernels';
import { SimdEngine } from '../core/engine/simd/simdEngine';
import { Trainer } from '../core/train/trainer';
import { loadMnistDataset } from './mnistFile';
import { startNodeKernelHelper, useTwoThreads } from './kernelHelper';

beforeAll(async () => { await prepareKernels(); });
afterEach(() => useKernelThreads(null));

const run = async (config: Config, threads: 1 | 2, steps: number, zeroSkipping: boolean) => {
  if (threads === 2) expect(await useTwoThreads()).toBe(true);
  else useKernelThreads(null);
  const data = await loadMnistDataset(config.seed);
  const trainer = new Trainer(config, data, 'simd');
  const engine = trainer.engine as SimdEngine;
  engine.zeroSkipping = zeroSkipping;
  expect(await engine.threadCount()).toBe(threads);
  trainer.train(steps);
  const tensors = await engine.readTensors();
  const test = await engine.evaluate();
  const shared = (engine as unknown as { threads: { shared: number } | null }).threads?.shared ?? 0;
  trainer.dispose();
  return { tensors, test, shared };
};

describe('the SIMD engine on two threads', () => {
  it('starts a helper only for a network with convolutions (an MLP has nothing large enough to share)', async () => {
    expect(await useTwoThreads()).toBe(true);
    const mlp = new Trainer(parseConfig({}).config, await loadMnistDataset(1), 'simd');
    expect(await (mlp.engine as SimdEngine).threadCount()).toBe(1);
    mlp.dispose();
  });

  it('starts the helper at the first job worth sharing: never for the CNN demo (16 channels, B=8), whose jobs are all small', async () => {
    await prepareSharedKernels();
    let started = 0;
    useKernelThreads((init) => { started++; return startNodeKernelHelper(init); });
    const train = async (overrides: Record<string, unknown>) => {
      const config = parseConfig({ ...parseConfig({}).config, ...overrides }).config;
      const trainer = new Trainer(config, await loadMnistDataset(config.seed), 'simd');
      trainer.train(5);
      trainer.dispose();
    };
    await train({ model: 'cnn', depth: 3, width: 16, batchSize: 8 });
    expect(started).toBe(0);
    await train({ model: 'cnn', depth: 3, width: 64, batchSize: 32 });
    expect(started).toBe(1);
  });

  it.each([
    ['the CNN at B=32 (products that skip zeros and their lists of pairs of rows, im2col, col2im, unpacked conv1 rows)', { model: 'cnn', depth: 3, width: 32, batchSize: 32 }],
    ['a CNN with BatchNorm at B=16', { model: 'cnn', depth: 2, width: 16, batchSize: 16, batchNorm: true }],
    ['a CNN at B=32 without skipping zeros (packed products)', { model: 'cnn', depth: 3, width: 64, batchSize: 32 }, false],
  ])('trains %s exactly as one thread does, and shares its work', async (_, overrides, zeroSkipping = true) => {
    const config = parseConfig({ ...parseConfig({}).config, ...overrides }).config;
    const one = await run(config, 1, 12, zeroSkipping);
    const two = await run(config, 2, 12, zeroSkipping);
    expect(one.shared).toBe(0);
    expect(two.shared).toBeGreaterThan(12); // several jobs a step went to both threads
    expect(two.test).toEqual(one.test);
    two.tensors.forEach((t, i) => {
      expect(t.name).toBe(one.tensors[i].name);
      const differ = t.data.findIndex((v, j) => !Object.is(v, one.tensors[i].data[j]));
      expect(differ, `${t.name}[${differ}]`).toBe(-1);
    });
  }, 60_000);
});

it('a helper that dies holding a chunk fails the step with a reason instead of hanging', async () => {
  const module = await prepareSharedKernels();
  const memory = sharedMemory();
  const kernels = instantiateKernels(memory);
  let worker: Worker | null = null;
  // A stand-in helper: says it is ready, claims the first chunk it can, and exits without doing it.
  const threads = new KernelThreads(kernels, memory, module!, ({ control }) => {
    worker = new Worker(`
      const { workerData: { control, w } } = require('node:worker_threads');
      const words = new Int32Array(control, 0, 16);
      Atomics.store(words, w.READY, 1);
      for (;;) {
        const word = Atomics.load(words, w.CLAIM);
        if ((word & ((1 << w.CHUNK_BITS) - 1)) < Atomics.load(words, w.TOTAL) && Atomics.compareExchange(words, w.CLAIM, word, word + 1) === word) break;
      }`, { eval: true, workerData: { control, w: CONTROL_WORDS } });
    return { stop: () => { void worker?.terminate(); } };
  });
  threads.silentMs = 300;
  expect(await threads.whenReady()).toBe(true);
  const [m, n, k] = [512, 64, 576];
  const base = (kernels.heapBase() + 15) & ~15;
  memory.grow(Math.ceil((4 * (m * k + k * n + m * n + 2 * k * (n + 4)) + base) / 65536));
  const [a, b, c, work] = [base, base + 4 * m * k, base + 4 * (m * k + k * n), base + 4 * (m * k + k * n + m * n)];
  threads.setWorkspace(work, 4 * k * (n + 4), work + 4 * k * (n + 4));
  const started = performance.now();
  expect(() => threads.gemm(m, n, k, a, k, 1, b, n, c, n, 1, 0)).toThrow(/helper thread stopped answering/);
  expect(performance.now() - started).toBeLessThan(5000);
  threads.stop();
});
