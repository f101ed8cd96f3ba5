import { describe, expect, it } from 'vitest';
import { loadLayerSvdFixtures, loadSvdFixtures } from './fixtures/svdFixtures';
import { createRandom } from '../random';
import { bidiagonalSingularValues, singularValues2x2 } from './bidiagonal';
import { gramKernelsAvailable, gramSingularValues, gramSingularValuesOn, loadSpectraKernels, spectraKernelsName } from './gram';
import { singularValues, singularValuesExact } from './singularValues';

const fixtures = loadSvdFixtures();
const layerFixtures = loadLayerSvdFixtures();

/**
 * The exact route's accuracy contract (backward stable, like LAPACK): normwise
 * |s_i - ref_i| <= tol * ref_0 for every i, and elementwise relative error <=
 * tol wherever ref_i >= 1e-6 * ref_0.
 */
function expectClose(actual: ArrayLike<number>, reference: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length).toBe(reference.length);
  const scale = reference.length > 0 ? reference[0] : 0;
  for (let i = 0; i < reference.length; i++) {
    const err = Math.abs(actual[i] - reference[i]);
    if (err > tol * scale) {
      throw new Error(`s[${i}] = ${actual[i]}, reference ${reference[i]}: off by ${err / scale} of s_0`);
    }
    if (reference[i] >= 1e-6 * scale && err > tol * reference[i]) {
      throw new Error(`s[${i}] = ${actual[i]}, reference ${reference[i]}: relative error ${err / reference[i]}`);
    }
  }
}

/**
 * singularValues' (the Gram route's) contract: |s_i - ref_i| <= tol * ref_0 for
 * every ref_i above 1e-7 * ref_0, and, below that line, within `floor` * ref_0:
 * the Gram matrix resolves nothing below sqrt(eps) ~ 1.5e-8, and the early stop
 * for numerically low-rank matrices reports values below sqrt(5e-15) = 7.1e-8 as 0.
 */
function expectContract(actual: ArrayLike<number>, reference: ArrayLike<number>, tol = 1e-9, floor = 7.5e-8): void {
  expect(actual.length).toBe(reference.length);
  const scale = reference.length > 0 ? reference[0] : 0;
  for (let i = 0; i < reference.length; i++) {
    const err = Math.abs(actual[i] - reference[i]);
    const bound = reference[i] > 1e-7 * scale ? tol : floor;
    if (!(err <= bound * scale)) {
      throw new Error(`s[${i}] = ${actual[i]}, reference ${reference[i]} (${(reference[i] / scale).toExponential(2)} of s_0): off by ${(err / scale).toExponential(2)} of s_0, allowed ${bound}`);
    }
  }
}

/** Largest |s_i - ref_i| / ref_0 over the reference values above `above` * ref_0. */
function deviation(actual: ArrayLike<number>, reference: ArrayLike<number>, above = 1e-7): number {
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i] > above * reference[0]) worst = Math.max(worst, Math.abs(actual[i] - reference[i]) / reference[0]);
  }
  return worst;
}

function gaussian(rows: number, cols: number, seed: number): Float64Array {
  const random = createRandom(seed, 'singularValues.test');
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = random.normal();
  return out;
}

function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** Q A for a random orthogonal Q (a product of `count` Householder reflections), A rows x cols. */
function rotateRows(a: Float64Array, rows: number, cols: number, count: number, seed: number): Float64Array {
  const out = Float64Array.from(a);
  const random = createRandom(seed, 'reflections');
  for (let r = 0; r < count; r++) {
    const v = Array.from({ length: rows }, () => random.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    for (let j = 0; j < cols; j++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += v[i] * out[i * cols + j];
      const f = (2 * dot) / vv;
      for (let i = 0; i < rows; i++) out[i * cols + j] -= f * v[i];
    }
  }
  return out;
}

/** Sylvester Hadamard entry: H[i][j] = (-1)^popcount(i & j), orthogonal up to the factor sqrt(n). */
function hadamard(i: number, j: number): number {
  let x = i & j;
  let parity = 0;
  while (x) {
    parity ^= x & 1;
    x >>= 1;
  }
  return parity ? -1 : 1;
}

/**
 * U diag(2^-exponents) V^T with U = H_rows / sqrt(rows) (columns picked by
 * `uColumn`) and V = H_cols / sqrt(cols) (columns picked by `vColumn`), for
 * sizes that are powers of 4. Entries of U and V are +-2^-p, and with
 * exponents spanning at most 2^40 every product and every partial sum fits in
 * 53 bits: the matrix is exact in float64, so its singular values are exactly
 * the planted powers of two (and zeros), however tiny.
 */
function exactPlanted(
  rows: number,
  cols: number,
  exponents: number[],
  vColumn: (k: number) => number,
  uColumn: (k: number) => number = (k) => k,
): Float64Array {
  const r = exponents.length;
  const scale = 1 / Math.sqrt(rows * cols);
  // us[i][k] = U[i][k] * s_k * scale and v[j][k] = +-1: still exact powers of two.
  const us = new Float64Array(rows * r);
  const v = new Float64Array(cols * r);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < rows; i++) us[i * r + k] = hadamard(i, uColumn(k)) * Math.pow(2, -exponents[k]) * scale;
    for (let j = 0; j < cols; j++) v[j * r + k] = hadamard(j, vColumn(k));
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += us[i * r + k] * v[j * r + k];
      out[i * cols + j] = sum;
    }
  }
  return out;
}

/** The planted singular values of exactPlanted, descending, padded with zeros to `count`. */
function plantedValues(exponents: number[], count: number): number[] {
  const values = exponents.map((e) => Math.pow(2, -e)).sort((a, b) => b - a);
  while (values.length < count) values.push(0);
  return values;
}

describe('singularValues (Gram route) against the LAPACK fixtures', () => {
  it('runs on the WebAssembly SIMD kernels here (not the fallback), the FMA build where it compiles', () => {
    expect(gramKernelsAvailable()).toBe(true);
    expect(spectraKernelsName()).toBe(loadSpectraKernels('fma') ? 'wasm-simd-fma' : 'wasm-simd');
    const a = gaussian(30, 20, 1);
    expect(Array.from(singularValues(a, 30, 20))).toEqual(Array.from(gramSingularValues(a, 30, 20)!));
  });

  it('has every fixture case: at least 12 matrices and the two LAPACK layers', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    expect(layerFixtures.length).toBe(2);
  });

  for (const fx of fixtures) {
    it(`${fx.name} (${fx.rows}x${fx.cols}): within 1e-9 s_0 of LAPACK above 1e-7 s_0`, () => {
      const data = Float32Array.from(fx.data); // what tfjs hands back
      expect(Array.from(data)).toEqual(fx.data); // fixture values really are float32
      const s = singularValues(data, fx.rows, fx.cols);
      expect(s).toBeInstanceOf(Float64Array);
      expectContract(s, fx.singularValues);
    });
  }

  for (const fx of layerFixtures) {
    it(`layer-sized ${fx.name} (${fx.rows}x${fx.cols}), values on both sides of 1e-7 s_0`, () => {
      const s = singularValues(fx.data, fx.rows, fx.cols);
      expectContract(s, fx.singularValues);
      // Measured 1.7e-10 on both: the contract holds with room to spare, even on the clusters at 1.1e-7 s_0.
      expect(deviation(s, fx.singularValues)).toBeLessThan(5e-10);
      // The same matrix as float64 and as a plain array takes the same route to the same values.
      expect(Array.from(singularValues(Float64Array.from(fx.data), fx.rows, fx.cols))).toEqual(Array.from(s));
      expect(Array.from(singularValues(Array.from(fx.data), fx.rows, fx.cols))).toEqual(Array.from(s));
    });
  }
});

// Both builds of the kernels, whichever singularValues picked: the FMA build only
// where relaxed SIMD compiles (not in Node 20 without --experimental-wasm-relaxed-simd).
for (const build of ['simd', 'fma'] as const) {
  const kernels = loadSpectraKernels(build);
  describe.skipIf(!kernels)(`the ${build} build of the kernels against the LAPACK fixtures`, () => {
    it('meets the contract on every fixture, small and layer-sized', () => {
      for (const fx of [...fixtures, ...layerFixtures]) {
        const s = gramSingularValuesOn(kernels!, Float32Array.from(fx.data), fx.rows, fx.cols)!;
        expectContract(s, fx.singularValues);
      }
    });
  });
}

describe('singularValuesExact (bidiagonal route) against numpy fixtures', () => {
  for (const fx of [...fixtures, ...layerFixtures]) {
    it(`${fx.name} (${fx.rows}x${fx.cols}): backward stable, relative accuracy down to 1e-6 s_0`, () => {
      const s = singularValuesExact(Float32Array.from(fx.data), fx.rows, fx.cols);
      expect(s).toBeInstanceOf(Float64Array);
      expectClose(s, fx.singularValues);
    });
  }
});

interface Route {
  name: string;
  sv: (data: ArrayLike<number>, rows: number, cols: number) => Float64Array;
  /** Is actual the spectrum `reference` (a true or a trusted one) within this route's contract? */
  close: (actual: ArrayLike<number>, reference: ArrayLike<number>) => void;
  /** Do two results of this route for the same singular values agree (invariance checks)? */
  same: (actual: ArrayLike<number>, reference: ArrayLike<number>) => void;
  /** Largest value (relative to s_0) this route may report for an exactly zero singular value. */
  zeroFloor: number;
}

const ROUTES: Route[] = [
  {
    name: 'singularValues (Gram route)',
    sv: singularValues,
    close: (a, r) => expectContract(a, r),
    same: (a, r) => expectContract(a, r, 1e-12),
    zeroFloor: 7.5e-8,
  },
  {
    name: 'singularValuesExact (bidiagonal route)',
    sv: singularValuesExact,
    close: (a, r) => expectClose(a, r),
    same: (a, r) => expectClose(a, r, 1e-12),
    zeroFloor: 1e-14,
  },
];

for (const route of ROUTES) {
  const { sv } = route;

  describe(`${route.name}: exact references over 1 .. 1e-12`, () => {
    // 2^0 .. 2^-40 (about 9e-13), a couple repeated, in no particular order.
    const exponents = [0, 40, 3, 17, 1, 1, 33, 9, 26, 5, 12, 21, 37, 7, 29, 40];
    const expected = exponents.map((e) => Math.pow(2, -e)).sort((a, b) => b - a);

    it('square 16x16', () => {
      const a = exactPlanted(16, 16, exponents, (k) => (k * 5) % 16);
      route.close(sv(a, 16, 16), expected);
    });

    it('wide 16x64 and tall 64x16', () => {
      const a = exactPlanted(16, 64, exponents, (k) => (k * 7 + 3) % 64);
      route.close(sv(a, 16, 64), expected);
      route.close(sv(transpose(a, 16, 64), 64, 16), expected);
    });

    // Layer-sized, rank-deficient: 64 planted values from 1 down to 2^-40, then zeros.
    const layerExponents = Array.from({ length: 64 }, (_, k) => Math.floor((k * 40) / 63));

    it('256x256 of rank 64', () => {
      const a = exactPlanted(256, 256, layerExponents, (k) => (k * 37 + 11) % 256, (k) => (k * 3 + 1) % 256);
      const s = sv(a, 256, 256);
      route.close(s, plantedValues(layerExponents, 256));
      expect(s[64]).toBeLessThan(route.zeroFloor);
    });

    it('256x64 and 64x256', () => {
      const a = exactPlanted(256, 64, layerExponents, (k) => (k * 5 + 2) % 64, (k) => (k * 7) % 256);
      const expected = plantedValues(layerExponents, 64);
      route.close(sv(a, 256, 64), expected);
      route.close(sv(transpose(a, 256, 64), 64, 256), expected);
    });

    if (sv === singularValuesExact) {
      it('gets even the ~1e-12 values to absolute accuracy 1e-15', () => {
        // Backward stability promises absolute errors of a few eps * ||A||_2
        // (||A||_2 = 1 here) for every value, the tiny ones included.
        const s = sv(exactPlanted(16, 16, exponents, (k) => (k * 5) % 16), 16, 16);
        for (let i = 0; i < expected.length; i++) {
          expect(Math.abs(s[i] - expected[i])).toBeLessThan(1e-15);
        }
      });
    } else {
      it('gets the values above 1e-7 to ~1e-16 s_0^2 / s_i, and the tiny ones to within the 7.1e-8 floor', () => {
        const s = sv(exactPlanted(16, 16, exponents, (k) => (k * 5) % 16), 16, 16);
        for (let i = 0; i < expected.length; i++) {
          const err = Math.abs(s[i] - expected[i]);
          expect(err).toBeLessThan(expected[i] > 1e-7 ? 1e-15 / expected[i] : 7.5e-8);
        }
      });
    }
  });

  describe(`${route.name}: properties`, () => {
    const shapes: Array<[number, number]> = [
      [7, 7],
      [30, 12],
      [12, 30],
      [60, 20],
      [5, 64],
      [33, 31],
    ];

    it('is invariant under transposition', () => {
      for (const [r, c] of shapes) {
        const a = gaussian(r, c, r * 31 + c);
        const s = sv(a, r, c);
        route.same(sv(transpose(a, r, c), c, r), s);
      }
    });

    it('scales with |c|, exactly for powers of two', () => {
      const a = gaussian(20, 13, 5);
      const s = sv(a, 20, 13);
      const times = (c: number) => a.map((x) => c * x);
      expect(Array.from(sv(times(-0.25), 20, 13))).toEqual(Array.from(s, (x) => x * 0.25));
      expect(Array.from(sv(times(2 ** 300), 20, 13))).toEqual(Array.from(s, (x) => x * 2 ** 300));
      route.same(sv(times(-3.7), 20, 13), s.map((x) => 3.7 * x));
      route.same(sv(times(1e-200), 20, 13), s.map((x) => 1e-200 * x));
    });

    it('is invariant under orthogonal transformations', () => {
      for (const [r, c] of [[25, 10], [10, 25], [40, 40]] as const) {
        const a = gaussian(r, c, 77 + r);
        const s = sv(a, r, c);
        route.same(sv(rotateRows(a, r, c, 5, r + c), r, c), s);
        const rightRotated = transpose(rotateRows(transpose(a, r, c), c, r, 5, 3 * r), c, r);
        route.same(sv(rightRotated, r, c), s);
      }
    });

    it('has sum of squares equal to the squared Frobenius norm', () => {
      for (const [r, c] of shapes) {
        const a = gaussian(r, c, 1000 + r * c);
        const fro2 = a.reduce((sum, x) => sum + x * x, 0);
        const s2 = sv(a, r, c).reduce((sum, x) => sum + x * x, 0);
        expect(Math.abs(s2 - fro2) / fro2).toBeLessThan(1e-13);
      }
    });

    it('returns min(rows, cols) values, sorted descending and nonnegative', () => {
      for (const [r, c] of [...shapes, [1, 9], [9, 1], [1, 1], [3, 40], [4, 4], [5, 3], [513, 9]] as Array<[number, number]>) {
        const s = sv(gaussian(r, c, r + 100 * c), r, c);
        expect(s.length).toBe(Math.min(r, c));
        for (let i = 0; i < s.length; i++) {
          expect(s[i]).toBeGreaterThanOrEqual(0);
          if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
        }
      }
    });

    it('gives the 2-norm for a single row or column', () => {
      const v = [3, -4, 12];
      expect(Array.from(sv(v, 1, 3))).toEqual([13]);
      expect(Array.from(sv(v, 3, 1))).toEqual([13]);
      expect(Array.from(sv([-2.5], 1, 1))).toEqual([2.5]);
    });

    it('finds (near) zeros for rank-deficient and zero matrices', () => {
      expect(Array.from(sv(new Float32Array(12), 3, 4))).toEqual([0, 0, 0]);
      // Rank 2: two repeated rows in a 4x6 (rows 2, 3 copy rows 0, 1).
      const a = gaussian(4, 6, 9);
      a.copyWithin(12, 0, 12);
      const s = sv(a, 4, 6);
      expect(s[1]).toBeGreaterThan(0.1);
      expect(s[2]).toBeLessThan(route.zeroFloor * s[0]);
      // A zero column, tall.
      const b = gaussian(40, 5, 10);
      for (let i = 0; i < 40; i++) b[i * 5 + 2] = 0;
      const sb = sv(b, 40, 5);
      expect(sb[4]).toBeLessThan(route.zeroFloor * sb[0]);
    });

    it('handles empty shapes and rejects inconsistent ones', () => {
      expect(sv([], 0, 5).length).toBe(0);
      expect(sv([], 3, 0).length).toBe(0);
      expect(() => sv([1, 2, 3], 2, 2)).toThrow(RangeError);
      expect(() => sv([1, 2], 1.5, 2)).toThrow(RangeError);
    });

    it('returns NaNs for a matrix with NaN or infinite entries', () => {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (const [r, c] of [[6, 4], [4, 6]] as const) {
          const a = gaussian(r, c, 3);
          a[7] = bad;
          const s = sv(a, r, c);
          expect(s.length).toBe(4);
          expect(Array.from(s).every(Number.isNaN)).toBe(true);
          const s32 = sv(Float32Array.from(a), r, c);
          expect(Array.from(s32).every(Number.isNaN)).toBe(true);
        }
      }
    });
  });
}

/** U diag(values) V^T, rows x cols, with U, V orthonormal columns of scaled Sylvester Hadamard matrices (sizes: powers of 2). */
function planted(rows: number, cols: number, values: number[]): Float64Array {
  const out = new Float64Array(rows * cols);
  const su = 1 / Math.sqrt(rows);
  const sv = 1 / Math.sqrt(cols);
  for (let k = 0; k < values.length; k++) {
    const u = (k * 37 + 5) % rows;
    const v = (k * 11 + 3) % cols;
    for (let i = 0; i < rows; i++) {
      const a = hadamard(i, u) * su * values[k];
      for (let j = 0; j < cols; j++) out[i * cols + j] += a * hadamard(j, v) * sv;
    }
  }
  return out;
}

describe('singularValues (Gram route): the early stop for numerically low-rank matrices', () => {
  it('stops on a rank-8 float32 gradient: the 8 values within the contract, the rounding noise reported as 0', () => {
    const random = createRandom(5, 'gradient');
    const [m, n, batch] = [300, 200, 8];
    const x = Float32Array.from({ length: batch * m }, () => Math.max(0, random.normal()));
    const dy = Float32Array.from({ length: batch * n }, () => 0.01 * random.normal());
    const g = new Float32Array(m * n); // X^T dY summed in float32, as an engine does
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let b = 0; b < batch; b++) sum = Math.fround(sum + Math.fround(x[b * m + i] * dy[b * n + j]));
        g[i * n + j] = sum;
      }
    }
    const exact = singularValuesExact(g, m, n);
    expect(exact[8] / exact[0]).toBeGreaterThan(1e-10); // float32 rounding noise, not zeros
    expect(exact[8] / exact[0]).toBeLessThan(1e-7);
    const s = singularValues(g, m, n);
    expectContract(s, exact);
    // The reduction stopped a step or two after its Krylov space held the range: zeros from there on.
    const zeros = Array.from(s).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(n - 16);
  });

  it('does not stop while the rest is above the line or has a repeated value', () => {
    // 40 distinct values from 1 to 0.5, then 100 values of 3e-8: the rest's norm, 9e-16 * 10 = 9e-15 of lambda_max,
    // passes the lenient first look (against ||G||_F ~ 4.6 lambda_max) but not the check against lambda_max:
    // the reduction resumes and the small values are measured, not dropped.
    const values = [...Array.from({ length: 40 }, (_, k) => 1 - k / 80), ...Array.from({ length: 100 }, () => 3e-8)];
    const a = planted(256, 256, values);
    const exact = singularValuesExact(a, 256, 256);
    const s = singularValues(a, 256, 256);
    expectContract(s, exact);
    expect(s[100]).toBeGreaterThan(1e-8);
    // 40 copies of one value (Lanczos sees a cluster as one direction) above a rank-deficient rest: the rest holds
    // 39 of the copies, so it is never negligible and every copy is found.
    const cluster = planted(128, 64, [...Array.from({ length: 40 }, () => 0.75), 1, 0.5]);
    const sc = singularValues(cluster, 128, 64);
    expectContract(sc, singularValuesExact(cluster, 128, 64));
    expect(sc[40]).toBeCloseTo(0.75, 12);
  });
});

describe('singularValues (Gram route) on layer-sized matrices against the exact route', () => {
  it('agrees within 1e-9 s_0 above 1e-7 s_0 on trained-like and gradient-like 300x200 matrices', () => {
    const random = createRandom(11, 'layer-sized');
    const [m, n] = [300, 200];
    // Rank 10 plus noise at 1e-5 (values straddling 1e-7 s_0 after the float32 rounding), and a rank-8 product.
    const lowRank = (r: number, noise: number) => {
      const a = Float64Array.from({ length: m * r }, () => random.normal());
      const b = Float64Array.from({ length: r * n }, () => random.normal());
      const out = new Float32Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let k = 0; k < r; k++) sum += a[i * r + k] * b[k * n + j];
          out[i * n + j] = sum + noise * random.normal();
        }
      }
      return out;
    };
    for (const w of [lowRank(10, 1e-5), lowRank(8, 0)]) {
      const exact = singularValuesExact(w, m, n); // LAPACK-quality reference
      expectContract(singularValues(w, m, n), exact);
      expectContract(singularValues(Float32Array.from(transpose(w, m, n)), n, m), exact);
    }
  });
});

describe('bidiagonal QR', () => {
  it('matches the 2x2 closed form and leaves a diagonal alone', () => {
    const [smin, smax] = singularValues2x2(3, 4, 5);
    // [3 4; 0 5]: sigma_max^2 + sigma_min^2 = 50, sigma_max * sigma_min = 15.
    expect(smin * smin + smax * smax).toBeCloseTo(50, 12);
    expect(smin * smax).toBeCloseTo(15, 12);
    const d = Float64Array.of(-3, 1e-20, 7);
    bidiagonalSingularValues(d, new Float64Array(2));
    expect(Array.from(d)).toEqual([3, 1e-20, 7]);
  });

  it('finds the tiny values of a graded bidiagonal to high relative accuracy', () => {
    // d_i = e_i = 10^-i: its smallest singular values are far below eps * ||B||,
    // yet Demmel-Kahan QR gets them to nearly full relative precision. The
    // product of the singular values is |det B| = prod |d_i| exactly.
    const n = 12;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** -i);
    const e = Float64Array.from({ length: n - 1 }, (_, i) => 10 ** -i);
    const logDet = d.reduce((s, x) => s + Math.log(x), 0);
    bidiagonalSingularValues(d, e);
    const logProduct = d.reduce((s, x) => s + Math.log(x), 0);
    expect(Math.abs(logProduct - logDet)).toBeLessThan(1e-12);
    expect(Math.min(...d)).toBeLessThan(1e-10);
  });
});
