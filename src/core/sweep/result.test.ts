import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { shardCells, sweepCells, type SweepSpec } from './cells';
import { mergeSweeps, sweepCsv, sweepFile, sweepFileProblems, sweepJson, type CellResult } from './result';

const spec: SweepSpec = {
  grid: [{ field: 'batchSize', values: [8, 32] }, { field: 'weightDecay', values: [0, 0.01] }],
  base: parseConfig({ steps: 100 }).config, seeds: 1, basis: 'steps', points: 1,
};
const cells = sweepCells(spec);
/** Made-up outcomes standing in for trained cells: merging and writing only move them around. */
const resultOf = (i: number): CellResult => ({
  index: i, params: cells[i].params, seed: cells[i].seed, status: i === 3 ? 'diverged' : 'ok',
  meanRank: i === 3 ? null : 50 - i, ranks: i === 3 ? null : [100 - i, 10], testAccuracy: i === 3 ? null : 0.9, trainLoss: i === 3 ? null : 0.3,
  steps: 100, seconds: 0.5 + i,
});
const layers = ['fc1', 'fc2'];
const whole = sweepFile(spec, layers, cells.map((c) => resultOf(c.index)));
const shards = [0, 1, 2].map((index) => sweepFile(spec, layers, shardCells(cells, { index, count: 3 }).map((c) => resultOf(c.index)), { index, count: 3 }));

describe('sweep files', () => {
  it('merge shards, in any order, into exactly the file of the whole sweep', () => {
    expect(shards[0].shard).toBe('0/3');
    expect(sweepJson(mergeSweeps(shards))).toBe(sweepJson(whole));
    expect(sweepJson(mergeSweeps([shards[2], shards[0], shards[1], shards[0]]))).toBe(sweepJson(whole));
    expect(sweepCsv(mergeSweeps(shards))).toBe(sweepCsv(whole));
  });

  it('refuse to merge shards of different sweeps, shards that disagree, or an incomplete set', () => {
    expect(() => mergeSweeps([shards[0], shards[1]])).toThrow(/holds? 3 of 4 cells; missing cells 2/);
    const other = sweepFile({ ...spec, seeds: 2 }, layers, [], { index: 2, count: 3 });
    expect(() => mergeSweeps([...shards, other])).toThrow(/different sweep/);
    const changed = { ...shards[1], cells: shards[1].cells.map((c) => ({ ...c, meanRank: 1 })) };
    expect(() => mergeSweeps([whole, changed])).toThrow(/cell 1 differs/);
    // The time a cell took may differ between two runs of it; nothing else may.
    expect(() => mergeSweeps([whole, { ...whole, cells: whole.cells.map((c) => ({ ...c, seconds: 99 })) }])).not.toThrow();
  });

  it('are JSON that reads back, and CSV with one row per cell and a column per layer', () => {
    expect(JSON.parse(sweepJson(whole))).toEqual(whole);
    expect(sweepFileProblems(JSON.parse(sweepJson(whole)))).toEqual([]);
    expect(sweepFileProblems({ format: 'ranklab-sweep', version: 9 })[0]).toMatch(/version 9/);
    expect(sweepFileProblems([1])[0]).toMatch(/not a RankLab sweep/);
    const lines = sweepCsv(whole).trim().split('\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['index', 'batchSize', 'weightDecay', 'seed', 'status', 'meanRank', 'testAccuracy', 'trainLoss', 'steps', 'seconds', 'rank_fc1', 'rank_fc2']);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toEqual(['1', '8', '0.01', '1', 'ok', '49', '0.9', '0.3', '100', '1.5', '99', '10']);
    expect(lines[4]).toEqual(['3', '32', '0.01', '1', 'diverged', '', '', '', '100', '3.5', '', '']);
  });
});
