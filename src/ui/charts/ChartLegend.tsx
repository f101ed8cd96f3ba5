// A chart's legend as plain HTML above the plot, in series order. Not recharts' <Legend>:
// that one measures itself after every render and stores its size in the chart's store,
// which re-renders the whole chart a second time, synchronously, in the next animation
// frame: 45-80 ms on this machine for every chart update, the page's only long tasks while
// training (measured with long-animation-frame entries). The plot's size never depends on it.

import type { CSSProperties } from 'react';

export interface LegendEntry {
  name: string;
  colour: string;
  /** An SVG stroke-dasharray; none for a solid line. */
  dash?: string;
  width: number;
}

/** Height of one line of legend above the plot, in px; a long legend wraps onto a second line. */
export const LEGEND_HEIGHT = 22;

const listStyle: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  justifyContent: 'center',
  gap: '0 14px',
  margin: 0,
  padding: '3px 0',
  boxSizing: 'border-box',
  listStyle: 'none',
  minHeight: LEGEND_HEIGHT,
  alignItems: 'center',
  fontSize: 12,
  lineHeight: '16px',
};

const itemStyle: CSSProperties = { display: 'inline-flex', alignItems: 'center', gap: 5, whiteSpace: 'nowrap' };

export function ChartLegend({ entries }: { entries: LegendEntry[] }) {
  return (
    <ul style={listStyle} className="chart-legend">
      {entries.map((e) => (
        <li key={e.name} style={itemStyle}>
          <svg width={16} height={8} aria-hidden="true">
            <line x1={0} x2={16} y1={4} y2={4} stroke={e.colour} strokeWidth={Math.min(e.width, 3)} strokeDasharray={e.dash} />
          </svg>
          <span>{e.name}</span>
        </li>
      ))}
    </ul>
  );
}
