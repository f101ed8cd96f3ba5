// Train loss (left axis) and test accuracy (right axis) over the run: the usual
// learning curves, to set beside the rank chart.

import { memo, useMemo } from 'react';
import {
  Tooltip, XAxis, YAxis,
} from 'recharts';
import { downsample, type HistoryPoint } from '../../state/history';
import { trainingCaption } from './captions';
import { COMPARISON_PREFIX, withComparison, type ComparisonSeries } from './comparison';
import { timeAxisProps, timeDomain, timeTooltipProps } from './timeAxis';
import { ChartFrame } from './ChartFrame';
import { plainTick } from './PlainTick';
import { plotHeight, titleLines, yAxisTitle, yAxisWidth } from './axisTitle';
import { seriesLine, type ChartSeries } from './series';
import { DEFAULT_CHART_HEIGHT, formatChartValue } from './format';
import { ACCURACY_COLOUR, LOSS_COLOUR } from './palette';

const TITLE = 'Training progress';

export interface TrainingChartProps {
  history: HistoryPoint[];
  timeAxis: 'step' | 'epoch';
  /** A second run trained in lockstep: its test accuracy is drawn dashed. */
  comparison?: ComparisonSeries;
  /** Plot height in px (default 230). */
  height?: number;
}

const MAX_POINTS = 300;

type Row = {
  x: number;
  /** null where the loss is NaN (step 0, before any training) or infinite: skipped, not drawn as 0. */
  loss: number | null;
  accuracy: number | null;
};

function buildRows(history: readonly HistoryPoint[], timeAxis: 'step' | 'epoch'): Row[] {
  return downsample(history, MAX_POINTS).map((p) => ({
    x: p[timeAxis],
    loss: Number.isFinite(p.trainLoss) ? p.trainLoss : null,
    accuracy: Number.isFinite(p.testAccuracy) ? p.testAccuracy : null,
  }));
}

const LOSS_TITLE = ['Train loss'];
const LOSS_LABEL = { content: yAxisTitle(LOSS_TITLE, 'left') };

/** No 0: the bottom is the loss axis's 0 too, and a label there touches the time axis's last one. */
const ACCURACY_TICKS = [0.25, 0.5, 0.75, 1];

const LOSS_TICK = plainTick(formatChartValue);
const ACCURACY_TICK = plainTick((v) => String(v));

/** Re-renders only when the history, the comparison, the time axis or the height changes. */
export const TrainingChart = memo(TrainingChartImpl);

function TrainingChartImpl({ history, comparison, timeAxis, height = DEFAULT_CHART_HEIGHT }: TrainingChartProps) {
  const ownRows = useMemo(() => buildRows(history, timeAxis), [history, timeAxis]);
  const comparisonRows = useMemo(() => (comparison ? buildRows(comparison.history, timeAxis) : null), [comparison, timeAxis]);
  const rows = useMemo(() => withComparison(ownRows, comparisonRows, ['accuracy']), [ownRows, comparisonRows]);
  const caption = useMemo(() => trainingCaption(history), [history]);
  const xDomain = useMemo(() => timeDomain(rows), [rows]);
  const [domainStart, domainEnd] = xDomain;
  const tooltipProps = useMemo(() => timeTooltipProps(timeAxis), [timeAxis]);
  const xAxisProps = useMemo(() => timeAxisProps(timeAxis, [domainStart, domainEnd]), [timeAxis, domainStart, domainEnd]);
  const accuracyTitle = useMemo(() => titleLines('Test accuracy', plotHeight(height, true)), [height]);
  const accuracyLabel = useMemo(() => ({ content: yAxisTitle(accuracyTitle, 'right') }), [accuracyTitle]);
  const hasLoss = useMemo(() => rows.some((r) => typeof r.loss === 'number'), [rows]);
  const series = useMemo<ChartSeries[]>(() => [
    { dataKey: 'loss', yAxisId: 'loss', name: 'Train loss', colour: LOSS_COLOUR, width: 2, hoverDot: true },
    ...(comparison ? [{ dataKey: `${COMPARISON_PREFIX}accuracy`, yAxisId: 'accuracy', name: `Test accuracy, ${comparison.label}`, colour: ACCURACY_COLOUR, dash: '7 4', width: 2, hoverDot: false }] : []),
    { dataKey: 'accuracy', yAxisId: 'accuracy', name: comparison ? `Test accuracy, ${comparison.mainLabel}` : 'Test accuracy', colour: ACCURACY_COLOUR, width: 2, hoverDot: true },
  ], [comparison?.label, comparison?.mainLabel]);

  const lines = useMemo(() => series.map(seriesLine), [series]);

  return (
    <ChartFrame
      title={TITLE}
      rows={rows}
      height={height}
      caption={caption}
      data-testid="training-chart"
      legend={series}
      emptyMessage={history.length === 0 ? 'Press Play to start' : undefined}
    >
      <XAxis {...xAxisProps} />
      <YAxis
        yAxisId="loss"
        type="number"
        domain={hasLoss ? [0, 'auto'] : [0, 1]}
        tick={LOSS_TICK}
        interval={0}
        width={yAxisWidth(1)}
        label={LOSS_LABEL}
      />
      <YAxis
        yAxisId="accuracy"
        orientation="right"
        type="number"
        domain={[0, 1]}
        allowDataOverflow
        ticks={ACCURACY_TICKS}
        tick={ACCURACY_TICK}
        interval={0}
        width={yAxisWidth(accuracyTitle.length)}
        label={accuracyLabel}
      />
      <Tooltip {...tooltipProps} />
      {lines}
    </ChartFrame>
  );
}
