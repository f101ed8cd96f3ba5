// The epsilon-rank of every weight matrix over the run, with the mean as a thick
// dark line and each layer's largest possible rank as a dashed ceiling.

import { memo, useMemo } from 'react';
import {
  ReferenceLine, Tooltip, XAxis, YAxis,
} from 'recharts';
import { downsample, type HistoryPoint } from '../../state/history';
import { rankCaption } from './captions';
import { COMPARISON_PREFIX, withComparison, type ComparisonSeries } from './comparison';
import { timeAxisProps, timeDomain, timeTooltipProps } from './timeAxis';
import { ChartFrame } from './ChartFrame';
import { plainTick } from './PlainTick';
import { plotHeight, titleLines, yAxisTitle, yAxisWidth } from './axisTitle';
import { seriesLine, type ChartSeries } from './series';
import { DEFAULT_CHART_HEIGHT, niceCeil } from './format';
import { sameItems } from './sameItems';
import { PlainLines, plainLinesTooltip } from './PlainLines';
import { MEAN_COLOUR, REFERENCE_COLOUR, layerColour, layerDash } from './palette';

const TITLE = 'Rank of each layer';

export interface RankChartProps {
  history: HistoryPoint[];
  /** A second run trained in lockstep: its mean rank is drawn dashed over this one. */
  comparison?: ComparisonSeries;
  layerNames: string[];
  /** min(shape) of each layer, in layer order. */
  maxRanks: number[];
  timeAxis: 'step' | 'epoch';
  /** Plot height in px (default 230). */
  height?: number;
}

/** Points drawn however long the run. */
const MAX_POINTS = 300;

/** Vertical px between two labelled maximum-rank lines. */
const MIN_LABEL_GAP_PX = 15;

const Y_TITLE = 'Rank (singular values above eps)';

const RANK_TICK = plainTick((v) => String(v));

/** Ticks on the rank axis: five where the plot has room, fewer on a low one (presentation mode's), so their labels never touch. */
const rankTicks = (plotPx: number) => (plotPx >= 100 ? 5 : plotPx >= 55 ? 4 : 3);

type Row = Record<string, number | null>;

/** `x`, `mean`, and `r0`, `r1`, ... by layer position (names may hold characters a data key should not). */
function buildRows(history: readonly HistoryPoint[], layerCount: number, timeAxis: 'step' | 'epoch'): Row[] {
  return downsample(history, MAX_POINTS).map((p) => {
    const row: Row = { x: p[timeAxis], mean: Number.isFinite(p.meanRank) ? p.meanRank : null };
    for (let i = 0; i < layerCount; i++) {
      const r = p.ranks[i];
      row[`r${i}`] = r !== undefined && Number.isFinite(r) ? r : null;
    }
    return row;
  });
}

/**
 * Re-renders only when what it draws changes: the same history array, and layer
 * names and maxima equal item by item (a parent may rebuild those every render).
 */
export const RankChart = memo(RankChartImpl, (a: RankChartProps, b: RankChartProps) =>
  a.history === b.history && a.comparison?.history === b.comparison?.history && a.comparison?.label === b.comparison?.label
  && a.comparison?.mainLabel === b.comparison?.mainLabel
  && a.timeAxis === b.timeAxis && a.height === b.height
  && sameItems(a.layerNames, b.layerNames) && sameItems(a.maxRanks, b.maxRanks));

function RankChartImpl({ history, comparison, layerNames, maxRanks, timeAxis, height = DEFAULT_CHART_HEIGHT }: RankChartProps) {
  const ownRows = useMemo(() => buildRows(history, layerNames.length, timeAxis), [history, layerNames.length, timeAxis]);
  const comparisonRows = useMemo(() => (comparison ? buildRows(comparison.history, 0, timeAxis) : null), [comparison, timeAxis]);
  const rows = useMemo(() => withComparison(ownRows, comparisonRows, ['mean']), [ownRows, comparisonRows]);
  const caption = useMemo(() => rankCaption(history, comparison?.history), [history, comparison]);
  // Keyed on the values: a parent may pass equal maxima in a new array every render.
  const maxRanksKey = maxRanks.join(',');
  const ceilings = useMemo(
    () => Array.from(new Set(maxRanks.filter((m) => Number.isFinite(m) && m > 0))).sort((a, b) => a - b),
    [maxRanksKey],
  );
  const yTop = useMemo(() => {
    let top = ceilings.length > 0 ? ceilings[ceilings.length - 1] : 0;
    for (const row of rows) {
      for (const [key, v] of Object.entries(row)) if (key !== 'x' && v !== null && v > top) top = v;
    }
    // Headroom so the top ceiling's label fits above its line, rounded so the ticks are round.
    return top > 0 ? Math.max(1, niceCeil(top * 1.1)) : 10;
  }, [rows, ceilings]);
  // Label a ceiling only when it is clear of the one above, so close maxima do not print over each other.
  const labelled = useMemo(() => {
    const room = plotHeight(height, true);
    const out = new Set<number>();
    let last = Number.POSITIVE_INFINITY;
    for (let k = ceilings.length - 1; k >= 0; k--) {
      const m = ceilings[k];
      if (((last - m) / yTop) * room >= MIN_LABEL_GAP_PX) {
        out.add(m);
        last = m;
      }
    }
    return out;
  }, [ceilings, yTop, height]);
  const yTitle = useMemo(() => titleLines(Y_TITLE, plotHeight(height, true), 'Rank'), [height]);
  const yLabel = useMemo(() => ({ content: yAxisTitle(yTitle, 'left') }), [yTitle]);
  const xDomain = useMemo(() => timeDomain(rows), [rows]);
  const [domainStart, domainEnd] = xDomain;
  const tooltipProps = useMemo(() => timeTooltipProps(timeAxis), [timeAxis]);
  const xAxisProps = useMemo(() => timeAxisProps(timeAxis, [domainStart, domainEnd]), [timeAxis, domainStart, domainEnd]);
  const ceilingLabels = useMemo(() => new Map(ceilings.map((m) => [m, { value: `max ${m}`, position: 'insideBottomRight' as const, fontSize: 12, fill: REFERENCE_COLOUR, halo: true }])), [ceilings]);
  // The layers as plain paths under the means (recharts lines): see PlainLines.tsx.
  const layerSeries = useMemo<ChartSeries[]>(
    () => layerNames.map((name, i) => ({ dataKey: `r${i}`, name, colour: layerColour(i), dash: layerDash(i), width: 1.25, hoverDot: false, group: 'layers' })),
    [layerNames],
  );
  const meanSeries = useMemo<ChartSeries[]>(() => [
    ...(comparison ? [{ dataKey: `${COMPARISON_PREFIX}mean`, name: `mean, ${comparison.label}`, colour: MEAN_COLOUR, dash: '7 4', width: 3, hoverDot: false }] : []),
    { dataKey: 'mean', name: comparison ? `mean, ${comparison.mainLabel}` : 'mean', colour: MEAN_COLOUR, width: 3, hoverDot: true },
  ], [comparison?.label, comparison?.mainLabel]);
  const legend = useMemo(() => [...layerSeries, ...meanSeries], [layerSeries, meanSeries]);
  const tooltipContent = useMemo(() => plainLinesTooltip(rows, 'x', layerSeries), [rows, layerSeries]);

  // Elements kept from render to render: recharts re-registers a reference line with its store
  // (two dispatches, each re-running every selector of the chart) whenever the element is new.
  const ceilingLines = useMemo(() => ceilings.map((m) => (
    <ReferenceLine
      key={m}
      y={m}
      stroke={REFERENCE_COLOUR}
      strokeDasharray="5 4"
      label={labelled.has(m) ? ceilingLabels.get(m) : undefined}
    />
  )), [ceilings, labelled, ceilingLabels]);
  const lines = useMemo(() => meanSeries.map(seriesLine), [meanSeries]);

  return (
    <ChartFrame
      title={TITLE}
      rows={rows}
      height={height}
      caption={caption}
      data-testid="rank-chart"
      legend={legend}
      emptyMessage={history.length === 0 ? 'Press Play to start' : undefined}
    >
      <XAxis {...xAxisProps} />
      <YAxis
        type="number"
        domain={[0, yTop]}
        allowDecimals={false}
        tick={RANK_TICK}
        tickCount={rankTicks(plotHeight(height, true))}
        interval={0}
        width={yAxisWidth(yTitle.length)}
        label={yLabel}
      />
      <Tooltip {...tooltipProps} content={tooltipContent} />
      {ceilingLines}
      <PlainLines rows={rows} xKey="x" series={layerSeries} />
      {lines}
    </ChartFrame>
  );
}
