// The sweep presets' captions quote measurements: re-measure them. (The SIMD engine is
// deterministic, so a cell gives the same numbers on every machine.)

import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config/parse';
import { datasetFor } from '../core/data/forConfig';
import { prepareKernels } from '../core/engine/simd/kernels';
import { sweepCells } from '../core/sweep/cells';
import { parseGrid } from '../core/sweep/grid';
import { SWEEP_PRESETS } from '../core/sweep/presets';
import { runCell } from '../core/sweep/runCell';
import { readMnist } from '../node/mnistFile';

beforeAll(async () => { await prepareKernels(); });

/** The cells a caption quotes, with the mean rank it gives (exact: a mean of 4 whole ranks) and accuracy (to two decimals). */
const QUOTED: Record<string, { params: Record<string, number>; meanRank?: string; accuracy?: string }[]> = {
  'weight-decay': [
    { params: { weightDecay: 0 }, meanRank: '98.00', accuracy: '0.90' },
    { params: { weightDecay: 0.01 }, meanRank: '94.25' },
    { params: { weightDecay: 0.02 }, meanRank: '50.00', accuracy: '0.82' },
  ],
  'batch-size-epochs': [
    { params: { batchSize: 32, weightDecay: 0.02 }, meanRank: '97.75' },
    { params: { batchSize: 128, weightDecay: 0.02 }, meanRank: '97.75' },
  ],
  'batch-size-steps': [
    { params: { batchSize: 32, weightDecay: 0.02 }, meanRank: '49.00' },
  ],
  'learning-rate': [
    { params: { learningRate: 0.2, weightDecay: 0.02 }, meanRank: '22.00', accuracy: '0.43' },
    { params: { learningRate: 0.05, weightDecay: 0.02 }, meanRank: '95.00' },
  ],
};

describe('the sweep presets', () => {
  it('are valid grids, one per claim, each with a caption', () => {
    expect(new Set(SWEEP_PRESETS.map((p) => p.id)).size).toBe(SWEEP_PRESETS.length);
    for (const p of SWEEP_PRESETS) {
      expect(parseGrid(p.grid, defaultConfig()).problems).toEqual([]);
      expect(p.caption.length).toBeGreaterThan(40);
      expect(Object.keys(QUOTED)).toContain(p.id);
    }
  });

  it('quote what the default model measures', async () => {
    const data = await datasetFor('mnist', 1, async () => readMnist());
    for (const p of SWEEP_PRESETS) {
      const cells = sweepCells({ grid: parseGrid(p.grid, defaultConfig()).grid, base: defaultConfig(), seeds: 1, basis: p.basis, points: 1 });
      for (const quote of QUOTED[p.id]) {
        const cell = cells.find((c) => JSON.stringify(c.params) === JSON.stringify({ ...c.params, ...quote.params }))!;
        const r = await runCell(cell, data, 'simd', 1);
        if (quote.meanRank) expect(`${p.id} ${r.meanRank!.toFixed(2)}`).toBe(`${p.id} ${quote.meanRank}`);
        if (quote.accuracy) expect(Math.abs(r.testAccuracy! - Number(quote.accuracy)), `${p.id} accuracy ${r.testAccuracy}`).toBeLessThanOrEqual(0.005);
        for (const quoted of [quote.meanRank, quote.accuracy]) if (quoted) expect(p.caption).toContain(quoted);
      }
    }
  }, 120_000);
});
