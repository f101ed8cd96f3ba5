// How a slider position maps to a setting, derived from the setting's own spec
// (range and scale) so the sliders can never disagree with validation.

import type { IntField, RealField } from '../../core/config/fields';

export interface SliderScale {
  min: number;
  max: number;
  step: number;
  toValue(position: number): number;
  toPosition(value: number): number;
}

/** Positions per decade of a log slider: fine enough for 0.01 -> 0.011 steps, coarse enough for arrow keys. */
const PER_DECADE = 20;

/** Round to 2 significant digits so a slider lands on values a person would type (0.025, not 0.02512). */
export const roundNice = (x: number) => Number(x.toPrecision(2));

export function sliderScale(spec: IntField | RealField): SliderScale {
  if (spec.scale === 'log2') {
    // Powers of two inside [min, max].
    const lo = Math.ceil(Math.log2(spec.min)), hi = Math.floor(Math.log2(spec.max));
    return {
      min: lo, max: hi, step: 1,
      toValue: (p) => 2 ** p,
      toPosition: (v) => Math.min(hi, Math.max(lo, Math.round(Math.log2(Math.max(v, 1e-12))))),
    };
  }
  if (spec.scale === 'log') {
    const lo = Math.log10(spec.min);
    const n = Math.round((Math.log10(spec.max) - lo) * PER_DECADE);
    return {
      min: 0, max: n, step: 1,
      toValue: (p) => Math.min(spec.max, Math.max(spec.min, p === n ? spec.max : roundNice(10 ** (lo + p / PER_DECADE)))),
      toPosition: (v) => (v <= 0 ? 0 : Math.min(n, Math.max(0, Math.round((Math.log10(v) - lo) * PER_DECADE)))),
    };
  }
  const step = spec.kind === 'int' ? 1 : (spec.max - spec.min) / 100;
  return { min: spec.min, max: spec.max, step, toValue: (p) => p, toPosition: (v) => v };
}

/** Compact display of a setting's value: 0.1, 0.025, 1e-4, 512. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-3) return v.toExponential(0);
  return String(roundNice(v) === v ? v : Number(v.toPrecision(3)));
}
