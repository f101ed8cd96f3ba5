// What a sweep produces, in one format for the CLI (sweep.json, sweep.csv), shards and
// their merge, and the page: the spec, then one result per cell in cell order.

import type { Config } from '../config/fields';
import type { Snapshot } from '../train/snapshot';
import { gridSize, type Grid, type SweepAxis, type SweepBasis } from './grid';
import type { Shard, SweepCell, SweepSpec } from './cells';

export const SWEEP_FORMAT = 'ranklab-sweep';
export const SWEEP_FORMAT_VERSION = 1;

/**
 * ok: trained to the end. diverged: the loss became NaN or infinite (no numbers). collapsed:
 * trained to the end, but weight decay shrank the network to chance accuracy, so its rank
 * describes no working network.
 */
export type CellStatus = 'ok' | 'diverged' | 'collapsed';

/** A measurement along the way, when a sweep asks for more than one point per cell. */
export interface CellPoint {
  step: number;
  meanRank: number;
  testAccuracy: number;
}

export interface CellResult {
  index: number;
  params: Partial<Record<SweepAxis, number>>;
  seed: number;
  status: CellStatus;
  /** At the cell's last measurement; null when it diverged. */
  meanRank: number | null;
  /** Each layer's rank, in layer order. */
  ranks: number[] | null;
  testAccuracy: number | null;
  trainLoss: number | null;
  /** Steps trained (fewer than planned when it diverged). */
  steps: number;
  /** Wall-clock seconds the cell took: the one field that depends on the machine, not on the settings. */
  seconds: number;
  /** Why it diverged or collapsed, in words. */
  reason?: string;
  /** Every measurement after step 0, when the sweep asked for more than one point. */
  points?: CellPoint[];
}

export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_FORMAT_VERSION;
  /** Each axis and its values, in the grid's order. */
  grid: Partial<Record<SweepAxis, number[]>>;
  /** The base config every cell starts from. */
  config: Config;
  basis: SweepBasis;
  seeds: number;
  points: number;
  /** The measured layers' names, the order of `ranks`. */
  layers: string[];
  /** Only in a shard's file: which cells it holds. */
  shard?: string;
  cells: CellResult[];
}

export const gridRecord = (grid: Grid): Partial<Record<SweepAxis, number[]>> =>
  Object.fromEntries(grid.map((a) => [a.field, a.values]));

export const gridFromRecord = (record: Partial<Record<SweepAxis, number[]>>): Grid =>
  Object.entries(record).map(([field, values]) => ({ field: field as SweepAxis, values: values ?? [] }));

/** A cell's result from its run's snapshots (oldest first) and divergence, if any. */
export function cellResult(cell: SweepCell, snapshots: Snapshot[], divergence: { step: number; reason: string } | undefined, seconds: number, points: number): CellResult {
  const last = snapshots[snapshots.length - 1];
  const base = { index: cell.index, params: cell.params, seed: cell.seed, seconds };
  const along = points > 1 ? { points: snapshots.filter((s) => s.step > 0).map((s) => ({ step: s.step, meanRank: s.meanRank, testAccuracy: s.testAccuracy })) } : {};
  if (divergence || !last) {
    return { ...base, status: 'diverged', meanRank: null, ranks: null, testAccuracy: null, trainLoss: null, steps: divergence?.step ?? 0, reason: divergence?.reason, ...along };
  }
  return {
    ...base,
    status: last.collapse ? 'collapsed' : 'ok',
    meanRank: last.meanRank,
    ranks: last.layers.map((l) => l.rank),
    testAccuracy: last.testAccuracy,
    trainLoss: last.trainLoss,
    steps: last.step,
    ...(last.collapse ? { reason: last.collapse } : {}),
    ...along,
  };
}

export function sweepFile(spec: SweepSpec, layers: string[], cells: CellResult[], shard?: Shard): SweepFile {
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_FORMAT_VERSION,
    grid: gridRecord(spec.grid),
    config: spec.base,
    basis: spec.basis,
    seeds: spec.seeds,
    points: spec.points,
    layers,
    ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
    cells: [...cells].sort((a, b) => a.index - b.index),
  };
}

export const specOf = (file: SweepFile): SweepSpec => ({ grid: gridFromRecord(file.grid), base: file.config, seeds: file.seeds, basis: file.basis, points: file.points });

/** JSON text of a sweep file (one cell per line, so a diff of two sweeps reads cell by cell). */
export function sweepJson(file: SweepFile): string {
  const { cells, ...head } = file;
  const headText = JSON.stringify(head);
  return `${headText.slice(0, -1)},"cells":[\n${cells.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`;
}

const csvNumber = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const csvText = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row per cell and seed: the grid's values, the seed, the outcome and each layer's rank. */
export function sweepCsv(file: SweepFile): string {
  const axes = Object.keys(file.grid) as SweepAxis[];
  const header = ['index', ...axes, 'seed', 'status', 'meanRank', 'testAccuracy', 'trainLoss', 'steps', 'seconds', ...file.layers.map((l) => `rank_${l}`)];
  const rows = file.cells.map((c) => [
    String(c.index), ...axes.map((a) => csvNumber(c.params[a])), String(c.seed), c.status,
    csvNumber(c.meanRank), csvNumber(c.testAccuracy), csvNumber(c.trainLoss), String(c.steps), String(c.seconds),
    ...file.layers.map((_, i) => csvNumber(c.ranks?.[i])),
  ].map(csvText).join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}

/** Reasons a parsed JSON value is not a sweep file this version can read (empty when it is). */
export function sweepFileProblems(value: unknown): string[] {
  const f = value as Partial<SweepFile> | null;
  if (!f || typeof f !== 'object') return ['not a JSON object'];
  if (f.format !== SWEEP_FORMAT) return [`not a RankLab sweep (format ${JSON.stringify(f.format)})`];
  if (f.version !== SWEEP_FORMAT_VERSION) return [`sweep format version ${String(f.version)}; this RankLab reads version ${SWEEP_FORMAT_VERSION}`];
  const problems: string[] = [];
  if (!f.grid || typeof f.grid !== 'object') problems.push('no grid');
  if (!f.config || typeof f.config !== 'object') problems.push('no config');
  if (!Array.isArray(f.cells)) problems.push('no cells');
  if (!Array.isArray(f.layers)) problems.push('no layers');
  return problems;
}

/** Cells as they must be equal in two runs of the same cell: everything but the time taken. */
const resultKey = (c: CellResult) => JSON.stringify({ ...c, seconds: 0 });

/**
 * Merge shards of one sweep into the file the unsharded sweep writes. Throws, saying why,
 * when the shards belong to different sweeps, disagree on a cell or leave cells out.
 */
export function mergeSweeps(files: SweepFile[]): SweepFile {
  if (files.length === 0) throw new Error('nothing to merge');
  const headOf = (f: SweepFile) => JSON.stringify({ ...f, cells: undefined, shard: undefined });
  const head = headOf(files[0]);
  files.forEach((f, i) => {
    if (headOf(f) !== head) throw new Error(`file ${i + 1} is a shard of a different sweep (grid, config, basis, seeds or points differ from the first file's)`);
  });
  const byIndex = new Map<number, CellResult>();
  for (const f of files) {
    for (const c of f.cells) {
      const seen = byIndex.get(c.index);
      if (seen && resultKey(seen) !== resultKey(c)) throw new Error(`cell ${c.index} differs between shards (${JSON.stringify(c.params)}, seed ${c.seed}): a cell's result must depend on its settings and seed alone`);
      if (!seen) byIndex.set(c.index, c);
    }
  }
  const spec = specOf(files[0]);
  const expected = gridSize(spec.grid) * spec.seeds;
  const missing: number[] = [];
  for (let i = 0; i < expected && missing.length < 10; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length) throw new Error(`the shards hold ${byIndex.size} of ${expected} cells; missing cells ${missing.join(', ')}${byIndex.size + missing.length < expected ? ', ...' : ''} (is a shard's folder left out?)`);
  const { shard: _shard, ...rest } = files[0];
  return { ...rest, cells: [...byIndex.values()].sort((a, b) => a.index - b.index) };
}
