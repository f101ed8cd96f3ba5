// One heatmap of a sweep: rows the first axis, columns the second (one column for a one-axis
// sweep). Each cell is a grid cell with its numbers in words and a link to its run in the lab;
// diverged and collapsed settings are hatched and named, never coloured as numbers.

import type { Grid } from '../../core/sweep/grid';
import { colourRange, scaleColour, type SettingResult } from './heatmapData';

export interface HeatmapProps {
  title: string;
  metric: 'meanRank' | 'accuracy';
  grid: Grid;
  settings: SettingResult[];
}

const format = (metric: HeatmapProps['metric'], v: number) => (metric === 'meanRank' ? v.toFixed(2) : v.toFixed(3));

export function Heatmap({ title, metric, grid, settings }: HeatmapProps) {
  const [rows, cols] = [grid[0], grid[1] ?? null];
  const values = settings.filter((s) => s.state === 'ok').map((s) => s[metric]!);
  // A quarter of the largest mean rank, or 0.1 of accuracy, at least: differences smaller than that are not shown as large.
  const [lo, hi] = colourRange(values, metric === 'meanRank' ? 0.25 * Math.max(0, ...values) : 0.1);
  const width = cols ? cols.values.length : 1;
  return (
    <section className="heatmap panel" aria-label={title}>
      <h3>{title}</h3>
      <table role="grid" aria-label={`${title} over ${grid.map((a) => a.field).join(' and ')}`}>
        <thead>
          <tr role="row">
            <th role="columnheader" scope="col">{rows.field}{cols ? ` \\ ${cols.field}` : ''}</th>
            {cols ? cols.values.map((v) => <th key={v} role="columnheader" scope="col">{v}</th>) : <th role="columnheader" scope="col">{title}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.values.map((rv, r) => (
            <tr key={rv} role="row">
              <th role="rowheader" scope="row">{rv}</th>
              {settings.slice(r * width, (r + 1) * width).map((s) => {
                const v = s[metric];
                const colour = v !== null ? scaleColour(v, lo, hi) : null;
                return (
                  <td key={JSON.stringify(s.params)} role="gridcell" aria-label={s.label} className={`cell cell-${s.state}`}
                    style={colour ? { background: colour.background, color: colour.text } : undefined}>
                    <a href={`?${s.labQuery}`} target="_blank" rel="noopener" title={`${s.label}. Open this run in the lab (new tab).`} style={colour ? { color: colour.text } : undefined}>
                      {s.state === 'ok' ? format(metric, v!) : s.state === 'pending' ? '…' : s.state}
                    </a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {values.length > 0 && <p className="heatmap-scale muted">{format(metric, lo)} <span className="scale-bar" aria-hidden="true" /> {format(metric, hi)}</p>}
    </section>
  );
}
