import type { HistoryPoint } from '../../state/history';

/** The second run of a lockstep comparison, as the charts overlay it. */
export interface ComparisonSeries {
  /** Short words for each run, e.g. "lambda = 0" and "lambda = 0.025". */
  label: string;
  mainLabel: string;
  history: HistoryPoint[];
}
