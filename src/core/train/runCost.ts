// What a run will cost before it is built: the arithmetic of one SGD step and of one measurement
// of the spectra, and from those and this machine's measured rates, the speed the person can
// expect. The schema allows networks (width 1024 x depth 12, batch 512) that take seconds per
// step and per measurement; the page warns before it builds one (controller.ts).

import type { Config } from '../config/fields';
import { architectureFor } from '../models/architecture';

/** Both data sets are 28x28 grey images in ten classes (checked against them in runCost.test.ts). */
export const DATA_SHAPE = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };

export interface RunCost {
  /** Multiply-adds x 2 of one step, forward and backward (x 3 of the forward pass), both runs of a comparison. */
  flopsPerStep: number;
  /** Sum over the measured matrices of m*n*min(m, n): what an SVD's time grows with. */
  spectraWork: number;
}

export function runCost(config: Config, compare: Partial<Config> | null = null): RunCost {
  const one = (c: Config): RunCost => {
    const layers = architectureFor(c, DATA_SHAPE, true).layers;
    const macsPerSample = layers.reduce((sum, l) => sum + l.shape[0] * l.shape[1] * l.positionsPerSample, 0);
    return {
      flopsPerStep: 6 * c.batchSize * macsPerSample,
      spectraWork: layers.reduce((sum, l) => sum + l.shape[0] * l.shape[1] * Math.min(l.shape[0], l.shape[1]), 0),
    };
  };
  const main = one(config);
  if (!compare || !Object.keys(compare).length) return main;
  const other = one({ ...config, ...compare });
  return { flopsPerStep: main.flopsPerStep + other.flopsPerStep, spectraWork: main.spectraWork + other.spectraWork };
}

/** This machine's rates, measured on the run on screen where there is one. */
export interface MachineRates {
  flopsPerSecond: number;
  spectraWorkPerSecond: number;
}

/**
 * Rates measured here for RankLab's SIMD engine (2-core Debian machine, Chromium): the default
 * network trains at ~6 GFLOP/s, and a 1024 x 1024 SVD takes ~0.8 s. Used until the page has
 * timed a run of its own.
 */
export const TYPICAL_RATES: MachineRates = { flopsPerSecond: 6e9, spectraWorkPerSecond: 1.3e9 };

/**
 * Rates from a run that has been timed: its steps per second and its last measurement's time.
 * Small networks reach fewer FLOP/s than large ones, so these err towards warning.
 */
export function ratesFrom(cost: RunCost, stepsPerSecond: number, measureMs: number | null): MachineRates {
  const clamp = (v: number, typical: number) => (Number.isFinite(v) && v > 0 ? Math.min(typical * 10, Math.max(typical / 20, v)) : typical);
  return {
    flopsPerSecond: clamp(stepsPerSecond * cost.flopsPerStep, TYPICAL_RATES.flopsPerSecond),
    // A measurement of a few ms is mostly overhead: it says little about a large one.
    spectraWorkPerSecond: measureMs !== null && measureMs > 20 ? clamp((cost.spectraWork / measureMs) * 1000, TYPICAL_RATES.spectraWorkPerSecond) : TYPICAL_RATES.spectraWorkPerSecond,
  };
}

export interface SpeedEstimate {
  stepsPerSecond: number;
  /** One measurement of every layer's spectrum (the first comes before training starts). */
  measureSeconds: number;
  /** Slow enough to ask before building it: a step over SLOW_STEP_MS, or a measurement over SLOW_MEASURE_S. */
  slow: boolean;
}

export const SLOW_STEP_MS = 250;
export const SLOW_MEASURE_S = 4;

export function estimateSpeed(cost: RunCost, rates: MachineRates): SpeedEstimate {
  const stepsPerSecond = rates.flopsPerSecond / cost.flopsPerStep;
  const measureSeconds = cost.spectraWork / rates.spectraWorkPerSecond;
  return { stepsPerSecond, measureSeconds, slow: 1000 / stepsPerSecond > SLOW_STEP_MS || measureSeconds > SLOW_MEASURE_S };
}
