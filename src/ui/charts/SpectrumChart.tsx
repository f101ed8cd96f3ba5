// The singular-value spectrum of each weight matrix, normalised by its Frobenius
// norm, on a log axis. The eps line is the rank threshold: the rank of a layer is
// how many of its values sit above it, so watching the tail sink through the line
// is watching the rank drop.

import { memo, useId, useMemo, useState, type CSSProperties } from 'react';
import {
  ReferenceLine, Tooltip, XAxis, YAxis,
} from 'recharts';
import type { LayerSpectrum } from '../../core/spectra/rank';
import { ChartFrame } from './ChartFrame';
import { plainTick } from './PlainTick';
import { plotHeight, titleLines, yAxisTitle, yAxisWidth } from './axisTitle';
import { PlainLines, plainLinesTooltip } from './PlainLines';
import { seriesLine, type ChartSeries } from './series';
import { AXIS_LABEL_STYLE, DEFAULT_CHART_HEIGHT, TOOLTIP_CONTENT_STYLE, formatCompact, formatPowerOfTen, formatChartValue } from './format';
import { REFERENCE_COLOUR } from './palette';
import { axisFloor, buildSpectrumData, faint, indexTicks } from './spectrumData';

const TITLE = 'Singular value spectrum';

export interface SpectrumChartProps {
  layers: LayerSpectrum[];
  eps: number;
  /** A layer name, or 'all'. */
  selected: string;
  onSelect(name: string): void;
  /** Plot height in px (default 230). */
  height?: number;
  /** The same layers at step 0, drawn faint behind them (where the tail started). */
  initial?: LayerSpectrum[] | null;
  /** The comparison run's latest spectra, dashed. */
  comparison?: LayerSpectrum[] | null;
}

const Y_TITLE = 'sigma_i / ||W||_F (log)';
const SPECTRUM_TOOLTIP = {
  isAnimationActive: false,
  contentStyle: TOOLTIP_CONTENT_STYLE,
  labelFormatter: (i: unknown) => `index ${String(i)}`,
  formatter: (v: unknown) => formatChartValue(v),
};
const X_LABEL = { value: 'Singular value index', position: 'insideBottom' as const, offset: -2, style: AXIS_LABEL_STYLE };

const INDEX_TICK = plainTick((v) => String(v));
const POWER_TICK = plainTick((v) => formatPowerOfTen(v as number));

const selectLabelStyle: CSSProperties = { fontSize: 13, marginRight: 6 };
const selectStyle: CSSProperties = { fontSize: 13, padding: '1px 4px', maxWidth: 180 };

/** Closest two y tick labels may be, in px (12 px text and a little air). */
const MIN_TICK_GAP_PX = 17;

/** Re-renders only when the layers array, eps, the selection, the handler, the overlays or the height changes. */
export const SpectrumChart = memo(SpectrumChartImpl);

function SpectrumChartImpl({ layers, eps, selected, onSelect, height = DEFAULT_CHART_HEIGHT, initial, comparison }: SpectrumChartProps) {
  const selectId = useId();
  const [overlaid, setOverlaid] = useState(true);
  const initialShown = overlaid ? initial ?? null : null;
  const comparisonShown = overlaid ? comparison ?? null : null;
  // A stale selection (e.g. the model changed) falls back to all layers.
  const effective = selected !== 'all' && layers.some((l) => l.name === selected) ? selected : 'all';
  const floor = axisFloor(eps);
  const data = useMemo(() => buildSpectrumData(layers, effective, floor, { initial: initialShown, comparison: comparisonShown }), [layers, effective, floor, initialShown, comparisonShown]);
  // Every power of ten where there is room for it; on a low plot (a deep network's legend in
  // presentation mode) every other one, counted down from 1, so the labels never touch.
  const room = plotHeight(height, true);
  const yTicks = useMemo(() => {
    const ticks: number[] = [];
    const low = Math.round(Math.log10(floor));
    const stride = room / (1 - low) < MIN_TICK_GAP_PX ? 2 : 1;
    for (let e = 0; e >= low; e -= stride) ticks.unshift(10 ** e);
    return ticks;
  }, [floor, room]);
  const layerNames = useMemo(() => layers.map((l) => l.name), [layers]);
  const single = effective !== 'all';
  // Room judged with the legend shown, so the axis does not change width when a layer is picked.
  const yTitle = useMemo(() => titleLines(Y_TITLE, room, 'sigma_i (log)'), [room]);
  const yLabel = useMemo(() => ({ content: yAxisTitle(yTitle, 'left') }), [yTitle]);
  const epsLabel = useMemo(() => ({ value: `eps = ${formatCompact(eps)}`, position: 'insideBottomLeft' as const, fontSize: 12, fill: REFERENCE_COLOUR, halo: true }), [eps]);
  const xMax = Math.max(2, data.maxLength);
  const xTicks = useMemo(() => indexTicks(xMax), [xMax]);
  const epsVisible = eps > 0 && eps <= 1 && Number.isFinite(eps);
  // One list draws both the lines and the legend (shown for more than one layer).
  const series = useMemo<ChartSeries[]>(
    () => data.series.map((s) => {
      const overlay = s.key.startsWith('init_') || s.key.startsWith('cmp_');
      return { dataKey: s.key, name: s.name, colour: s.colour, dash: s.dash, width: overlay ? 1.25 : single ? 2.5 : 1.5, hoverDot: !overlay };
    }),
    [data.series, single],
  );
  // The legend names the run's own layers, then what the overlays are (one entry each, not per layer).
  const legend = useMemo(() => {
    const own = series.filter((s) => !s.dataKey.includes('_'));
    const entries = [
      ...(!single && own.length > 1 ? own.map((s) => ({ ...s, group: 'layers' })) : []),
      ...(series.some((s) => s.dataKey.startsWith('init_')) ? [{ name: 'step 0 (faint)', colour: faint('#1b1b1b'), width: 1.5 }] : []),
      ...(series.some((s) => s.dataKey.startsWith('cmp_')) ? [{ name: 'comparison run (dashed)', colour: '#1b1b1b', dash: '7 4', width: 1.5 }] : []),
    ];
    return entries.length ? entries : undefined;
  }, [series, single]);

  // Elements kept from render to render: recharts re-registers a reference line with its store
  // (two dispatches, each re-running every selector of the chart) whenever the element is new.
  const epsLine = useMemo(() => epsVisible && (
    <ReferenceLine
      y={eps}
      stroke={REFERENCE_COLOUR}
      strokeDasharray="5 4"
      strokeWidth={1.5}
      label={epsLabel}
    />
  ), [epsVisible, eps, epsLabel]);
  // One layer stays a recharts line (the tooltip shows only where one has a value): the one with
  // the most values, which has one wherever any line has. The rest are plain paths under it.
  const anchorKey = useMemo(() => {
    let best: string | null = null, most = 0;
    for (const s of data.series) {
      if (s.key.includes('_')) continue; // overlays
      const n = data.rows.reduce((count, row) => count + (row[s.key] !== undefined ? 1 : 0), 0);
      if (n > most) [best, most] = [s.key, n];
    }
    return best;
  }, [data]);
  const plainSeries = useMemo(() => series.filter((s) => s.dataKey !== anchorKey), [series, anchorKey]);
  const lines = useMemo(() => series.filter((s) => s.dataKey === anchorKey).map(seriesLine), [series, anchorKey]);
  // The tooltip names the run's own layers; the overlays are the background they are read against.
  const tooltipContent = useMemo(() => plainLinesTooltip(data.rows, 'i', series.filter((s) => !s.dataKey.includes('_'))), [data.rows, series]);

  const emptyMessage = layers.length === 0
    ? 'Press Play to start'
    : data.series.length === 0 ? 'No spectrum to draw (all-zero or diverged weights)' : undefined;

  const controls = (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <label htmlFor={selectId} style={selectLabelStyle} className="layer-label">Layer</label>
      <select id={selectId} value={effective} onChange={(e) => onSelect(e.target.value)} style={selectStyle}>
        <option value="all">All layers</option>
        {layerNames.map((name) => <option key={name} value={name}>{name}</option>)}
      </select>
      <label style={{ ...selectLabelStyle, marginLeft: 8, whiteSpace: 'nowrap' }} title="Draw step 0 (faint) and the comparison run (dashed) behind the spectra">
        <input type="checkbox" checked={overlaid} onChange={(e) => setOverlaid(e.target.checked)} /> Overlays
      </label>
    </span>
  );

  return (
    <ChartFrame
      title={TITLE}
      rows={data.rows}
      height={height}
      caption="Values that sink below the dashed eps line stop counting towards the rank."
      data-testid="spectrum-chart"
      legend={legend}
      controls={controls}
      emptyMessage={emptyMessage}
    >
      <XAxis
        dataKey="i"
        type="number"
        domain={[1, xMax]}
        ticks={xTicks}
        allowDecimals={false}
        tick={INDEX_TICK}
        interval={0}
        label={X_LABEL}
        height={38}
      />
      <YAxis
        type="number"
        scale="log"
        domain={[floor, 1]}
        allowDataOverflow
        ticks={yTicks}
        tick={POWER_TICK}
        interval={0}
        width={yAxisWidth(yTitle.length)}
        label={yLabel}
      />
      <Tooltip {...SPECTRUM_TOOLTIP} content={tooltipContent} />
      {epsLine}
      <PlainLines rows={data.rows} xKey="i" series={plainSeries} />
      {lines}
    </ChartFrame>
  );
}
