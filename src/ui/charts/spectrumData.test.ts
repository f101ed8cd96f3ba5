import { describe, expect, it } from 'vitest';
import type { LayerSpectrum } from '../../core/spectra/rank';
import { axisFloor, buildSpectrumData, indexTicks, sampledIndices } from './spectrumData';
import { formatCompact, niceCeil } from './format';
import { titleLines } from './axisTitle';
import { sameItems } from './sameItems';

function layer(name: string, singularValues: number[]): LayerSpectrum {
  return { name, shape: [singularValues.length, singularValues.length], singularValues, rank: 0, stableRank: 0, frobeniusNorm: 0 };
}

describe('spectrum data', () => {
  it('normalises by the Frobenius norm and clamps to the axis floor', () => {
    const { rows, series, maxLength } = buildSpectrumData([layer('a', [3, 4, 0])], 'all', 1e-6);
    expect(series.map((s) => s.name)).toEqual(['a']);
    expect(maxLength).toBe(3);
    expect(rows.map((r) => r.i)).toEqual([1, 2, 3]);
    expect(rows[0].s0).toBeCloseTo(0.6);
    expect(rows[1].s0).toBeCloseTo(0.8);
    expect(rows[2].s0).toBe(1e-6);
  });

  it('skips zero and diverged spectra but keeps colours by layer position', () => {
    const { series } = buildSpectrumData([layer('z', [0, 0]), layer('nan', [Number.NaN, 1]), layer('ok', [1, 1])], 'all', 1e-6);
    expect(series.map((s) => s.key)).toEqual(['s2']);
  });

  it('draws only the selected layer', () => {
    const { series, maxLength } = buildSpectrumData([layer('a', [1, 1, 1]), layer('b', [1])], 'b', 1e-6);
    expect(series.map((s) => s.name)).toEqual(['b']);
    expect(maxLength).toBe(1);
  });

  it('thins long spectra to every k-th index plus the last', () => {
    expect(sampledIndices(10)).toHaveLength(10);
    const idx = sampledIndices(512);
    expect(idx.length).toBeLessThanOrEqual(257);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(511);
  });

  it('merges layers of different lengths into one row per index', () => {
    const { rows } = buildSpectrumData([layer('a', [1, 1, 1]), layer('b', [1])], 'all', 1e-6);
    expect(rows).toHaveLength(3);
    expect(rows[2].s1).toBeUndefined();
  });

  it('keeps eps on the axis', () => {
    expect(axisFloor(1e-3)).toBe(1e-6);
    expect(axisFloor(1e-7)).toBeCloseTo(1e-8, 20);
    expect(axisFloor(0)).toBe(1e-6);
  });

  it('puts round index ticks on the x axis', () => {
    expect(indexTicks(512)).toEqual([1, 200, 400, 512]);
    expect(indexTicks(10)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(indexTicks(784)).toEqual([1, 200, 400, 600, 784]);
  });
});

describe('chart helpers', () => {
  it('formats eps compactly', () => {
    expect(formatCompact(1e-3)).toBe('1e-3');
    expect(formatCompact(2.5e-4)).toBe('2.5e-4');
    expect(formatCompact(0.05)).toBe('0.05');
  });

  it('rounds axis tops up to round numbers', () => {
    expect(niceCeil(563)).toBe(600);
    expect(niceCeil(11)).toBe(12);
    expect(niceCeil(100)).toBe(100);
  });

  it('breaks a long axis title at the space nearest its middle', () => {
    expect(titleLines('Train loss', 150)).toEqual(['Train loss']);
    expect(titleLines('Rank (singular values above eps)', 150)).toEqual(['Rank (singular', 'values above eps)']);
    // Too low a plot even for two lines: the short title, if there is one.
    expect(titleLines('Rank (singular values above eps)', 150, 'Rank')).toEqual(['Rank (singular', 'values above eps)']);
    expect(titleLines('Rank (singular values above eps)', 70, 'Rank')).toEqual(['Rank']);
    expect(titleLines('Rank (singular values above eps)', 70)).toEqual(['Rank (singular', 'values above eps)']);
  });

  it('compares short arrays item by item', () => {
    expect(sameItems([1, 2], [1, 2])).toBe(true);
    expect(sameItems([1, 2], [2, 1])).toBe(false);
    expect(sameItems([Number.NaN], [Number.NaN])).toBe(true);
  });
});

describe('the spectrum overlays', () => {
  it('draws step 0 faint and the comparison dashed behind the run\'s own layers, for the selected layer only', async () => {
    const { buildSpectrumData, faint } = await import('./spectrumData');
    const layer = (name: string, values: number[]) => ({ name, shape: [values.length, values.length] as [number, number], singularValues: values, rank: values.length, stableRank: 1, frobeniusNorm: 1 });
    const now = [layer('fc1', [1, 0.5, 1e-4]), layer('fc2', [1, 0.1])];
    const start = [layer('fc1', [1, 0.9, 0.8]), layer('fc2', [1, 0.9])];
    const other = [layer('fc1', [1, 0.8, 0.7]), layer('fc2', [1, 0.8])];
    const all = buildSpectrumData(now, 'all', 1e-6, { initial: start, comparison: other });
    expect(all.series.map((s) => s.key)).toEqual(['init_s0', 'init_s1', 'cmp_s0', 'cmp_s1', 's0', 's1']);
    expect(all.series[0].colour).toBe(faint(all.series[4].colour));
    expect(all.series[2].dash).toBe('7 4');
    expect(all.rows[1].init_s0).toBeCloseTo(0.9 / Math.hypot(1, 0.9, 0.8), 12);
    const one = buildSpectrumData(now, 'fc2', 1e-6, { initial: start, comparison: other });
    expect(one.series.map((s) => s.key)).toEqual(['init_s1', 'cmp_s1', 's1']);
    expect(buildSpectrumData(now, 'all', 1e-6).series.map((s) => s.key)).toEqual(['s0', 's1']);
  });
});
