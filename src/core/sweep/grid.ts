// A sweep: the paper's grids. One or more axes among the three hyperparameters the paper
// varies, each a list of values; every other setting comes from one base config. Its text
// form ("batchSize=8,32,128;weightDecay=0,0.01") is the same in the CLI's --grid and in the
// share link, and every value is checked against the settings table like any other.

import { CONFIG_FIELDS, type Config } from '../config/fields';
import { parseConfig } from '../config/parse';
import { valueFromText } from '../config/query';

/** The settings a sweep may vary: the paper's three. */
export const SWEEP_AXES = ['batchSize', 'learningRate', 'weightDecay'] as const;
export type SweepAxis = (typeof SWEEP_AXES)[number];

/**
 * Equal steps: every cell trains config.steps steps. Equal epochs: every cell sees as many
 * samples as config.steps steps at the base batch size, so a cell of batch size B trains
 * steps * base B / B steps (the batch-size effect depends on which of the two is held fixed).
 */
export const SWEEP_BASES = ['steps', 'epochs'] as const;
export type SweepBasis = (typeof SWEEP_BASES)[number];

export interface GridAxis {
  field: SweepAxis;
  values: number[];
}

/** The axes in the order given; at most one axis per field. */
export type Grid = GridAxis[];

/** The most cells (settings x seeds) one sweep may have: beyond it, a typo, not a plan. */
export const MAX_CELLS = 10_000;
export const MAX_SEEDS = 100;

export const isSweepAxis = (name: string): name is SweepAxis => (SWEEP_AXES as readonly string[]).includes(name);

/** The value a sweep axis takes in a config, or a reason it cannot (out of range, or inconsistent with the base). */
function checkValue(base: Config, field: SweepAxis, raw: unknown): { value: number } | { problem: string } {
  const spec = CONFIG_FIELDS[field];
  const parsed = parseConfig({ ...base, [field]: raw });
  const problem = parsed.problems.find((p) => p.field === field);
  if (problem) return { problem: problem.message };
  if (typeof raw !== 'number' || parsed.config[field] !== raw) return { problem: `${field}: ${String(raw)} is not a valid ${spec.label.toLowerCase()}` };
  return { value: raw };
}

/**
 * Parse "batchSize=8,32;weightDecay=0,0.01" against `base`. Every problem is reported (a
 * value out of range, an unknown axis, a field given twice, an empty list); the grid keeps
 * what is valid, so a share link can be repaired with a notice and the CLI can refuse.
 */
export function parseGrid(text: string, base: Config): { grid: Grid; problems: string[] } {
  const grid: Grid = [];
  const problems: string[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const field = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!isSweepAxis(field)) {
      problems.push(`a sweep varies ${SWEEP_AXES.join(', ')}; "${field.slice(0, 40)}" is not one of them`);
      continue;
    }
    if (grid.some((a) => a.field === field)) {
      problems.push(`${field} is given twice; the first list is used`);
      continue;
    }
    const values: number[] = [];
    for (const item of (eq < 0 ? '' : part.slice(eq + 1)).split(',').map((v) => v.trim()).filter(Boolean)) {
      const checked = checkValue(base, field, valueFromText(CONFIG_FIELDS[field], item));
      if ('problem' in checked) problems.push(checked.problem.replace(/; using .*$/, '') + ` (in the ${field} list; left out)`);
      else if (values.includes(checked.value)) problems.push(`${field}: ${item} is listed twice (once is used)`);
      else values.push(checked.value);
    }
    if (values.length === 0) problems.push(`${field} has no valid value; the axis is left out`);
    else grid.push({ field, values });
  }
  if (grid.length === 0 && problems.length === 0) problems.push('the grid is empty (e.g. "weightDecay=0,0.005,0.01,0.02")');
  return { grid, problems };
}

/** The text form parseGrid reads: axes in order, values as given. */
export function gridToText(grid: Grid): string {
  return grid.map((a) => `${a.field}=${a.values.join(',')}`).join(';');
}

/** Number of settings the grid spans (cells per seed). */
export const gridSize = (grid: Grid) => grid.reduce((n, a) => n * a.values.length, 1);
