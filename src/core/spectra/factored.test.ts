import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { factoredSingularValues } from './factored';
import { numericalRank } from './rank';
import { singularValues, singularValuesExact } from './singularValues';

const random = createRandom(11, 'factored-test');
const normals = (n: number) => Float32Array.from({ length: n }, () => random.normal());

/** X^T D formed in float64 (rows x cols, row-major). */
function formed(x: Float32Array, d: Float32Array, batch: number, rows: number, cols: number): Float64Array {
  const g = new Float64Array(rows * cols);
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < rows; i++) {
      const xi = x[s * rows + i];
      for (let j = 0; j < cols; j++) g[i * cols + j] += xi * d[s * cols + j];
    }
  }
  return g;
}

describe('singular values of X^T D from its factors', () => {
  it.each([[8, 784, 512], [8, 512, 10], [32, 784, 128], [3, 40, 70]])('batch %i, %i x %i: the formed product\'s values, zeros beyond the batch', (batch, rows, cols) => {
    const x = normals(batch * rows), d = normals(batch * cols);
    const sv = factoredSingularValues({ batch, left: x, right: d }, rows, cols)!;
    const exact = singularValuesExact(formed(x, d, batch, rows, cols), rows, cols);
    expect(sv.length).toBe(Math.min(rows, cols));
    for (let i = 0; i < sv.length; i++) expect(Math.abs(sv[i] - exact[i])).toBeLessThan(1e-12 * exact[0]);
    expect(Array.from(sv.subarray(batch)).every((v) => v === 0)).toBe(true);
    // The rank the lab reports: the same from the factors as from the float32 gradient an engine forms.
    const float32 = Float32Array.from(formed(x, d, batch, rows, cols));
    expect(numericalRank(sv, rows, cols)).toBe(numericalRank(singularValues(float32, rows, cols), rows, cols));
    expect(numericalRank(sv, rows, cols)).toBe(batch);
  });

  it('counts repeated samples once: a batch of 8 drawn from 5 distinct rows has rank 5', () => {
    const [rows, cols] = [300, 200];
    const xs = normals(5 * rows), ds = normals(5 * cols);
    const pick = [0, 1, 2, 3, 4, 0, 2, 4];
    const x = new Float32Array(8 * rows), d = new Float32Array(8 * cols);
    pick.forEach((p, s) => { x.set(xs.subarray(p * rows, (p + 1) * rows), s * rows); d.set(ds.subarray(p * cols, (p + 1) * cols), s * cols); });
    // Scale the repeats' output gradients so the product is not just twice the same rank-1 terms.
    for (let j = 0; j < cols; j++) d[5 * cols + j] *= -0.5;
    const sv = factoredSingularValues({ batch: 8, left: x, right: d }, rows, cols)!;
    expect(numericalRank(sv, rows, cols)).toBe(5);
    expect(numericalRank(singularValues(Float32Array.from(formed(x, d, 8, rows, cols)), rows, cols), rows, cols)).toBe(5);
  });

  it('declines when the batch is not smaller than the matrix, where the factors save nothing', () => {
    expect(factoredSingularValues({ batch: 10, left: normals(10 * 64), right: normals(10 * 10) }, 64, 10)).toBeNull();
    expect(factoredSingularValues({ batch: 64, left: normals(64 * 64), right: normals(64 * 128) }, 64, 128)).toBeNull();
  });

  it('gives zeros for a zero factor, NaN for a NaN, and refuses factors of the wrong size', () => {
    expect(Array.from(factoredSingularValues({ batch: 2, left: new Float32Array(2 * 30), right: normals(2 * 20) }, 30, 20)!)).toEqual(new Array(20).fill(0));
    const left = normals(2 * 30);
    left[7] = Number.NaN;
    expect(factoredSingularValues({ batch: 2, left, right: normals(2 * 20) }, 30, 20)!.every(Number.isNaN)).toBe(true);
    expect(() => factoredSingularValues({ batch: 2, left: normals(59), right: normals(40) }, 30, 20)).toThrow(RangeError);
  });
});
