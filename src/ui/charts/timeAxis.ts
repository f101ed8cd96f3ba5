// The time axis shared by the rank and training charts: step or epoch, spanning
// every run drawn (in epochs, a larger batch in a comparison runs ahead).

import { plainTick } from './PlainTick';
import { AXIS_LABEL_STYLE, TOOLTIP_CONTENT_STYLE, X_LABEL, formatEpoch, formatStep, formatChartValue, niceCeil } from './format';
import type { TimeAxis } from '../../core/config/link';

/**
 * From the first x drawn to a round number at or past the last (1, 1.2, 1.5, 2, 2.5, 3, 4, 5,
 * 6, 8 x 10^k: the curves fill at least 80% of the width). Round, the domain and its ticks
 * stay put between refreshes for most of a run: new ticks make recharts render the whole
 * chart a second time, synchronously, a long task on the page's main thread.
 */
export function timeDomain(...series: ReadonlyArray<ReadonlyArray<{ x?: number | null }> | null>): [number, number] {
  const xs = series.flatMap((rows) => (rows ?? []).map((r) => r.x ?? 0));
  if (xs.length === 0) return [0, 1];
  const first = Math.min(...xs);
  const last = Math.max(...xs);
  return last > first ? [first, niceCeil(last)] : [first, first + 1];
}

const STEP_TICK = plainTick((v) => formatStep(v as number));
const EPOCH_TICK = plainTick((v) => formatEpoch(v as number));

/** Props for recharts' <XAxis> (spread them: recharts needs XAxis itself as a direct child). */
export function timeAxisProps(timeAxis: TimeAxis, domain: [number, number]) {
  return {
    dataKey: 'x',
    type: 'number' as const,
    domain,
    allowDecimals: timeAxis === 'epoch',
    tickFormatter: timeAxis === 'step' ? formatStep : formatEpoch,
    tick: timeAxis === 'step' ? STEP_TICK : EPOCH_TICK,
    // Every tick recharts picks is drawn: it does not measure each label's text to thin them
    // out (a forced layout per label per update). The domain is round, so five ticks fit.
    interval: 0,
    label: { value: X_LABEL[timeAxis], position: 'insideBottom' as const, offset: -2, style: AXIS_LABEL_STYLE },
    height: 38,
  };
}

/** Props for recharts' <Tooltip> on a time axis: "step 1200" or "epoch 1.5", values compact. */
export function timeTooltipProps(timeAxis: TimeAxis) {
  return {
    isAnimationActive: false,
    contentStyle: TOOLTIP_CONTENT_STYLE,
    labelFormatter: (x: unknown) => `${timeAxis} ${formatChartValue(x)}`,
    formatter: (v: unknown) => formatChartValue(v),
  };
}
