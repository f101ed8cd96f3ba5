// A sweep in the share link: view=sweep&grid=<the CLI's --grid text>&seeds=S&basis=steps|epochs,
// next to the config fields (the sweep's base) in the same link. The same names as the CLI's
// flags; what is invalid is repaired with a notice, as every field of a link is.

import type { Config } from '../config/fields';
import { gridToText, parseGrid, SWEEP_BASES, type Grid, type SweepBasis } from './grid';
import { MAX_SEEDS } from './grid';

/** The keys a sweep adds to a link (none of them a config field). */
export const SWEEP_LINK_KEYS = ['view', 'grid', 'seeds', 'basis'] as const;

export const VIEWS = ['lab', 'sweep'] as const;

/** Values per axis a link's sweep keeps (the page's heatmaps; the CLI takes any number). */
export const MAX_LINK_AXIS_VALUES = 12;
export type View = (typeof VIEWS)[number];

export interface SweepLink {
  view: View;
  /** The sweep's definition (the lab's config is its base); kept while the lab is on screen. */
  grid: Grid;
  seeds: number;
  basis: SweepBasis;
}

/** The paper's directions on the default model: smaller batches and more weight decay lower the rank. */
export const DEFAULT_GRID_TEXT = 'batchSize=8,32,128;weightDecay=0,0.005,0.01,0.02';

export function defaultSweepLink(base: Config): SweepLink {
  return { view: 'lab', grid: parseGrid(DEFAULT_GRID_TEXT, base).grid, seeds: 1, basis: 'steps' };
}

export function sweepFromParams(params: URLSearchParams, base: Config): { sweep: SweepLink; problems: string[] } {
  const sweep = defaultSweepLink(base);
  const problems: string[] = [];
  const view = params.get('view');
  if (view !== null) {
    if ((VIEWS as readonly string[]).includes(view)) sweep.view = view as View;
    else problems.push(`view: ${JSON.stringify(view.slice(0, 20))} is not one of ${VIEWS.join(', ')}; showing the lab`);
  }
  const gridText = params.get('grid');
  if (gridText !== null) {
    const parsed = parseGrid(gridText, base);
    problems.push(...parsed.problems.slice(0, 5).map((p) => `grid: ${p}`));
    if (parsed.problems.length > 5) problems.push(`grid: ${parsed.problems.length - 5} more problems`);
    const long = parsed.grid.filter((a) => a.values.length > MAX_LINK_AXIS_VALUES);
    if (long.length) problems.push(`grid: at most ${MAX_LINK_AXIS_VALUES} values per axis; the first ${MAX_LINK_AXIS_VALUES} of ${long.map((a) => a.field).join(', ')} are used`);
    if (parsed.grid.length) sweep.grid = parsed.grid.slice(0, 2).map((a) => ({ ...a, values: a.values.slice(0, MAX_LINK_AXIS_VALUES) }));
    else problems.push(`grid: using ${DEFAULT_GRID_TEXT}`);
    if (parsed.grid.length > 2) problems.push('grid: the page draws one or two axes; the first two are used');
  }
  const seedsText = params.get('seeds');
  if (seedsText !== null) {
    const n = Number(seedsText);
    if (/^\d+$/.test(seedsText.trim()) && n >= 1 && n <= MAX_SEEDS) sweep.seeds = n;
    else problems.push(`seeds: ${JSON.stringify(seedsText.slice(0, 20))} is not a whole number from 1 to ${MAX_SEEDS}; using 1`);
  }
  const basis = params.get('basis');
  if (basis !== null) {
    if ((SWEEP_BASES as readonly string[]).includes(basis)) sweep.basis = basis as SweepBasis;
    else problems.push(`basis: ${JSON.stringify(basis.slice(0, 20))} is not one of ${SWEEP_BASES.join(', ')}; using steps`);
  }
  return { sweep, problems };
}

/** The link's sweep keys: written only when the sweep view is open or differs from the default. */
export function sweepToParams(sweep: SweepLink, base: Config): string {
  const fallback = defaultSweepLink(base);
  const sameSpec = gridToText(sweep.grid) === gridToText(fallback.grid) && sweep.seeds === 1 && sweep.basis === 'steps';
  if (sweep.view === 'lab' && sameSpec) return '';
  const params = new URLSearchParams();
  if (sweep.view !== 'lab') params.set('view', sweep.view);
  params.set('grid', gridToText(sweep.grid));
  params.set('seeds', String(sweep.seeds));
  params.set('basis', sweep.basis);
  return params.toString();
}
