import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../state/history';
import { rankCaption, trainingCaption } from './captions';

const point = (step: number, meanRank: number, testAccuracy: number, trainLoss = 1): HistoryPoint =>
  ({ step, epoch: 0, trainLoss, testAccuracy, meanRank, ranks: [], learningRate: 0.1, weightDecay: 0.025, batchSize: 8 });

describe('chart captions that follow the run', () => {
  it('say the ranks fall only when they do', () => {
    expect(rankCaption([point(0, 98, 0.1), point(2000, 48, 0.9)])).toBe('Mean rank 98.0 → 48.0: the ranks fall below their dashed maxima.');
    expect(rankCaption([point(0, 98, 0.1), point(2000, 97, 0.9)])).toBe('Mean rank 97.0, about where it started: it has not fallen (yet).');
    expect(rankCaption([point(0, 98, 0.1), point(500, 60, 0.9)], [point(0, 98, 0.1), point(500, 97.5, 0.9)])).toBe('Mean rank 98.0 → 60.0 (dashed run: 97.5): the ranks fall below their dashed maxima.');
  });
  it('say the network keeps learning only when it does, and name a collapse to chance', () => {
    expect(trainingCaption([point(0, 98, 0.1, 2.3), point(2000, 48, 0.9, 0.3)])).toBe('The network keeps learning: loss 2.3 → 0.30, test accuracy 0.10 → 0.90.');
    expect(trainingCaption([point(0, 98, 0.1, 2.3), point(500, 90, 0.85, 0.5), point(2000, 95, 0.1, 2.3)])).toBe('Test accuracy has fallen to chance (0.10 after 0.85): the network no longer learns.');
    expect(trainingCaption([point(0, 98, 0.1, 2.3), point(500, 90, 0.85, 0.5), point(2000, 95, 0.6, 0.9)])).toBe('Loss 2.3 → 0.90, test accuracy 0.60, down from its best 0.85.');
    expect(trainingCaption([point(0, 98, 0.08, 2.3), point(2000, 98, 0.11, 2.3)])).toBe('Test accuracy is at chance (0.11): the network is not learning.');
    expect(trainingCaption([point(0, 98, 0.1)])).toBe('Train loss and test accuracy as the run goes on.');
  });
});
