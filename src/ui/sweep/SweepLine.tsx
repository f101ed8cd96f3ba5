// A one-axis sweep as a line: the mean rank over the axis' values, with the spread over seeds
// (smallest to largest) as a band.

import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GridAxis } from '../../core/sweep/grid';
import type { SettingResult } from './heatmapData';

export function SweepLine({ axis, settings }: { axis: GridAxis; settings: SettingResult[] }) {
  const rows = settings.map((s, i) => ({
    x: String(axis.values[i]),
    meanRank: s.meanRank,
    spread: s.rankRange,
  }));
  return (
    <section className="panel sweep-line" aria-label={`Mean rank over ${axis.field}`}>
      <h3>Mean rank over {axis.field} (band: spread over seeds)</h3>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="#e3e7ec" />
          <XAxis dataKey="x" label={{ value: axis.field, position: 'insideBottom', offset: -4 }} height={40} />
          <YAxis width={48} />
          <Tooltip />
          <Area dataKey="spread" stroke="none" fill="#1f5fa8" fillOpacity={0.2} isAnimationActive={false} name="spread over seeds" />
          <Line dataKey="meanRank" stroke="#1b2430" strokeWidth={3} dot={{ r: 4 }} isAnimationActive={false} name="mean rank" connectNulls={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </section>
  );
}
