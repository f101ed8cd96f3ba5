// Vertical axis titles that stay inside the plot's height: a title too long for
// the plot is broken into two lines at the space nearest its middle, decided from
// the chart's fixed height so the axis can be given room for the second line.

import type { LabelContentType, LabelProps } from 'recharts';
import { AXIS_LABEL_STYLE } from './format';

const FONT_SIZE = 13;
/** Rough advance of one character at 13px in a sans-serif font (errs on the wide side). */
const CHAR_WIDTH = FONT_SIZE * 0.58;
const LINE_HEIGHT = 15;

/** Vertical space left for the plot in a chart of `height` px (margins, x axis, legend). */
export function plotHeight(height: number, hasLegend: boolean): number {
  return height - 8 - 4 - 38 - (hasLegend ? 22 : 0);
}

/**
 * The title as one line, or two when one would not fit in `room` px; `short` (one line) when
 * even two would not (the low plots of presentation mode on a 1280x720 screen).
 */
export function titleLines(text: string, room: number, short?: string): string[] {
  const fits = (line: string) => line.length * CHAR_WIDTH <= room - 8;
  if (fits(text)) return [text];
  const middle = text.length / 2;
  let best = -1;
  for (let i = text.indexOf(' '); i !== -1; i = text.indexOf(' ', i + 1)) {
    if (best === -1 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  }
  const lines = best === -1 ? [text] : [text.slice(0, best), text.slice(best + 1)];
  return short !== undefined && !lines.every(fits) ? [short] : lines;
}

/** Width of a vertical axis with tick labels and a title of `lineCount` lines. */
export function yAxisWidth(lineCount: number): number {
  return 58 + (lineCount - 1) * LINE_HEIGHT;
}

/**
 * Label content for a YAxis: the lines rotated to read bottom-to-top (left axis)
 * or top-to-bottom (right axis), centred on the plot's height, at the axis's outer edge.
 */
export function yAxisTitle(lines: readonly string[], side: 'left' | 'right'): LabelContentType {
  const render = (props: LabelProps) => {
    const vb = props.viewBox;
    if (!vb || !('height' in vb) || !('width' in vb)) return <g />;
    const cy = vb.y + vb.height / 2;
    const cx = side === 'left' ? vb.x + FONT_SIZE : vb.x + vb.width - FONT_SIZE;
    return (
      <text
        className="recharts-label"
        transform={`rotate(${side === 'left' ? -90 : 90} ${cx} ${cy})`}
        x={cx}
        y={cy}
        textAnchor="middle"
        style={AXIS_LABEL_STYLE}
      >
        {lines.map((line, i) => (
          <tspan key={i} x={cx} dy={i === 0 ? 0 : LINE_HEIGHT}>{line}</tspan>
        ))}
      </text>
    );
  };
  return render;
}
