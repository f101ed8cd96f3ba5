// The cells of a sweep: every combination of the grid's values, once per seed, each a
// complete config. A cell's index is its place in this order, which is all that shards and
// worker pools share: a cell's result depends on its config alone, never on who ran it.

import { CONFIG_FIELDS, type Config } from '../config/fields';
import { parseConfig } from '../config/parse';
import { gridSize, gridToText, MAX_CELLS, MAX_SEEDS, parseGrid, type Grid, type SweepAxis, type SweepBasis } from './grid';

export interface SweepSpec {
  grid: Grid;
  /** Every setting a cell does not vary; its seed is the first seed, its steps the run length (see SweepBasis). */
  base: Config;
  /** Seeds per setting: base.seed, base.seed + 1, ... */
  seeds: number;
  basis: SweepBasis;
  /** Measurements per cell: 1 = at its end only (plus step 0). */
  points: number;
}

export interface SweepCell {
  index: number;
  /** The grid's values for this cell, in the grid's axis order. */
  params: Partial<Record<SweepAxis, number>>;
  seed: number;
  config: Config;
}

/** A cell's settings in words: "batchSize 8, weightDecay 0.01". */
export const describeParams = (p: Partial<Record<SweepAxis, number>>) => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ');

/** Steps a cell of batch size `batchSize` trains: equal steps, or as many samples as the base config's run. */
export function cellSteps(base: Config, batchSize: number, basis: SweepBasis): number {
  return basis === 'steps' ? base.steps : Math.max(1, Math.round((base.steps * base.batchSize) / batchSize));
}

/**
 * Problems with a spec as a whole: its size, and grid values that no longer fit the base (a value
 * checked when the grid was typed may not fit settings changed since, e.g. batch size 1 once
 * BatchNorm is on). Empty when sweepCells will build every cell.
 */
export function specProblems(spec: SweepSpec): string[] {
  const problems: string[] = parseGrid(gridToText(spec.grid), spec.base).problems;
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1 || spec.seeds > MAX_SEEDS) problems.push(`seeds must be a whole number from 1 to ${MAX_SEEDS} (got ${spec.seeds})`);
  if (!Number.isInteger(spec.points) || spec.points < 1 || spec.points > 100) problems.push(`points must be a whole number from 1 to 100 (got ${spec.points})`);
  const cells = gridSize(spec.grid) * Math.max(1, spec.seeds);
  if (cells > MAX_CELLS) problems.push(`the sweep has ${cells} cells; at most ${MAX_CELLS}`);
  if (problems.length === 0) {
    try {
      sweepCells(spec);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return problems;
}

/** Every cell of the sweep, settings in row-major order of the grid's axes (the last axis fastest), seeds innermost. */
export function sweepCells(spec: SweepSpec): SweepCell[] {
  const cells: SweepCell[] = [];
  const combos: Partial<Record<SweepAxis, number>>[] = spec.grid.reduce<Partial<Record<SweepAxis, number>>[]>(
    (acc, axis) => acc.flatMap((params) => axis.values.map((v) => ({ ...params, [axis.field]: v }))),
    [{}],
  );
  for (const params of combos) {
    for (let s = 0; s < spec.seeds; s++) {
      const batchSize = params.batchSize ?? spec.base.batchSize;
      const steps = cellSteps(spec.base, batchSize, spec.basis);
      // On equal epochs a learning-rate schedule keeps its place in epochs, not in steps.
      const scale = steps / spec.base.steps;
      const lrDecaySteps = [...new Set(spec.base.lrDecaySteps.map((d) => Math.max(1, Math.round(d * scale))))].filter((d) => d < steps);
      const { config, problems } = parseConfig({
        ...spec.base,
        ...params,
        seed: spec.base.seed + s,
        steps,
        lrDecaySteps,
        snapshotEvery: Math.min(CONFIG_FIELDS.snapshotEvery.max, Math.max(1, Math.ceil(steps / spec.points))),
      });
      // Each value was valid against the base; a run length or seed out of range is the spec's fault.
      if (problems.length) throw new Error(`sweep cell ${cells.length} (${JSON.stringify(params)}, seed ${spec.base.seed + s}): ${problems.map((p) => p.message).join('; ')}`);
      cells.push({ index: cells.length, params, seed: config.seed, config });
    }
  }
  return cells;
}

export interface Shard {
  /** 0-based, below count. */
  index: number;
  count: number;
}

/** "I/N" with 0 <= I < N (SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX both count from 0). */
export function parseShard(text: string): Shard | { problem: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { problem: `--shard takes I/N, e.g. 0/4 (got ${JSON.stringify(text)})` };
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || index >= count) return { problem: `--shard ${text}: I must be from 0 to N-1 and N at least 1` };
  return { index, count };
}

/** The cells shard I of N runs: every N-th, starting at I, so each shard gets a share of every axis. */
export const shardCells = (cells: SweepCell[], shard: Shard) => cells.filter((c) => c.index % shard.count === shard.index);
