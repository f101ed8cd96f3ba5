// A chart's many thin lines (a deep network's layers, the spectrum's overlays) as plain SVG
// paths in the chart's own scales. Each recharts <Line> registers with the chart's store and
// re-runs its selectors whenever the data changes; with ten layers (and their step-0 overlay
// in the spectrum) one refresh of a chart took 50-110 ms on this machine's main thread, the
// page's long tasks while training. These lines have no hover dot, so recharts adds nothing
// for them that a path does not; the chart's tooltip still names each (plainLinesTooltip). A
// chart keeps at least one recharts line: its tooltip shows only while one has a value.

import { useId, useMemo, type ReactElement } from 'react';
import { DefaultTooltipContent, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { DefaultTooltipContentProps, TooltipPayloadEntry } from 'recharts';
import type { ChartSeries } from './series';

type Row = Readonly<Record<string, number | null | undefined>>;
type Scale = (value: unknown) => unknown;

/**
 * The path through a series' points in row order, joined across rows where it has no value
 * (as the chart's recharts lines are: connectNulls). Empty when it has fewer than two points.
 */
export function pathOf(rows: readonly Row[], xKey: string, yKey: string, x: Scale, y: Scale): string {
  let d = '';
  let points = 0;
  for (const row of rows) {
    const v = row[yKey];
    const at = row[xKey];
    if (v == null || at == null || !Number.isFinite(v)) continue;
    const px = x(at) as number, py = y(v) as number;
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    d += `${points === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
    points++;
  }
  return points > 1 ? d : '';
}

export interface PlainLinesProps {
  rows: readonly Row[];
  /** The column of each row that is its x value. */
  xKey: string;
  series: readonly ChartSeries[];
}

/** Inside a recharts chart, drawn under its recharts lines and clipped to the plot. */
export function PlainLines({ rows, xKey, series }: PlainLinesProps): ReactElement | null {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const clipId = useId();
  const paths = useMemo(
    () => (x && y ? series.map((s) => ({ s, d: pathOf(rows, xKey, s.dataKey, x, y) })) : []),
    [rows, xKey, series, x, y],
  );
  if (!x || !y || !area) return null;
  return (
    <g className="plain-lines">
      <defs>
        <clipPath id={clipId}><rect x={area.x} y={area.y} width={area.width} height={area.height} /></clipPath>
      </defs>
      <g clipPath={`url(#${clipId})`}>
        {paths.map(({ s, d }) => d && (
          <path
            key={s.dataKey}
            className="plain-line"
            d={d}
            fill="none"
            stroke={s.colour}
            strokeWidth={s.width}
            strokeDasharray={s.dash}
            strokeLinejoin="round"
          />
        ))}
      </g>
    </g>
  );
}

/**
 * Tooltip content that names, in order, each of `listed` with its value in the row under the
 * pointer (recharts knows nothing of plain lines), then the chart's other recharts lines.
 */
export function plainLinesTooltip(rows: readonly Row[], xKey: string, listed: readonly ChartSeries[]) {
  const byX = new Map(rows.map((r) => [r[xKey], r]));
  const keys = new Set(listed.map((s) => s.dataKey));
  return function PlainLinesTooltip(props: DefaultTooltipContentProps) {
    const row = byX.get(props.label as number);
    const entries: TooltipPayloadEntry[] = [];
    if (row) {
      for (const s of listed) {
        const v = row[s.dataKey];
        if (v != null && Number.isFinite(v)) entries.push({ name: s.name, value: v, color: s.colour, dataKey: s.dataKey, graphicalItemId: s.dataKey });
      }
    }
    const payload = [...entries, ...(props.payload ?? []).filter((p) => !keys.has(String(p.dataKey)))];
    // In this order (recharts sorts by name by default: fc1, fc10, fc2, ...).
    const order = new Map(payload.map((p, i) => [p.dataKey, i]));
    return <DefaultTooltipContent {...props} payload={payload} itemSorter={(item) => order.get(item.dataKey)} />;
  };
}
