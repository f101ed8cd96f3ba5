// run.json: one run as a file, the same format from the CLI (`--out DIR`) and from the page
// ("Download run"), and its table form (run.csv, one row per snapshot). Defined once here.

import { configToQuery, type Config } from '../config';
import type { Divergence, Snapshot } from '../train/snapshot';

export interface RunFile {
  config: Config;
  /** The share-link query of `config`. */
  query: string;
  /** What trained it: 'simd', 'wasm', 'webgpu', ... */
  backend: string;
  stepsPerSecond: number;
  divergence: Divergence | null;
  /** Every snapshot, with every layer's singular values. */
  snapshots: Snapshot[];
  /** A lockstep comparison run, if there was one: its overrides and its snapshots. */
  compare?: Partial<Config>;
  comparison?: Snapshot[];
  /** Where the run came from: 'cli' or 'page'. */
  writtenBy: 'cli' | 'page';
}

export function runFile(r: Omit<RunFile, 'query' | 'compare' | 'comparison'> & { compare?: Partial<Config> | null; comparison?: Snapshot[] }): RunFile {
  const { compare, comparison, ...rest } = r;
  return {
    ...rest,
    query: configToQuery(r.config),
    divergence: r.divergence ?? null,
    ...(compare ? { compare, comparison: comparison ?? [] } : {}),
  };
}

const csvNumber = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '' : String(v));

/**
 * One row per snapshot: step, epoch, train loss, test accuracy, mean rank and each layer's rank;
 * with a comparison run, the same columns for it (prefixed comparison_) from its snapshot at the
 * same step (lockstep runs are measured together). Empty cells for values that do not exist.
 */
export function runCsv(file: RunFile): string {
  const layers = file.snapshots[0]?.layers.map((l) => l.name) ?? [];
  const columns = (prefix: string) => [
    `${prefix}train_loss`, `${prefix}test_accuracy`, `${prefix}mean_rank`, ...layers.map((n) => `${prefix}rank_${n}`),
  ];
  const values = (s: Snapshot | undefined) => (s
    ? [csvNumber(s.trainLoss), csvNumber(s.testAccuracy), csvNumber(s.meanRank), ...layers.map((_, i) => csvNumber(s.layers[i]?.rank))]
    : new Array(3 + layers.length).fill(''));
  const comparison = file.comparison ? new Map(file.comparison.map((s) => [s.step, s])) : null;
  const head = ['step', 'epoch', ...columns(''), ...(comparison ? columns('comparison_') : [])];
  const rows = file.snapshots.map((s) => [String(s.step), csvNumber(s.epoch), ...values(s), ...(comparison ? values(comparison.get(s.step)) : [])]);
  return [head, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}
