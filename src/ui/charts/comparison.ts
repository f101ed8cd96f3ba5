import type { HistoryPoint } from '../../state/history';

/** The second run of a lockstep comparison, as the charts overlay it. */
export interface ComparisonSeries {
  /** Short words for each run, e.g. "lambda = 0" and "lambda = 0.025". */
  label: string;
  mainLabel: string;
  history: HistoryPoint[];
}

/** A chart's table: `x` and one column per series (null or absent where a series has no value). */
export type ChartRow = Record<string, number | null>;

/** The comparison run's columns are its own columns under this prefix. */
export const COMPARISON_PREFIX = 'comparison_';

/**
 * One table for a chart and its comparison run: the rows of both by x, the comparison's
 * `fields` renamed with COMPARISON_PREFIX. Every line then reads the chart's one data array:
 * a line with data of its own is kept in recharts' store, and every update of it re-renders the
 * whole chart a second time, synchronously (a 50-150 ms task each second while training); and
 * the tooltip looks up every line at the hovered x, not at the same index of different arrays.
 */
export function withComparison(rows: readonly ChartRow[], comparisonRows: readonly ChartRow[] | null, fields: readonly string[]): ChartRow[] {
  if (!comparisonRows) return rows as ChartRow[];
  const byX = new Map<number, ChartRow>();
  for (const r of rows) byX.set(r.x as number, { ...r });
  for (const c of comparisonRows) {
    const x = c.x as number;
    const row = byX.get(x) ?? { x };
    for (const f of fields) row[COMPARISON_PREFIX + f] = c[f] ?? null;
    byX.set(x, row);
  }
  return [...byX.values()].sort((a, b) => (a.x as number) - (b.x as number));
}
