import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../config/parse';
import { datasetFor } from '../data/forConfig';
import { loadMnistDataset } from '../../node/mnistFile';
import { DATA_SHAPE, estimateSpeed, ratesFrom, runCost, TYPICAL_RATES } from './runCost';

const config = (c: object) => parseConfig({ ...defaultConfig(), ...c }).config;

describe('runCost: what a run costs, from its settings alone', () => {
  it('uses the shape both data sets have', async () => {
    for (const data of [loadMnistDataset(1), await datasetFor('teacher', 1, async () => new ArrayBuffer(0))]) {
      expect({ inputShape: data.inputShape, numClasses: data.numClasses }).toEqual(DATA_SHAPE);
    }
  });

  it('counts a step and a measurement of the default network by hand', () => {
    // 784x128 + 128x128 + 128x128 + 128x10 multiply-adds per sample, x 2 FLOPs x 3 passes x 8 samples.
    const macs = 784 * 128 + 128 * 128 * 2 + 128 * 10;
    expect(runCost(defaultConfig())).toEqual({ flopsPerStep: 6 * 8 * macs, spectraWork: 128 * 784 * 128 + 2 * 128 ** 3 + 10 * 128 * 10 });
    // A comparison trains in lockstep: both runs' costs.
    const both = runCost(defaultConfig(), { width: 64 });
    expect(both.flopsPerStep).toBe(6 * 8 * (macs + 784 * 64 + 64 * 64 * 2 + 64 * 10));
    // A conv layer is applied at every output position: 14x14 positions of a 3x3x1 -> 64 kernel first.
    const cnn = runCost(config({ model: 'cnn', depth: 2, width: 64, batchSize: 1 }));
    expect(cnn.flopsPerStep).toBe(6 * (64 * 9 * 196 + 64 * 576 * 49 + 10 * 7 * 7 * 64));
  });

  it('calls width 1024 x depth 12 slow here, and the default network not; rates come from the run on screen', () => {
    const big = estimateSpeed(runCost(config({ width: 1024, depth: 12 })), TYPICAL_RATES);
    expect(big.slow).toBe(true);
    expect(big.measureSeconds).toBeGreaterThan(5); // measured in the page: ~9 s for its first snapshot
    expect(estimateSpeed(runCost(defaultConfig()), TYPICAL_RATES).slow).toBe(false);
    const batch512 = estimateSpeed(runCost(config({ width: 512, depth: 4, batchSize: 512 })), TYPICAL_RATES);
    expect(batch512.slow).toBe(true);
    expect(batch512.measureSeconds).toBeLessThan(4); // slow for its steps, not its measurements
    // A run timed at 1000 steps/s with a 13 ms measurement: those rates, within bounds.
    const rates = ratesFrom(runCost(defaultConfig()), 1000, 13);
    expect(rates.flopsPerSecond).toBeCloseTo(1000 * runCost(defaultConfig()).flopsPerStep);
    expect(rates.spectraWorkPerSecond).toBe(TYPICAL_RATES.spectraWorkPerSecond); // 13 ms is mostly overhead
    expect(ratesFrom(runCost(defaultConfig()), 0, null)).toEqual(TYPICAL_RATES); // nothing timed yet
  });
});
