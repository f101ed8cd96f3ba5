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
  /**
   * Entries of one group (a network's layers) that come in a long run are drawn as one item: their
   * colours side by side and "fc1–fc10". Ten names wrap onto two or three lines, which at a
   * projector's size leaves the plot a sliver; the tooltip still names every line.
   */
  group?: string;
}

/** Runs of more than this many grouped entries are drawn as one item. */
export const MAX_LISTED_IN_GROUP = 6;

type LegendItem = LegendEntry | { group: string; entries: LegendEntry[] };

function itemsOf(entries: LegendEntry[]): LegendItem[] {
  const items: LegendItem[] = [];
  for (let i = 0; i < entries.length;) {
    const group = entries[i].group;
    let j = i + 1;
    while (group && j < entries.length && entries[j].group === group) j++;
    if (group && j - i > MAX_LISTED_IN_GROUP) items.push({ group, entries: entries.slice(i, j) });
    else items.push(...entries.slice(i, j));
    i = j;
  }
  return items;
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
      {itemsOf(entries).map((e) => ('entries' in e ? (
        <li key={e.group} style={itemStyle} title={e.entries.map((x) => x.name).join(', ')}>
          <svg width={5 * e.entries.length} height={10} aria-hidden="true">
            {e.entries.map((x, k) => <rect key={x.name} x={5 * k} y={0} width={4} height={10} fill={x.colour} />)}
          </svg>
          <span>{`${e.entries[0].name}–${e.entries.at(-1)!.name}`}</span>
        </li>
      ) : (
        <li key={e.name} style={itemStyle}>
          <svg width={16} height={8} aria-hidden="true">
            <line x1={0} x2={16} y1={4} y2={4} stroke={e.colour} strokeWidth={Math.min(e.width, 3)} strokeDasharray={e.dash} />
          </svg>
          <span>{e.name}</span>
        </li>
      )))}
    </ul>
  );
}
