// The spectrum chart's data, as pure functions: normalise each layer's singular
// values by its Frobenius norm, clamp them to the log axis, thin long spectra, and
// merge the layers into one row per singular-value index.

import { normalisedSpectrum, type LayerSpectrum } from '../../core/spectra/rank';
import { layerColour, layerDash } from './palette';

/** Lower end of the log axis unless eps needs more room; smaller values are drawn at it. */
export const DEFAULT_FLOOR = 1e-6;
/** A layer with more singular values than this is thinned to every k-th value plus the last. */
export const MAX_POINTS_PER_LAYER = 256;

export interface Series {
  key: string;
  name: string;
  colour: string;
  dash: string | undefined;
}

export type Row = Record<string, number>;

export interface SpectrumData {
  rows: Row[];
  series: Series[];
  maxLength: number;
}

/** Axis floor: 1e-6, or a decade below eps when eps is smaller than that. */
export function axisFloor(eps: number): number {
  if (!(eps > 0) || !Number.isFinite(eps)) return DEFAULT_FLOOR;
  return Math.min(DEFAULT_FLOOR, 10 ** (Math.floor(Math.log10(eps)) - 1));
}

/** s_i / ||W||_F; null for a zero or non-finite spectrum (nothing to draw on a log axis). */
function normalise(values: readonly number[]): Float64Array | null {
  const out = normalisedSpectrum(values);
  // Descending, so out[0] is the largest: 0 for the zero matrix, NaN if anything was not finite.
  return out.length > 0 && out[0] > 0 && Number.isFinite(out[0]) ? out : null;
}

/** 0-based indices to draw: all of them, or every k-th plus the last. */
export function sampledIndices(n: number): number[] {
  if (n <= MAX_POINTS_PER_LAYER) return Array.from({ length: n }, (_, i) => i);
  const k = Math.ceil(n / MAX_POINTS_PER_LAYER);
  const out: number[] = [];
  for (let i = 0; i < n; i += k) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * One row per drawn singular-value index (1-based `i`), with a key per layer
 * (`s0`, `s1`, ... by layer position, so colours match the other charts). A
 * layer missing from a row (shorter, or thinned there) is bridged by connectNulls.
 */
/**
 * Spectra drawn behind the run's own: the same layers at step 0 (faint: where the tail started)
 * and the comparison run's latest (dashed).
 */
export interface SpectrumOverlays {
  initial?: readonly LayerSpectrum[] | null;
  comparison?: readonly LayerSpectrum[] | null;
}

/** Faint: the layer's colour at 35% opacity (8-digit hex, which SVG strokes accept). */
export const faint = (colour: string) => `${colour}59`;

export function buildSpectrumData(layers: readonly LayerSpectrum[], selected: string, floor: number, overlays: SpectrumOverlays = {}): SpectrumData {
  const byIndex = new Map<number, Row>();
  const series: Series[] = [];
  let maxLength = 0;
  const sets: [readonly LayerSpectrum[], string, (li: number, name: string) => Omit<Series, 'key'>][] = [
    [overlays.initial ?? [], 'init_', (li, name) => ({ name: `${name}, step 0`, colour: faint(layerColour(li)), dash: layerDash(li) })],
    [overlays.comparison ?? [], 'cmp_', (li, name) => ({ name: `${name}, comparison`, colour: layerColour(li), dash: '7 4' })],
    [layers, '', (li, name) => ({ name, colour: layerColour(li), dash: layerDash(li) })],
  ];
  for (const [set, prefix, look] of sets) set.forEach((layer, li) => {
    if (selected !== 'all' && layer.name !== selected) return;
    maxLength = Math.max(maxLength, layer.singularValues.length);
    const normalised = normalise(layer.singularValues);
    if (!normalised) return;
    const key = `${prefix}s${li}`;
    series.push({ key, ...look(li, layer.name) });
    for (const j of sampledIndices(normalised.length)) {
      let row = byIndex.get(j + 1);
      if (!row) {
        row = { i: j + 1 };
        byIndex.set(j + 1, row);
      }
      row[key] = Math.min(1, Math.max(floor, normalised[j]));
    }
  });
  const rows = Array.from(byIndex.values()).sort((a, b) => a.i - b.i);
  return { rows, series, maxLength };
}

/** 1, then round multiples up to n (and n itself when it is far from the last one). */
export function indexTicks(n: number): number[] {
  const rough = n / 5;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks = [1];
  for (let t = step; t <= n; t += step) if (t > 1) ticks.push(t);
  if (n - ticks[ticks.length - 1] > step / 2) ticks.push(n);
  return ticks;
}
