// The time axis shared by the rank and training charts: step or epoch, spanning
// every run drawn (in epochs, a larger batch in a comparison runs ahead).

import { AXIS_LABEL_STYLE, TICK_STYLE, X_LABEL, formatEpoch, formatStep } from './format';

export function timeDomain(...series: ReadonlyArray<ReadonlyArray<{ x?: number | null }> | null>): [number, number] {
  const xs = series.flatMap((rows) => (rows ?? []).map((r) => r.x ?? 0));
  if (xs.length === 0) return [0, 1];
  const first = Math.min(...xs);
  const last = Math.max(...xs);
  return last > first ? [first, last] : [first, first + 1];
}

/** Props for recharts' <XAxis> (spread them: recharts needs XAxis itself as a direct child). */
export function timeAxisProps(xAxis: 'step' | 'epoch', domain: [number, number]) {
  return {
    dataKey: 'x',
    type: 'number' as const,
    domain,
    allowDecimals: xAxis === 'epoch',
    tickFormatter: xAxis === 'step' ? formatStep : formatEpoch,
    tick: TICK_STYLE,
    label: { value: X_LABEL[xAxis], position: 'insideBottom' as const, offset: -2, style: AXIS_LABEL_STYLE },
    height: 38,
  };
}
