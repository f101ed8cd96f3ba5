// What the rank and training charts' one-line captions say: read off the run on screen, so a
// caption never claims what the run does not show (a collapse, a rank that has not moved).

import type { HistoryPoint } from '../../state/history';

/** Changes smaller than this share of the start (ranks) or absolute (accuracy) count as none. */
const RANK_CHANGE = 0.05;
const ACCURACY_CHANGE = 0.02;

const finite = (h: readonly HistoryPoint[], pick: (p: HistoryPoint) => number) => h.map(pick).filter(Number.isFinite);

/** The rank chart's caption for the run so far. */
export function rankCaption(history: readonly HistoryPoint[], comparisonHistory?: readonly HistoryPoint[]): string {
  const ranks = finite(history, (p) => p.meanRank);
  if (ranks.length < 2) return 'Each layer\'s rank (solid) against its dashed maximum; weight decay pulls it down as training goes on.';
  const [first, last] = [ranks[0], ranks[ranks.length - 1]];
  const other = comparisonHistory && finite(comparisonHistory, (p) => p.meanRank).at(-1);
  const versus = other !== undefined ? ` (dashed run: ${other.toFixed(1)})` : '';
  if (last < first * (1 - RANK_CHANGE)) return `Mean rank ${first.toFixed(1)} → ${last.toFixed(1)}${versus}: the ranks fall below their dashed maxima.`;
  if (last > first * (1 + RANK_CHANGE)) return `Mean rank ${first.toFixed(1)} → ${last.toFixed(1)}${versus}: the ranks have risen.`;
  return `Mean rank ${last.toFixed(1)}, about where it started${versus}: it has not fallen (yet).`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The training chart's caption for the run so far (10 classes: MNIST and the teacher data). */
export function trainingCaption(history: readonly HistoryPoint[], numClasses = 10): string {
  const acc = finite(history, (p) => p.testAccuracy);
  const loss = finite(history, (p) => p.trainLoss);
  if (acc.length < 2) return 'Train loss and test accuracy as the run goes on.';
  const [a0, a1] = [acc[0], acc[acc.length - 1]];
  const best = Math.max(...acc);
  const lossText = loss.length >= 2 ? `loss ${loss[0].toPrecision(2)} → ${loss[loss.length - 1].toPrecision(2)}, ` : '';
  const chance = 1.5 / numClasses; // up to 1.5x a random guess
  if (a1 <= chance) {
    return best > chance + ACCURACY_CHANGE
      ? `Test accuracy has fallen to chance (${a1.toFixed(2)} after ${best.toFixed(2)}): the network no longer learns.`
      : `Test accuracy is at chance (${a1.toFixed(2)}): the network is not learning.`;
  }
  if (a1 < best - 0.1) return sentence(`${lossText}test accuracy ${a1.toFixed(2)}, down from its best ${best.toFixed(2)}.`);
  if (a1 > a0 + ACCURACY_CHANGE) return `The network keeps learning: ${lossText}test accuracy ${a0.toFixed(2)} → ${a1.toFixed(2)}.`;
  return sentence(`${lossText}test accuracy ${a1.toFixed(2)}, about where it started.`);
}
