// The two demos of the paper's MLP-BN-10-100 say what their runs do: trained to the end on real
// MNIST (RankLab's SIMD engine, as the CLI trains), the numbers their captions promise hold.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistDataset } from '../../node/mnistFile';
import { findPreset, presetConfig } from '../config/presets';
import type { Dataset } from '../data/dataset';
import { prepareKernels } from '../engine/simd/kernels';
import { isDivergence } from './trainer';
import { TrainingRun } from './trainingRun';

let data: Dataset;
beforeAll(async () => {
  await prepareKernels();
  data = loadMnistDataset(1);
});

async function trainDemo(id: string) {
  const config = presetConfig(id)!;
  const run = TrainingRun.build(config, data, 'simd', findPreset(id)!.compare ?? null);
  const start = await run.measure();
  run.train(config.steps);
  const end = await run.measure();
  run.dispose();
  if (isDivergence(start) || isDivergence(end)) throw new Error('diverged');
  return { start, end };
}

describe("the paper's MLP-BN-10-100 demos", () => {
  it('accuracy kept: the rank falls to about half, and test accuracy ends within about 2 points of lambda = 0', async () => {
    const { start, end } = await trainDemo('paper-mlp-bn-accuracy-kept');
    const without = end.comparison!;
    expect(without.meanRank).toBeGreaterThan(start.main.meanRank - 2); // without weight decay the rank stays
    expect(end.main.meanRank).toBeLessThan(0.6 * without.meanRank);
    expect(without.testAccuracy - end.main.testAccuracy).toBeLessThan(0.035);
    expect(end.main.testAccuracy).toBeGreaterThan(0.9);
  }, 180_000);

  it('pushed: the rank falls to about 20 within 4000 steps, and test accuracy falls with it', async () => {
    const { start, end } = await trainDemo('paper-mlp-bn-10-100');
    expect(start.main.meanRank).toBeGreaterThan(85);
    expect(end.main.meanRank).toBeLessThan(30);
    expect(end.main.testAccuracy).toBeLessThan(0.4);
  }, 120_000);
});
