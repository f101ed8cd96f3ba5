// A sweep's results as the page draws them: one entry per setting (seeds averaged), with the
// words a screen reader says for it, its state and a colour scale. Pure: tested in Node.

import { configToQuery } from '../../core/config/query';
import { describeParams, sweepCells, type SweepSpec } from '../../core/sweep/cells';
import type { SweepAxis } from '../../core/sweep/grid';
import type { CellResult } from '../../core/sweep/result';

export type SettingState = 'pending' | 'ok' | 'diverged' | 'collapsed';

export interface SettingResult {
  params: Partial<Record<SweepAxis, number>>;
  state: SettingState;
  /** Means over the seeds done (null unless ok). */
  meanRank: number | null;
  accuracy: number | null;
  /** Smallest and largest mean rank over the seeds done (ok only). */
  rankRange: [number, number] | null;
  seedsDone: number;
  /** e.g. "batchSize 8, weightDecay 0.01: mean rank 41.25, accuracy 0.882". */
  label: string;
  /** Query of a lab link to this setting (its first seed, measured as often as the lab's settings say). */
  labQuery: string;
}

const paramsKey = (p: Partial<Record<SweepAxis, number>>) => JSON.stringify(p);

/** One entry per setting, in cell order (the last axis fastest). */
export function settingResults(spec: SweepSpec, results: CellResult[]): SettingResult[] {
  const byKey = new Map<string, CellResult[]>();
  for (const r of results) {
    const key = paramsKey(r.params);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const out: SettingResult[] = [];
  for (const cell of sweepCells(spec)) {
    if (cell.seed !== spec.base.seed) continue; // one entry per setting: its first seed's cell
    const done = byKey.get(paramsKey(cell.params)) ?? [];
    const ok = done.filter((r) => r.status === 'ok');
    const state: SettingState = done.length === 0 ? 'pending'
      : done.some((r) => r.status === 'diverged') ? 'diverged'
        : done.some((r) => r.status === 'collapsed') ? 'collapsed' : 'ok';
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ranks = ok.map((r) => r.meanRank!);
    const meanRank = state === 'ok' ? mean(ranks) : null;
    const accuracy = state === 'ok' ? mean(ok.map((r) => r.testAccuracy!)) : null;
    const seedsNote = spec.seeds > 1 && done.length > 0 ? ` (${done.length} of ${spec.seeds} seeds)` : '';
    const what = state === 'pending' ? 'not run yet'
      : state === 'diverged' ? 'diverged (the loss became NaN or infinite)'
        : state === 'collapsed' ? 'collapsed (accuracy at chance; its rank describes no working network)'
          : `mean rank ${meanRank!.toFixed(2)}, accuracy ${accuracy!.toFixed(3)}`;
    out.push({
      params: cell.params, state, meanRank, accuracy,
      rankRange: state === 'ok' ? [Math.min(...ranks), Math.max(...ranks)] : null,
      seedsDone: done.length,
      label: `${describeParams(cell.params)}: ${what}${seedsNote}`,
      // The lab measures on its own schedule (a cell is measured only at its end): same training, more points.
      labQuery: configToQuery({ ...cell.config, snapshotEvery: spec.base.snapshotEvery }),
    });
  }
  return out;
}

/**
 * The range a heatmap's colours span: its values' smallest to largest, but never narrower than
 * `minSpan` below the largest, so that noise between near-equal cells (98.0 against 97.8) does
 * not look like an effect.
 */
export function colourRange(values: number[], minSpan: number): [number, number] {
  if (!values.length) return [0, 1];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return [Math.min(lo, hi - minSpan), hi];
}

// Viridis, sampled: perceptually even, readable in greyscale and by colour-blind viewers.
const STOPS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** A colour for `value` on [lo, hi] (the middle of the scale when lo = hi), and a text colour that reads on it. */
export function scaleColour(value: number, lo: number, hi: number): { background: string; text: string } {
  const t = hi > lo ? Math.min(1, Math.max(0, (value - lo) / (hi - lo))) : 0.5;
  const x = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const mix = (a: string, b: string, f: number) => {
    const [ra, ga, ba] = [1, 3, 5].map((k) => parseInt(a.slice(k, k + 2), 16));
    const [rb, gb, bb] = [1, 3, 5].map((k) => parseInt(b.slice(k, k + 2), 16));
    return [ra + (rb - ra) * f, ga + (gb - ga) * f, ba + (bb - ba) * f].map((v) => Math.round(v));
  };
  const [r, g, b] = mix(STOPS[i], STOPS[i + 1], x - i);
  const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return { background: `rgb(${r}, ${g}, ${b})`, text: luminance > 0.5 ? '#000000' : '#ffffff' };
}
