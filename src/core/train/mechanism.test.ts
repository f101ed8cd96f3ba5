// The mechanism behind the rank: every mini-batch gradient of a dense layer has rank
// <= B (a conv layer's <= B*R), and the initialisation fades like rho^t.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistDataset } from '../../node/mnistFile';
import { parseConfig, type Config } from '../config';
import { numericalRank } from '../spectra';
import { decayPerStep, gradientRankBound, memoryWindow, rankCeiling } from '../theory';
import { runToCompletion } from './run';
import { TrainingRun } from './trainingRun';
import type { Snapshot } from './snapshot';
import { useCpuBackend } from './testing';
import { Trainer } from './trainer';
import { prepareKernels } from '../engine/simd/kernels';
import type { Dataset } from '../data/dataset';

let data: Dataset;
beforeAll(async () => {
  await useCpuBackend();
  await prepareKernels();
  data = loadMnistDataset(1);
});

// The SIMD engine (the lab's default on a CPU): its gradients() is what the panel shows.
const run = async (o: Partial<Config>) => {
  const trainer = new Trainer(parseConfig({ depth: 3, width: 32, steps: 60, snapshotEvery: 10, ...o }).config, data, 'simd');
  const { snapshots } = await runToCompletion(new TrainingRun(trainer));
  trainer.dispose();
  return snapshots;
};

describe('gradient rank', () => {
  it.each([1, 4, 16])('is at most min(B, d_out, d_in) on every snapshot of an MLP, and reaches B for B = %i', async (batchSize) => {
    const snapshots = await run({ batchSize, learningRate: 0.05 });
    expect(snapshots[0].layers.every((l) => l.gradientRank === null)).toBe(true); // no step yet
    for (const s of snapshots.slice(1)) {
      for (const l of s.layers) {
        expect(l.gradientRankBound).toBe(Math.min(batchSize, ...l.shape));
        expect(l.gradientRank!, `${l.name} at step ${s.step}`).toBeLessThanOrEqual(l.gradientRankBound);
      }
      // Inner layers, where B < width: the bound is reached.
      expect(s.layers[1].gradientRank).toBe(Math.min(batchSize, 32));
    }
  });

  it('is at most B*R for conv layers (R = output positions)', async () => {
    const snapshots = await run({ model: 'cnn', depth: 2, width: 8, batchSize: 2, steps: 20 });
    const last = snapshots[snapshots.length - 1];
    expect(last.layers.map((l) => l.gradientRankBound)).toEqual([Math.min(2 * 14 * 14, 8, 9), Math.min(2 * 7 * 7, 8, 72), Math.min(2, 10, 392)]);
    for (const l of last.layers) expect(l.gradientRank!).toBeLessThanOrEqual(l.gradientRankBound);
  });

  it('numerical rank cuts only rounding noise', () => {
    expect(numericalRank([1, 0.5, 1e-3, 1e-7], 100, 100)).toBe(3);
    expect(numericalRank([0, 0], 2, 2)).toBe(0);
  });
});

describe('the initialisation fades like rho^t', () => {
  it('reports prod(1 - 2*mu*lambda) and ||rho^t W_0|| / ||W_t||', async () => {
    const snapshots = await run({ learningRate: 0.1, weightDecay: 0.05, steps: 40 });
    const last = snapshots[snapshots.length - 1] as Snapshot;
    expect(last.initialisationWeight).toBeCloseTo((1 - 2 * 0.1 * 0.05) ** 40, 10);
    expect(snapshots[0].layers.every((l) => Math.abs(l.initialisationShare - 1) < 1e-6)).toBe(true);
    for (const l of last.layers) expect(l.initialisationShare).toBeGreaterThan(0);
    const none = await run({ weightDecay: 0, steps: 10 });
    expect(none[none.length - 1].initialisationWeight).toBe(1);
  });
});

describe('theory numbers against a hand computation', () => {
  it('rho, n_eps, ceiling and rho^t', () => {
    const t = { learningRate: 0.1, weightDecay: 0.025, batchSize: 8, eps: 1e-3 };
    expect(decayPerStep(t)).toBeCloseTo(0.995, 15);
    // n_eps = ceil(ln(5e-4) / ln(0.995)) = ceil(-7.6009 / -0.0050125) = ceil(1516.4) = 1517
    expect(memoryWindow(t)).toBe(1517);
    expect(rankCeiling(t, [128, 784], 1)).toBe(128); // B * n_eps = 12136: loose
    expect(rankCeiling({ ...t, learningRate: 1, weightDecay: 0.4 }, [128, 784], 1)).toBe(8 * Math.ceil(Math.log(5e-4) / Math.log(0.2)));
    expect(rankCeiling({ ...t, weightDecay: 0 }, [128, 784], 1)).toBeNull(); // no ceiling without weight decay
    expect(memoryWindow({ ...t, weightDecay: 0 })).toBe(Infinity);
    expect(gradientRankBound(8, [128, 784], 1)).toBe(8);
    expect(gradientRankBound(8, [16, 72], 49)).toBe(16);
    // n_eps is the first t with rho^t below eps/2.
    expect(decayPerStep(t) ** 1517).toBeLessThan(5e-4);
    expect(decayPerStep(t) ** 1516).toBeGreaterThan(5e-4);
  });
});
