import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse';
import { configFromQuery } from '../../core/config/query';
import { sweepCells, type SweepSpec } from '../../core/sweep/cells';
import type { CellResult } from '../../core/sweep/result';
import { colourRange, scaleColour, settingResults } from './heatmapData';

const spec: SweepSpec = {
  grid: [{ field: 'batchSize', values: [8, 32] }, { field: 'weightDecay', values: [0, 0.02] }],
  base: parseConfig({ steps: 300, seed: 4 }).config, seeds: 2, basis: 'epochs', points: 1,
};
const cells = sweepCells(spec);
const result = (i: number, over: Partial<CellResult> = {}): CellResult => ({
  index: i, params: cells[i].params, seed: cells[i].seed, status: 'ok', meanRank: 40 + i, ranks: [1], testAccuracy: 0.5 + i / 100, trainLoss: 1, steps: 300, seconds: 1, ...over,
});

describe('the heatmap of a sweep', () => {
  it('averages the seeds of a setting and says its numbers in words', () => {
    const s = settingResults(spec, [result(0), result(1), result(2)]);
    expect(s).toHaveLength(4);
    expect(s[0]).toMatchObject({ state: 'ok', meanRank: 40.5, seedsDone: 2, rankRange: [40, 41] });
    expect(s[0].accuracy).toBeCloseTo(0.505, 12);
    expect(s[0].label).toBe('batchSize 8, weightDecay 0: mean rank 40.50, accuracy 0.505 (2 of 2 seeds)');
    expect(s[1].label).toBe('batchSize 8, weightDecay 0.02: mean rank 42.00, accuracy 0.520 (1 of 2 seeds)');
    expect(s[2]).toMatchObject({ state: 'pending', meanRank: null, label: 'batchSize 32, weightDecay 0: not run yet' });
  });

  it('marks diverged and collapsed settings as such, with no number', () => {
    const s = settingResults(spec, [result(0), result(1, { status: 'diverged', meanRank: null }), result(6, { status: 'collapsed' })]);
    expect(s[0]).toMatchObject({ state: 'diverged', meanRank: null, accuracy: null });
    expect(s[0].label).toMatch(/diverged/);
    expect(s[3]).toMatchObject({ state: 'collapsed', meanRank: null });
    expect(s[3].label).toMatch(/collapsed \(accuracy at chance/);
  });

  it('links each setting to the lab with exactly its settings (its first seed and steps, measured on the lab schedule)', () => {
    const s = settingResults(spec, []);
    const linked = configFromQuery(s[3].labQuery);
    expect(linked.problems).toEqual([]);
    expect(linked.config).toEqual({ ...spec.base, batchSize: 32, weightDecay: 0.02, steps: 75, snapshotEvery: spec.base.snapshotEvery });
  });

  it('spans its colours over the values, but never less than a minimum span', () => {
    expect(colourRange([40, 98], 10)).toEqual([40, 98]);
    expect(colourRange([97.5, 98], 24.5)).toEqual([73.5, 98]);
    expect(colourRange([], 1)).toEqual([0, 1]);
  });

  it('colours along viridis, with text that reads on it', () => {
    expect(scaleColour(0, 0, 10)).toEqual({ background: 'rgb(68, 1, 84)', text: '#ffffff' });
    expect(scaleColour(10, 0, 10)).toEqual({ background: 'rgb(253, 231, 37)', text: '#000000' });
    expect(scaleColour(99, 0, 10)).toEqual(scaleColour(10, 0, 10));
    expect(scaleColour(3, 3, 3).background).toBe(scaleColour(5, 0, 10).background);
  });
});
