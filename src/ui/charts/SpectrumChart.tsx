// The singular-value spectrum of each weight matrix, normalised by its Frobenius
// norm, on a log axis. The eps line is the rank threshold: the rank of a layer is
// how many of its values sit above it, so watching the tail sink through the line
// is watching the rank drop.

import { useId, useMemo, type CSSProperties } from 'react';
import {
  CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from 'recharts';
import { normalisedSpectrum, type LayerSpectrum } from '../../core/spectra/rank';
import { ChartFrame } from './ChartFrame';
import { plotHeight, titleLines, yAxisTitle, yAxisWidth } from './axisTitle';
import {
  AXIS_LABEL_STYLE, CHART_MARGIN, DEFAULT_CHART_HEIGHT, LEGEND_PROPS, TICK_STYLE, TOOLTIP_CONTENT_STYLE,
  formatCompact, formatPowerOfTen, formatValue,
} from './format';
import { REFERENCE_COLOUR, layerColour, layerDash } from './palette';

export interface SpectrumChartProps {
  layers: LayerSpectrum[];
  eps: number;
  /** A layer name, or 'all'. */
  selected: string;
  onSelect(name: string): void;
  /** Plot height in px (default 230). */
  height?: number;
}

/** Lower end of the log axis unless eps needs more room; smaller values are drawn at it. */
const DEFAULT_FLOOR = 1e-6;
/** A layer with more singular values than this is thinned to every k-th value plus the last. */
const MAX_POINTS_PER_LAYER = 256;

interface Series {
  key: string;
  name: string;
  colour: string;
  dash: string | undefined;
}

type Row = Record<string, number>;

interface SpectrumData {
  rows: Row[];
  series: Series[];
  maxLength: number;
}

/** Axis floor: 1e-6, or a decade below eps when eps is smaller than that. */
function axisFloor(eps: number): number {
  if (!(eps > 0) || !Number.isFinite(eps)) return DEFAULT_FLOOR;
  return Math.min(DEFAULT_FLOOR, 10 ** (Math.floor(Math.log10(eps)) - 1));
}

/** s_i / ||W||_F; null for a zero or non-finite spectrum (nothing to draw on a log axis). */
function normalise(values: readonly number[]): Float64Array | null {
  const out = normalisedSpectrum(values);
  // Descending, so out[0] is the largest: 0 for the zero matrix, NaN if anything was not finite.
  return out.length > 0 && out[0] > 0 && Number.isFinite(out[0]) ? out : null;
}

/** 0-based indices to draw: all of them, or every k-th plus the last. */
function sampledIndices(n: number): number[] {
  if (n <= MAX_POINTS_PER_LAYER) return Array.from({ length: n }, (_, i) => i);
  const k = Math.ceil(n / MAX_POINTS_PER_LAYER);
  const out: number[] = [];
  for (let i = 0; i < n; i += k) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * One row per drawn singular-value index (1-based `i`), with a key per layer
 * (`s0`, `s1`, ... by layer position, so colours match the other charts). A
 * layer missing from a row (shorter, or thinned there) is bridged by connectNulls.
 */
function buildSpectrumData(layers: readonly LayerSpectrum[], selected: string, floor: number): SpectrumData {
  const byIndex = new Map<number, Row>();
  const series: Series[] = [];
  let maxLength = 0;
  layers.forEach((layer, li) => {
    if (selected !== 'all' && layer.name !== selected) return;
    maxLength = Math.max(maxLength, layer.singularValues.length);
    const normalised = normalise(layer.singularValues);
    if (!normalised) return;
    const key = `s${li}`;
    series.push({ key, name: layer.name, colour: layerColour(li), dash: layerDash(li) });
    for (const j of sampledIndices(normalised.length)) {
      let row = byIndex.get(j + 1);
      if (!row) {
        row = { i: j + 1 };
        byIndex.set(j + 1, row);
      }
      row[key] = Math.min(1, Math.max(floor, normalised[j]));
    }
  });
  const rows = Array.from(byIndex.values()).sort((a, b) => a.i - b.i);
  return { rows, series, maxLength };
}

/** 1, then round multiples up to n (and n itself when it is far from the last one). */
function indexTicks(n: number): number[] {
  const rough = n / 5;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks = [1];
  for (let t = step; t <= n; t += step) if (t > 1) ticks.push(t);
  if (n - ticks[ticks.length - 1] > step / 2) ticks.push(n);
  return ticks;
}

const Y_TITLE = 'sigma_i / ||W||_F (log)';

const selectLabelStyle: CSSProperties = { fontSize: 13, marginRight: 6 };
const selectStyle: CSSProperties = { fontSize: 13, padding: '1px 4px', maxWidth: 180 };

export function SpectrumChart({ layers, eps, selected, onSelect, height = DEFAULT_CHART_HEIGHT }: SpectrumChartProps) {
  const selectId = useId();
  // A stale selection (e.g. the model changed) falls back to all layers.
  const effective = selected !== 'all' && layers.some((l) => l.name === selected) ? selected : 'all';
  const floor = axisFloor(eps);
  const data = useMemo(() => buildSpectrumData(layers, effective, floor), [layers, effective, floor]);
  const yTicks = useMemo(() => {
    const ticks: number[] = [];
    for (let e = Math.round(Math.log10(floor)); e <= 0; e++) ticks.push(10 ** e);
    return ticks;
  }, [floor]);
  const layerNames = useMemo(() => layers.map((l) => l.name), [layers]);
  const single = effective !== 'all';
  // Room judged with the legend shown, so the axis does not change width when a layer is picked.
  const yTitle = useMemo(() => titleLines(Y_TITLE, plotHeight(height, true)), [height]);
  const xMax = Math.max(2, data.maxLength);
  const xTicks = useMemo(() => indexTicks(xMax), [xMax]);
  const epsVisible = eps > 0 && eps <= 1 && Number.isFinite(eps);

  const emptyMessage = layers.length === 0
    ? 'Press Play to start'
    : data.series.length === 0 ? 'No spectrum to draw (all-zero or diverged weights)' : undefined;

  const controls = (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <label htmlFor={selectId} style={selectLabelStyle}>Layer</label>
      <select id={selectId} value={effective} onChange={(e) => onSelect(e.target.value)} style={selectStyle}>
        <option value="all">All layers</option>
        {layerNames.map((name) => <option key={name} value={name}>{name}</option>)}
      </select>
    </span>
  );

  return (
    <ChartFrame
      title="Singular value spectrum"
      caption="Each line is one weight matrix's spectrum; values that sink below the dashed eps line no longer count towards the rank."
      data-testid="spectrum-chart"
      controls={controls}
      emptyMessage={emptyMessage}
    >
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data.rows} margin={CHART_MARGIN}>
          <CartesianGrid stroke="#e6e6e6" vertical={false} />
          <XAxis
            dataKey="i"
            type="number"
            domain={[1, xMax]}
            ticks={xTicks}
            allowDecimals={false}
            tick={TICK_STYLE}
            label={{ value: 'Singular value index', position: 'insideBottom', offset: -2, style: AXIS_LABEL_STYLE }}
            height={38}
          />
          <YAxis
            type="number"
            scale="log"
            domain={[floor, 1]}
            allowDataOverflow
            ticks={yTicks}
            tickFormatter={formatPowerOfTen}
            tick={TICK_STYLE}
            width={yAxisWidth(yTitle.length)}
            label={{ content: yAxisTitle(yTitle, 'left') }}
          />
          <Tooltip
            isAnimationActive={false}
            contentStyle={TOOLTIP_CONTENT_STYLE}
            labelFormatter={(i) => `index ${String(i)}`}
            formatter={(v) => formatValue(v)}
          />
          {!single && data.series.length > 1 && (
            <Legend {...LEGEND_PROPS} />
          )}
          {epsVisible && (
            <ReferenceLine
              y={eps}
              stroke={REFERENCE_COLOUR}
              strokeDasharray="5 4"
              strokeWidth={1.5}
              label={{ value: `eps = ${formatCompact(eps)}`, position: 'insideBottomLeft', fontSize: 12, fill: REFERENCE_COLOUR, halo: true }}
            />
          )}
          {data.series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              type="linear"
              stroke={s.colour}
              strokeDasharray={s.dash}
              strokeWidth={single ? 2.5 : 1.5}
              dot={false}
              activeDot={{ r: 3 }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
