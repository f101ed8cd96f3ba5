import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import type { Snapshot } from '../train/snapshot';
import { runCsv, runFile } from './runFile';

const snapshot = (step: number, ranks: number[], loss = 0.5): Snapshot => ({
  step, epoch: step / 100, trainLoss: loss, testAccuracy: 0.9, testLoss: 0.3, learningRate: 0.1, weightDecay: 0.025, batchSize: 8, momentum: 0,
  layers: ranks.map((rank, i) => ({ name: `fc${i + 1}`, shape: [10, 10], singularValues: [1], rank, stableRank: 1, frobeniusNorm: 1, gradientRank: null, positionsPerSample: 1, gradientRankBound: 8, normRatio: 1, initialisationShare: 1 })),
  initialisationWeight: 1, collapse: null, meanRank: ranks.reduce((a, b) => a + b, 0) / ranks.length, measureMs: 1,
});

describe('run.json and run.csv', () => {
  const config = parseConfig({ depth: 3 }).config;

  it('holds the config with its share-link query, and a comparison only when there is one', () => {
    const file = runFile({ config, backend: 'simd', stepsPerSecond: 100, divergence: null, snapshots: [snapshot(0, [5, 4])], writtenBy: 'page' });
    expect(file.query).toContain('depth=3');
    expect('compare' in file).toBe(false);
    const compared = runFile({ config, backend: 'simd', stepsPerSecond: 100, divergence: null, snapshots: [], writtenBy: 'cli', compare: { weightDecay: 0 }, comparison: [] });
    expect(compared.compare).toEqual({ weightDecay: 0 });
    expect(compared.comparison).toEqual([]);
  });

  it('writes one CSV row per snapshot, each layer\'s rank, the comparison at the same step, empty cells for NaN', () => {
    const file = runFile({
      config, backend: 'simd', stepsPerSecond: 1, divergence: null, writtenBy: 'page',
      snapshots: [snapshot(0, [5, 4], Number.NaN), snapshot(50, [3, 2])],
      compare: { weightDecay: 0 }, comparison: [snapshot(0, [5, 5]), snapshot(50, [5, 4])],
    });
    const [head, first, second, end] = runCsv(file).split('\n');
    expect(head).toBe('step,epoch,train_loss,test_accuracy,mean_rank,rank_fc1,rank_fc2,comparison_train_loss,comparison_test_accuracy,comparison_mean_rank,comparison_rank_fc1,comparison_rank_fc2');
    expect(first).toBe('0,0,,0.9,4.5,5,4,0.5,0.9,5,5,5');
    expect(second).toBe('50,0.5,0.5,0.9,2.5,3,2,0.5,0.9,4.5,5,4');
    expect(end).toBe('');
  });
});
