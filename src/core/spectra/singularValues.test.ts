import { describe, expect, it } from 'vitest';
import { loadSvdFixtures } from './fixtures/svdFixtures';
import { createRandom } from '../random';
import { bidiagonalSingularValues, singularValues2x2 } from './bidiagonal';
import { singularValues } from './singularValues';

const fixtures = loadSvdFixtures();

/**
 * The accuracy contract: normwise |s_i - ref_i| <= tol * ref_0 for every i,
 * and elementwise relative error <= tol wherever ref_i >= 1e-6 * ref_0.
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

describe('singularValues against numpy fixtures', () => {
  it('has the fixture cases the brief asks for', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  for (const fx of fixtures) {
    it(`${fx.name} (${fx.rows}x${fx.cols})`, () => {
      const data = Float32Array.from(fx.data); // what tfjs hands back
      expect(Array.from(data)).toEqual(fx.data); // fixture values really are float32
      const s = singularValues(data, fx.rows, fx.cols);
      expect(s).toBeInstanceOf(Float64Array);
      expectClose(s, fx.singularValues);
    });
  }
});

describe('singularValues exact references over 1 .. 1e-12', () => {
  // 2^0 .. 2^-40 (about 9e-13), a couple repeated, in no particular order.
  const exponents = [0, 40, 3, 17, 1, 1, 33, 9, 26, 5, 12, 21, 37, 7, 29, 40];
  const expected = exponents.map((e) => Math.pow(2, -e)).sort((a, b) => b - a);

  it('square 16x16', () => {
    const a = exactPlanted(16, 16, exponents, (k) => (k * 5) % 16);
    expectClose(singularValues(a, 16, 16), expected);
  });

  it('wide 16x64 and tall 64x16 (QR-first path)', () => {
    const a = exactPlanted(16, 64, exponents, (k) => (k * 7 + 3) % 64);
    expectClose(singularValues(a, 16, 64), expected);
    expectClose(singularValues(transpose(a, 16, 64), 64, 16), expected);
  });

  // Layer-sized, rank-deficient: 64 planted values from 1 down to 2^-40, then zeros.
  const layerExponents = Array.from({ length: 64 }, (_, k) => Math.floor((k * 40) / 63));

  it('256x256 of rank 64 (direct bidiagonalisation)', () => {
    const a = exactPlanted(256, 256, layerExponents, (k) => (k * 37 + 11) % 256, (k) => (k * 3 + 1) % 256);
    const s = singularValues(a, 256, 256);
    expectClose(s, plantedValues(layerExponents, 256));
    expect(s[64]).toBeLessThan(1e-14);
  });

  it('256x64 and 64x256 (QR-first path)', () => {
    const a = exactPlanted(256, 64, layerExponents, (k) => (k * 5 + 2) % 64, (k) => (k * 7) % 256);
    const expected = plantedValues(layerExponents, 64);
    expectClose(singularValues(a, 256, 64), expected);
    expectClose(singularValues(transpose(a, 256, 64), 64, 256), expected);
  });

  it('gets even the ~1e-12 values to absolute accuracy 1e-15', () => {
    // Backward stability promises absolute errors of a few eps * ||A||_2
    // (||A||_2 = 1 here) for every value, the tiny ones included.
    const s = singularValues(exactPlanted(16, 16, exponents, (k) => (k * 5) % 16), 16, 16);
    for (let i = 0; i < expected.length; i++) {
      expect(Math.abs(s[i] - expected[i])).toBeLessThan(1e-15);
    }
  });
});

describe('singularValues properties', () => {
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
      const s = singularValues(a, r, c);
      expectClose(singularValues(transpose(a, r, c), c, r), s, 1e-12);
    }
  });

  it('scales with |c|, exactly for powers of two', () => {
    const a = gaussian(20, 13, 5);
    const s = singularValues(a, 20, 13);
    const times = (c: number) => a.map((x) => c * x);
    expect(Array.from(singularValues(times(-0.25), 20, 13))).toEqual(Array.from(s, (x) => x * 0.25));
    expect(Array.from(singularValues(times(2 ** 300), 20, 13))).toEqual(Array.from(s, (x) => x * 2 ** 300));
    expectClose(singularValues(times(-3.7), 20, 13), s.map((x) => 3.7 * x), 1e-12);
    expectClose(singularValues(times(1e-200), 20, 13), s.map((x) => 1e-200 * x), 1e-12);
  });

  it('is invariant under orthogonal transformations', () => {
    for (const [r, c] of [[25, 10], [10, 25], [40, 40]] as const) {
      const a = gaussian(r, c, 77 + r);
      const s = singularValues(a, r, c);
      expectClose(singularValues(rotateRows(a, r, c, 5, r + c), r, c), s, 1e-12);
      const rightRotated = transpose(rotateRows(transpose(a, r, c), c, r, 5, 3 * r), c, r);
      expectClose(singularValues(rightRotated, r, c), s, 1e-12);
    }
  });

  it('has sum of squares equal to the squared Frobenius norm', () => {
    for (const [r, c] of shapes) {
      const a = gaussian(r, c, 1000 + r * c);
      const fro2 = a.reduce((sum, x) => sum + x * x, 0);
      const s2 = singularValues(a, r, c).reduce((sum, x) => sum + x * x, 0);
      expect(Math.abs(s2 - fro2) / fro2).toBeLessThan(1e-13);
    }
  });

  it('returns min(rows, cols) values, sorted descending and nonnegative', () => {
    for (const [r, c] of [...shapes, [1, 9], [9, 1], [1, 1], [3, 40]] as Array<[number, number]>) {
      const s = singularValues(gaussian(r, c, r + 100 * c), r, c);
      expect(s.length).toBe(Math.min(r, c));
      for (let i = 0; i < s.length; i++) {
        expect(s[i]).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
      }
    }
  });

  it('gives the 2-norm for a single row or column', () => {
    const v = [3, -4, 12];
    expect(Array.from(singularValues(v, 1, 3))).toEqual([13]);
    expect(Array.from(singularValues(v, 3, 1))).toEqual([13]);
    expect(Array.from(singularValues([-2.5], 1, 1))).toEqual([2.5]);
  });

  it('finds exact zeros for rank-deficient and zero matrices', () => {
    expect(Array.from(singularValues(new Float32Array(12), 3, 4))).toEqual([0, 0, 0]);
    // Rank 2: two repeated rows in a 4x6 (rows 2, 3 copy rows 0, 1).
    const a = gaussian(4, 6, 9);
    a.copyWithin(12, 0, 12);
    const s = singularValues(a, 4, 6);
    expect(s[1]).toBeGreaterThan(0.1);
    expect(s[2]).toBeLessThan(1e-14 * s[0]);
    // A zero column on the QR-first path.
    const b = gaussian(40, 5, 10);
    for (let i = 0; i < 40; i++) b[i * 5 + 2] = 0;
    expect(singularValues(b, 40, 5)[4]).toBeLessThan(1e-14);
  });

  it('handles empty shapes and rejects inconsistent ones', () => {
    expect(singularValues([], 0, 5).length).toBe(0);
    expect(singularValues([], 3, 0).length).toBe(0);
    expect(() => singularValues([1, 2, 3], 2, 2)).toThrow(RangeError);
    expect(() => singularValues([1, 2], 1.5, 2)).toThrow(RangeError);
  });

  it('returns NaNs for a matrix with NaN or infinite entries', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const a = gaussian(6, 4, 3);
      a[7] = bad;
      const s = singularValues(a, 6, 4);
      expect(s.length).toBe(4);
      expect(Array.from(s).every(Number.isNaN)).toBe(true);
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
