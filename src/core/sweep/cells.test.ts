import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { cellSteps, parseShard, shardCells, specProblems, sweepCells, type SweepSpec } from './cells';

const base = parseConfig({ steps: 1000, batchSize: 8, seed: 5 }).config;
const spec: SweepSpec = {
  grid: [{ field: 'batchSize', values: [8, 32] }, { field: 'weightDecay', values: [0, 0.01, 0.02] }],
  base, seeds: 2, basis: 'steps', points: 1,
};

describe('sweep cells', () => {
  it('are every combination, the last axis fastest, seeds innermost, each a complete config', () => {
    const cells = sweepCells(spec);
    expect(cells).toHaveLength(12);
    expect(cells.map((c) => c.index)).toEqual([...Array(12).keys()]);
    expect(cells.slice(0, 4).map((c) => [c.params.batchSize, c.params.weightDecay, c.seed])).toEqual([[8, 0, 5], [8, 0, 6], [8, 0.01, 5], [8, 0.01, 6]]);
    expect(cells[11].params).toEqual({ batchSize: 32, weightDecay: 0.02 });
    for (const c of cells) {
      expect(c.config.batchSize).toBe(c.params.batchSize);
      expect(c.config.weightDecay).toBe(c.params.weightDecay);
      expect(c.config.seed).toBe(c.seed);
      expect(c.config.steps).toBe(1000);
      expect(c.config.snapshotEvery).toBe(1000); // one point: measured at the end
      expect(parseConfig(c.config).problems).toEqual([]);
    }
  });

  it('on equal epochs give each batch size the samples of the base run', () => {
    expect(cellSteps(base, 8, 'epochs')).toBe(1000);
    expect(cellSteps(base, 32, 'epochs')).toBe(250);
    expect(cellSteps(base, 32, 'steps')).toBe(1000);
    const cells = sweepCells({ ...spec, basis: 'epochs', points: 4 });
    expect(cells.filter((c) => c.params.batchSize === 32).every((c) => c.config.steps === 250 && c.config.snapshotEvery === 63)).toBe(true);
  });

  it('split into shards that hold every cell exactly once', () => {
    const cells = sweepCells(spec);
    for (const count of [1, 2, 5, 12, 20]) {
      const seen = Array.from({ length: count }, (_, index) => shardCells(cells, { index, count })).flat().map((c) => c.index).sort((a, b) => a - b);
      expect(seen).toEqual(cells.map((c) => c.index));
    }
  });

  it('read shards as I/N from 0', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    for (const bad of ['4/4', '1/0', '-1/3', 'a/b', '1', '']) expect(parseShard(bad)).toHaveProperty('problem');
  });

  it('refuse specs that are too big or have no axis', () => {
    expect(specProblems(spec)).toEqual([]);
    expect(specProblems({ ...spec, seeds: 0 })).toHaveLength(1);
    expect(specProblems({ ...spec, grid: [] })).toHaveLength(1);
    expect(specProblems({ ...spec, grid: [{ field: 'learningRate', values: Array.from({ length: 101 }, (_, i) => 0.001 * (i + 1)) }], seeds: 100 })).toHaveLength(1);
  });
});

describe('sweep cells on unusual bases', () => {
  it('build every cell of a long run, and keep a schedule in epochs on equal epochs', () => {
    const long = parseConfig({ steps: 200_000 }).config;
    expect(specProblems({ ...spec, base: long, seeds: 1 })).toEqual([]);
    expect(sweepCells({ ...spec, base: long, seeds: 1 })[0].config.snapshotEvery).toBe(100_000);
    const scheduled = parseConfig({ steps: 2000, batchSize: 8, lrSchedule: 'step', lrDecaySteps: [1000, 1500] }).config;
    const cells = sweepCells({ ...spec, base: scheduled, basis: 'epochs', seeds: 1 });
    expect(cells.find((c) => c.params.batchSize === 32)!.config).toMatchObject({ steps: 500, lrDecaySteps: [250, 375] });
  });

  it('say so, instead of failing, when a grid value no longer fits the base', () => {
    const grid = [{ field: 'batchSize' as const, values: [1, 8] }];
    const withBn = parseConfig({ batchNorm: true }).config;
    expect(specProblems({ ...spec, grid, base: withBn })[0]).toMatch(/batchSize/);
  });
});
