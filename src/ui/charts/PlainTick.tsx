// Axis tick labels as plain SVG text. recharts draws each tick label with its <Text>, which
// splits the label into words and measures them against the axis width on every update; with
// four charts refreshing while training that was the largest single render cost on the main
// thread (~12 ms/s of ~35). A tick label is one short word: nothing to measure.

import type { ReactElement } from 'react';
import { TICK_STYLE } from './format';

/** What recharts passes a tick renderer, as far as this one reads it. */
interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: string;
  payload?: { value?: unknown };
}

/** recharts' vertical anchors as baseline shifts (what its <Text> applies for one line). */
const DY: Record<string, string> = { start: '0.71em', middle: '0.355em', end: '0' };

/** A `tick` renderer for an axis whose labels are `format(value)`. Make one per formatter, once (a stable identity). */
export function plainTick(format: (value: unknown) => string) {
  return function PlainTick({ x = 0, y = 0, textAnchor = 'middle', verticalAnchor = 'middle', payload }: TickProps): ReactElement {
    return (
      <text x={x} y={y} dy={DY[verticalAnchor] ?? DY.middle} textAnchor={textAnchor} fill={TICK_STYLE.fill} fontSize={TICK_STYLE.fontSize} className="recharts-cartesian-axis-tick-value">
        {format(payload?.value)}
      </text>
    );
  };
}
