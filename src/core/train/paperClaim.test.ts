// The paper's qualitative claim, on a small MLP and real MNIST, with the same seed
// (same initial weights, same data order) and the same number of steps:
//  - weight decay lowers the rank; without it the rank stays where it started;
//  - where SGD noise matters (large mu/B: the paper's batch-size effect needs noisy updates),
//    a small batch lowers it more than a large one.
// Every engine must show it: RankLab's SIMD engine (the CLI's default) and tfjs on its WASM backend.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistDataset } from '../../node/mnistFile';
import { useBackend } from '../../node/tfNode';
import { parseConfig, type Config } from '../config';
import type { Dataset } from '../data/dataset';
import { snapshotOf } from './testing';
import { Trainer } from './trainer';
import { ENGINE_NAMES, type EngineName } from '../engine/engine';
import { prepareKernels } from '../engine/simd/kernels';

let data: Dataset;
beforeAll(async () => {
  await useBackend('wasm');
  await prepareKernels();
  data = loadMnistDataset(1);
});

async function finalMeanRank(engine: EngineName, overrides: Partial<Config>): Promise<{ start: number; end: number }> {
  const config = parseConfig({ model: 'mlp', depth: 3, width: 32, batchNorm: false, seed: 1, steps: 1000, ...overrides }).config;
  const trainer = new Trainer(config, data, engine);
  const start = await snapshotOf(trainer);
  trainer.train(config.steps);
  const end = await snapshotOf(trainer);
  trainer.dispose();
  expect(Number.isFinite(end.trainLoss)).toBe(true);
  return { start: start.meanRank, end: end.meanRank };
}

describe.each(ENGINE_NAMES)("the paper's claim on MLP 3x32, MNIST, 1000 steps (%s engine)", (engine) => {
  it('weight decay lowers the mean rank; without it the rank stays', async () => {
    const off = await finalMeanRank(engine, { batchSize: 8, learningRate: 0.1, weightDecay: 0 });
    const on = await finalMeanRank(engine, { batchSize: 8, learningRate: 0.1, weightDecay: 0.05 });
    expect(on.start).toBe(off.start); // same seed, same initialisation
    expect(off.end).toBeGreaterThanOrEqual(off.start - 1);
    expect(on.end).toBeLessThan(off.end - 3);
  });

  it('at mu = 0.2, batch size 4 lowers the mean rank more than batch size 256', async () => {
    const small = await finalMeanRank(engine, { batchSize: 4, learningRate: 0.2, weightDecay: 0.03 });
    const large = await finalMeanRank(engine, { batchSize: 256, learningRate: 0.2, weightDecay: 0.03 });
    expect(small.end).toBeLessThan(large.end - 3);
  });
});

describe.each(ENGINE_NAMES)('the CNN (%s engine)', (engine) => {
  it('trains (the kernel gradient is im2col^T dy, since tfjs WASM has no Conv2DBackpropFilter)', async () => {
    const config = parseConfig({ model: 'cnn', depth: 2, width: 8, batchSize: 16, learningRate: 0.05, weightDecay: 0.001, steps: 150 }).config;
    const trainer = new Trainer(config, data, engine);
    trainer.train(config.steps);
    const s = await snapshotOf(trainer);
    trainer.dispose();
    expect(s.layers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'fc']);
    expect(s.trainLoss).toBeLessThan(1.5);
    expect(s.testAccuracy).toBeGreaterThan(0.5);
  });
});
