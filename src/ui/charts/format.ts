// Small shared pieces of chart styling and number formatting.

import type { CSSProperties } from 'react';

/** Chart height in px when none is given: three charts plus controls fit a 1366x768 screen. */
export const DEFAULT_CHART_HEIGHT = 230;

/** Axis ticks: readable from the back of a lecture hall. */
export const TICK_STYLE = { fontSize: 12, fill: '#333333' } as const;

/** Axis titles (SVG text style). */
export const AXIS_LABEL_STYLE: CSSProperties = { fontSize: 13, fill: '#1b1b1b', textAnchor: 'middle' };

export const TOOLTIP_CONTENT_STYLE: CSSProperties = { fontSize: 12, padding: '4px 8px', lineHeight: '16px' };

export const CHART_MARGIN = { top: 8, right: 12, bottom: 4, left: 4 } as const;

/**
 * The dot on a hovered line. A constant, like every object a chart's elements get: recharts
 * compares its elements' props by identity and re-registers an element in the chart's store
 * (a synchronous re-render of the chart) when one is a fresh object.
 */
export const ACTIVE_DOT = { r: 3 } as const;

/** Every data line: straight segments through gaps, no markers, no animation (a live chart must not lag). */
export const SERIES_LINE = { type: 'linear', dot: false, connectNulls: true, isAnimationActive: false } as const;

/**
 * Charts are pictures of numbers the numbers panel also gives as text, so they are not
 * keyboard stops (recharts' accessibility layer would make each an unnamed
 * role="application" stop whose arrow keys do nothing on a numeric axis).
 */
export const LINE_CHART_PROPS = { margin: CHART_MARGIN, accessibilityLayer: false } as const;

/** Horizontal grid lines only. */
export const GRID_PROPS = { stroke: '#e6e6e6', vertical: false } as const;

/** "1e-3", "2.5e-4", "0.05" style: as short as the value allows. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 0.01 && abs < 1e4) return String(Number(value.toPrecision(3)));
  // toExponential(2) then drop trailing zeros: 1.00e-3 -> 1e-3, 2.50e-4 -> 2.5e-4.
  const [mantissa, exponent] = value.toExponential(2).split('e');
  const m = mantissa.replace(/\.?0+$/, '');
  return `${m}e${Number(exponent)}`;
}

/** Tick label of a log axis at a power of ten: 1, 1e-1, 1e-2, ... */
export function formatPowerOfTen(value: number): string {
  if (value <= 0 || !Number.isFinite(value)) return String(value);
  const e = Math.round(Math.log10(value));
  return e === 0 ? '1' : `1e${e}`;
}

const compactInteger = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** Step ticks: 0, 950, 1.2K, 35K. */
export function formatStep(value: number): string {
  return compactInteger.format(value);
}

/** Epoch ticks: up to two decimals, no trailing zeros. */
export function formatEpoch(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** A number on a chart (tooltips, the loss axis): whole numbers as they are, others to three significant digits. */
export function formatChartValue(value: unknown): string {
  if (typeof value !== 'number') return String(value ?? '');
  return Number.isInteger(value) ? String(value) : formatCompact(value);
}

export const X_LABEL = { step: 'Step', epoch: 'Epoch (samples seen / train size)' } as const;

/** The smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at least `x`. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * magnitude >= x * (1 - 1e-12)) return m * magnitude;
  return 10 * magnitude;
}
