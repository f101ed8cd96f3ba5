import { describe, expect, it } from 'vitest';
import { loadLayerSvdFixtures, loadRankEpsFixtures, loadSvdFixtures } from './fixtures/svdFixtures';
import { createRandom } from '../random';
import { measureLayer, meanRank, normalisedSpectrum, rankEps, singularValues, stableRank } from './index';

const fixtures = loadSvdFixtures();
const FIXTURE_EPS = 1e-3; // the tol the fixtures' matrix_rank used

describe('rank measures against numpy fixtures', () => {
  for (const fx of fixtures) {
    it(`${fx.name}: rank equals numpy matrix_rank(W/||W||_F, tol=1e-3), stable rank matches`, () => {
      const sv = singularValues(Float32Array.from(fx.data), fx.rows, fx.cols);
      expect(rankEps(sv, FIXTURE_EPS)).toBe(fx.matrixRank);
      const sr = stableRank(sv);
      expect(Math.abs(sr - fx.stableRank)).toBeLessThanOrEqual(1e-9 * Math.max(1, fx.stableRank));
      const layer = measureLayer(fx.name, Float32Array.from(fx.data), fx.rows, fx.cols, FIXTURE_EPS);
      expect(layer.rank).toBe(fx.matrixRank);
      expect(layer.shape).toEqual([fx.rows, fx.cols]);
    });
  }

  const rankEpsFixtures = loadRankEpsFixtures();
  it('has numpy ranks at every eps for every fixture, the layer-sized ones too', () => {
    expect(rankEpsFixtures.map((r) => r.name)).toEqual([...fixtures, ...loadLayerSvdFixtures()].map((f) => f.name));
  });
  for (const fx of [...fixtures, ...loadLayerSvdFixtures()]) {
    it(`${fx.name}: rank equals numpy matrix_rank(W/||W||_F, tol=eps) for every eps from 1e-6 to 1e-1`, () => {
      const reference = rankEpsFixtures.find((r) => r.name === fx.name)!;
      expect(reference.eps).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
      const sv = singularValues(Float32Array.from(fx.data), fx.rows, fx.cols);
      reference.eps.forEach((eps, k) => {
        // No singular value sits within 0.1% of a threshold: the reference rank is not a rounding accident.
        if (reference.margin[k] !== null) expect(reference.margin[k]).toBeGreaterThan(1e-3);
        expect(rankEps(sv, eps)).toBe(reference.matrixRank[k]);
      });
    });
  }

  it('includes cases where the rank is neither 0 nor full', () => {
    const partial = fixtures.filter((f) => f.matrixRank > 1 && f.matrixRank < Math.min(f.rows, f.cols));
    expect(partial.length).toBeGreaterThanOrEqual(3);
  });
});

describe('rankEps', () => {
  it('does not count a value exactly at eps (strictly greater)', () => {
    // [4, 3] has ||s|| = 5 exactly, so the normalised values are 0.8 and 0.6 (3/5 === 0.6).
    const sv = Float64Array.of(4, 3);
    expect(3 / 5).toBe(0.6);
    expect(rankEps(sv, 0.6)).toBe(1);
    expect(rankEps(sv, 0.6 - 1e-12)).toBe(2);
    expect(rankEps(sv, 0.8)).toBe(0);
  });

  it('is 0 for the zero matrix and 1 for any nonzero 1xN', () => {
    expect(rankEps(singularValues(new Float32Array(35), 5, 7), 1e-3)).toBe(0);
    expect(rankEps(new Float64Array(0), 1e-3)).toBe(0);
    expect(rankEps(singularValues([0, 0, 1e-30, 0], 1, 4), 1e-3)).toBe(1);
    expect(rankEps(singularValues([5, -2, 7], 1, 3), 0.999)).toBe(1);
  });

  it('counts relative to the Frobenius norm, so it is scale invariant', () => {
    const sv = Float64Array.of(1, 0.5, 0.01, 1e-4, 1e-6);
    // ||s|| = sqrt(1.2501...) ~ 1.118: 0.01 / 1.118 ~ 8.9e-3 > 1e-3, 1e-4 / 1.118 < 1e-3.
    expect(rankEps(sv, 1e-3)).toBe(3);
    expect(rankEps(sv.map((x) => x * 1e-30), 1e-3)).toBe(3);
    expect(rankEps(sv.map((x) => x * 1e30), 1e-3)).toBe(3);
    expect(rankEps(sv, 0.01)).toBe(2);
  });

  it('is NaN for a diverged (NaN) spectrum rather than a fake collapse', () => {
    expect(rankEps(Float64Array.of(Number.NaN, 1), 1e-3)).toBeNaN();
    expect(stableRank(Float64Array.of(1, Number.NaN))).toBeNaN();
  });
});

describe('stableRank and normalisedSpectrum', () => {
  it('stable rank is sum s^2 / max s^2, between 1 and the rank', () => {
    expect(stableRank(Float64Array.of(2, 2, 2))).toBe(3);
    expect(stableRank(Float64Array.of(3, 4))).toBeCloseTo(25 / 16, 15); // order does not matter
    expect(stableRank(Float64Array.of(1e200, 1e200))).toBeCloseTo(2, 14); // no overflow
    expect(stableRank(new Float64Array(4))).toBe(0);
    const random = createRandom(3, 'rank.test');
    const sv = Float64Array.from({ length: 20 }, () => random.uniform());
    const sr = stableRank(sv);
    expect(sr).toBeGreaterThanOrEqual(1);
    expect(sr).toBeLessThanOrEqual(20);
  });

  it('normalisedSpectrum has unit 2-norm, keeps ratios, and maps zeros to zeros', () => {
    const sv = Float64Array.of(4, 3, 0);
    expect(Array.from(normalisedSpectrum(sv))).toEqual([0.8, 0.6, 0]);
    expect(Array.from(normalisedSpectrum(new Float64Array(3)))).toEqual([0, 0, 0]);
    const big = normalisedSpectrum(Float64Array.of(3e300, 4e300));
    expect(big[0]).toBeCloseTo(0.6, 15);
    expect(big[1]).toBeCloseTo(0.8, 15);
    expect(sv[0]).toBe(4); // input untouched
  });
});

describe('measureLayer and meanRank', () => {
  it('measures a known matrix', () => {
    // [[3, 0], [0, 4], [0, 0]] has singular values 4 and 3.
    const layer = measureLayer('fc1', Float32Array.of(3, 0, 0, 4, 0, 0), 3, 2, 0.7);
    expect(layer).toEqual({
      name: 'fc1',
      shape: [3, 2],
      singularValues: [4, 3],
      rank: 1, // 0.8 > 0.7, 0.6 is not
      stableRank: 25 / 16,
      frobeniusNorm: 5,
    });
    expect(Array.isArray(layer.singularValues)).toBe(true); // plain data for postMessage/JSON
  });

  it('measures the zero matrix as rank 0', () => {
    const layer = measureLayer('zero', new Float32Array(6), 2, 3, 1e-3);
    expect(layer.rank).toBe(0);
    expect(layer.stableRank).toBe(0);
    expect(layer.frobeniusNorm).toBe(0);
    expect(layer.singularValues).toEqual([0, 0]);
  });

  it('meanRank averages layer ranks', () => {
    expect(meanRank([{ rank: 3 }, { rank: 4 }, { rank: 8 }])).toBe(5);
    expect(meanRank([])).toBeNaN();
  });
});
