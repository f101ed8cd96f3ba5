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
    // Powers of two inside [min, max]. The thumb sits where the value is (100 between 64 and 128,
    // not on 128), so the position is continuous and a drag lands on the nearest power of two;
    // the arrow keys step to the next power of two either side (nextPowerOfTwo).
    const lo = Math.ceil(Math.log2(spec.min)), hi = Math.floor(Math.log2(spec.max));
    return {
      min: lo, max: hi, step: 0,
      toValue: (p) => 2 ** Math.min(hi, Math.max(lo, Math.round(p))),
      toPosition: (v) => Math.min(hi, Math.max(lo, Math.log2(Math.max(v, 1e-12)))),
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

/**
 * The power of two after (direction 1) or before (-1) `value` within [min, max]: from 100 the
 * arrows go to 128 and 64, from 128 to 256 and 64.
 */
export function nextPowerOfTwo(value: number, direction: 1 | -1, min: number, max: number): number {
  const exact = Math.log2(value);
  const e = direction > 0 ? Math.floor(exact + 1e-9) + 1 : Math.ceil(exact - 1e-9) - 1;
  return Math.min(max, Math.max(min, 2 ** e));
}

/** Compact display of a setting's value as the run has it: 0.1, 0.025, 1.4e-4, 512 (no digit rounded away below 1e-3). */
export function formatSetting(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-3) {
    const [mantissa, exponent] = Number(v.toPrecision(6)).toExponential().split('e');
    return `${mantissa}e${Number(exponent)}`;
  }
  return String(Number(v.toPrecision(6)));
}
