// One measurement of a run: what the worker streams, the CLI prints and run.json stores.

import type { LayerSpectrum } from '../spectra';

/** One weight matrix at a snapshot: its spectrum, plus the mechanism behind the rank. */
export interface LayerSnapshot extends LayerSpectrum {
  /** Rank of this layer's gradient on the last mini-batch (null before the first step). */
  gradientRank: number | null;
  /** R: how often the layer is applied per sample (1 dense; output positions for conv). */
  positionsPerSample: number;
  /** Its bound min(B*R, d_out, d_in). */
  gradientRankBound: number;
  /** ||W_t||_F / ||W_0||_F. */
  normRatio: number;
  /** ||rho^t W_0||_F / ||W_t||_F: how much of the matrix is still its initialisation (rho^t includes every step's decay). */
  initialisationShare: number;
}

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
  layers: LayerSnapshot[];
  /** prod over the steps so far of (1 - 2*mu_t*lambda_t): the weight left on the initialisation. */
  initialisationWeight: number;
  /** Set when weight decay has killed the network (weights shrunk to ~0, accuracy at chance): says so in words. */
  collapse: string | null;
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
