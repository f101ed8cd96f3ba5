// One measurement of a run: what the worker streams, the CLI prints and run.json stores.

import type { LayerSpectrum } from '../spectra';

export interface Snapshot {
  step: number;
  /** Samples seen / training-set size. */
  epoch: number;
  /** Mean training loss over the steps since the previous snapshot (NaN before the first step). */
  trainLoss: number;
  testAccuracy: number;
  testLoss: number;
  /** The hyperparameters in force for the last step before this snapshot. */
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  momentum: number;
  layers: LayerSpectrum[];
  meanRank: number;
  /** Wall-clock milliseconds spent measuring this snapshot (read-back, SVDs, test pass). */
  measureMs: number;
}

/** Why a run stopped on its own. */
export interface Divergence {
  step: number;
  lastGoodStep: number;
  reason: string;
}
