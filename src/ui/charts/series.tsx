// One list of a chart's lines draws both the lines and the legend, so the two cannot disagree.

import { Line } from 'recharts';
import type { LegendEntry } from './ChartLegend';
import { ACTIVE_DOT, SERIES_LINE } from './format';

/** One line of a chart: its column, its axis and how it looks (which its legend entry shows too). */
export interface ChartSeries extends LegendEntry {
  dataKey: string;
  /** Which y axis, in a chart with two. */
  yAxisId?: string;
  /** Whether hovering marks this line with a dot. */
  hoverDot: boolean;
}

/** The recharts <Line> of a series (map a chart's series through it, inside the chart). */
export function seriesLine(s: ChartSeries) {
  return (
    <Line
      {...SERIES_LINE}
      key={s.dataKey}
      dataKey={s.dataKey}
      yAxisId={s.yAxisId}
      name={s.name}
      stroke={s.colour}
      strokeDasharray={s.dash}
      strokeWidth={s.width}
      activeDot={s.hoverDot ? ACTIVE_DOT : false}
    />
  );
}
