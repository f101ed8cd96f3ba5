// The card every chart sits in: a title, optional controls beside it, the legend, the plot
// (recharts' container, line chart and grid, the same for every chart; each chart brings its
// axes, tooltip and lines as children), and one plain-language line saying what to look for.

import { useId, type CSSProperties, type ReactNode } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer } from 'recharts';
import { ChartLegend, LEGEND_HEIGHT, type LegendEntry } from './ChartLegend';
import { GRID_PROPS, LINE_CHART_PROPS } from './format';
import type { ChartRow } from './comparison';
import { canvasBlob, chartCanvas } from '../chartImage';
import { downloadBlob } from '../download';

export interface ChartFrameProps {
  title: string;
  /** One line under the chart: what to look for. */
  caption: string;
  'data-testid': string;
  /** Controls shown on the title row (e.g. the layer picker). */
  controls?: ReactNode;
  /** The series, named above the plot (none: no legend). */
  legend?: LegendEntry[];
  /** When set, shown over the (empty) chart, e.g. "Press Play to start". */
  emptyMessage?: string;
  /** The plot's one table (see withComparison). */
  rows: readonly ChartRow[];
  /** Legend and plot together, in px. */
  height: number;
  /** The axes, the tooltip and the lines. */
  children: ReactNode;
}

const frameStyle: CSSProperties = {
  border: '1px solid #d0d0d0',
  borderRadius: 6,
  padding: '6px 10px 6px',
  background: '#ffffff',
  minWidth: 0,
  boxSizing: 'border-box',
};

const headerStyle: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'space-between',
  gap: 8,
  minHeight: 26,
};

const titleStyle: CSSProperties = { fontSize: 16, fontWeight: 600, margin: 0, lineHeight: '22px' };

const emptyStyle: CSSProperties = {
  position: 'absolute',
  inset: 0,
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  pointerEvents: 'none',
  fontSize: 15,
  color: '#444444',
};

export function ChartFrame({ title, caption, controls, legend, emptyMessage, rows, height, children, 'data-testid': testId }: ChartFrameProps) {
  const hasLegend = legend !== undefined && legend.length > 0;
  const titleId = useId();
  return (
    <section style={frameStyle} aria-labelledby={titleId} data-testid={testId}>
      <div style={headerStyle}>
        <h2 id={titleId} className="chart-title" style={titleStyle}>{title}</h2>
        <span style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          {controls}
          <button type="button" className="small chart-png" aria-label={`Download PNG of ${title}`} title="This chart as a PNG, at twice the screen's pixels"
            onClick={(e) => { const card = e.currentTarget.closest('section'); if (card) void savePng(card, testId); }}>PNG</button>
        </span>
      </div>
      {hasLegend && <ChartLegend entries={legend} />}
      <div style={{ position: 'relative', width: '100%' }}>
        <ResponsiveContainer width="100%" height={hasLegend ? height - LEGEND_HEIGHT : height}>
          <LineChart data={rows as ChartRow[]} {...LINE_CHART_PROPS} title={title}>
            <CartesianGrid {...GRID_PROPS} />
            {children}
          </LineChart>
        </ResponsiveContainer>
        {emptyMessage && <div style={emptyStyle} data-testid={`${testId}-empty`}><span>{emptyMessage}</span></div>}
      </div>
      {/* The title holds it whole where a short screen cuts it to one line (styles.css). */}
      <p className="chart-caption" title={caption}>{caption}</p>
    </section>
  );
}

async function savePng(card: HTMLElement, name: string) {
  try {
    downloadBlob(`ranklab-${name}.png`, await canvasBlob(await chartCanvas(card)));
  } catch {
    // Nothing drawn yet: the button does nothing rather than save an empty picture.
  }
}
