// The run's history as the charts need it: one small point per snapshot (the full
// snapshots, for "Download run", are the store's record), and a downsampler so a chart
// never draws more than a few hundred points however long the run.

import type { Snapshot } from '../core/train/snapshot';

export interface HistoryPoint {
  step: number;
  epoch: number;
  trainLoss: number;
  testAccuracy: number;
  meanRank: number;
  /** Rank of each weight matrix, in layer order. */
  ranks: number[];
  learningRate: number;
  weightDecay: number;
  batchSize: number;
}

export function historyPoint(s: Snapshot): HistoryPoint {
  return {
    step: s.step, epoch: s.epoch, trainLoss: s.trainLoss, testAccuracy: s.testAccuracy, meanRank: s.meanRank,
    ranks: s.layers.map((l) => l.rank), learningRate: s.learningRate, weightDecay: s.weightDecay, batchSize: s.batchSize,
  };
}

/**
 * At most `maxPoints` points, evenly spread over the run, always keeping the first
 * and the last (the newest value must be on screen).
 */
export function downsample<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points.slice();
  const out: T[] = [];
  const stride = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * stride)]);
  return out;
}
