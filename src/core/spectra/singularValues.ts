// All singular values of a dense real matrix, in float64, values only. Two routes:
//
//   singularValues       the Gram route (./gram.ts, WebAssembly SIMD): sqrt of the
//                        eigenvalues of W^T W. What the lab measures with. Within
//                        1e-9 sigma_max of LAPACK for every value above
//                        1e-7 sigma_max; values below ~1e-7 sigma_max are not
//                        resolved (noise floor ~1.5e-8 sigma_max; see gram.ts).
//   singularValuesExact  the bidiagonal route below (plain TypeScript): backward
//                        stable like LAPACK, so even values of 1e-12 sigma_max come
//                        out to ~1e-16 sigma_max; 7-14x slower on 512-wide layers.
//                        singularValues falls back to it where WebAssembly SIMD is
//                        unavailable.
//
// Where the Gram route is not accurate enough: singular values below ~1e-7
// sigma_max (relative accuracy, exact zeros of rank-deficient matrices). The
// previous contract of singularValues, relative accuracy down to 1e-6 sigma_max
// and ~1e-16 sigma_max absolute for values of 1e-12, is now singularValuesExact's,
// and its tests run on it.
//
// Why not the exact route everywhere: it cannot be as fast as LAPACK in
// JavaScript (822 ms against 159 ms for the weights of a 784-512-512-512-10 MLP),
// and the Gram route's error, ~1e-16 sigma_max^2 / sigma_i, is invisible in what
// the lab reports: ranks at eps >= 1e-6, the spectrum chart (floor 1e-6), the
// gradient rank (threshold ~1e-4 sigma_max), and weights that are float32, whose
// own rounding blurs singular values below ~1e-7 sigma_max anyway.
//
// The exact route (the classical Golub-Kahan route, as LAPACK's dgesvd takes it
// when no singular vectors are wanted):
//   1. copy into a Float64Array, transposed if needed so that rows >= cols, and
//      scaled by a power of two so sums of squares can neither overflow nor
//      lose the matrix to underflow (power of two: the scaling is exact);
//   2. if the matrix is much taller than wide, a Householder QR first, so the
//      expensive bidiagonalisation runs on the small square R;
//   3. Householder bidiagonalisation B = Q^T A P (upper bidiagonal);
//   4. singular values of B by implicit-shift QR with the Demmel-Kahan
//      zero-shift sweep and relative convergence tests, which find even tiny
//      singular values of B to high relative accuracy.
//
// The dense steps are written for row-major storage: every inner loop walks
// one row contiguously, and each elimination step makes a single pass over
// the trailing matrix, four rows at a time (see "Fused elimination passes"),
// because in plain JavaScript the loads and stores, more than the
// arithmetic, set the speed on matrices of a few MB.

import { bidiagonalSingularValues } from './bidiagonal';
import { gramSingularValues } from './gram';

/**
 * Use QR first when rows >= QR_FIRST_RATIO * cols. Flop counts: direct
 * bidiagonalisation 4mn^2 - 4n^3/3, QR then bidiagonalise R 2mn^2 + 2n^3;
 * they cross at m = 5n/3.
 */
const QR_FIRST_RATIO = 5 / 3;

/**
 * All min(rows, cols) singular values of the row-major `rows` x `cols` matrix
 * in `data`, in float64, sorted descending (largest first).
 *
 * Float32 input (typical: weights read back from tfjs) is widened to float64
 * before any arithmetic. By the Gram route: |s_i - s_i(LAPACK)| stays below
 * 1e-9 * s_0 for every s_i above 1e-7 * s_0 (typically ~1e-16 * s_0^2 / s_i);
 * smaller values have an absolute error up to ~7e-8 * s_0 (rank-deficient
 * matrices get ~1e-8 * s_0 or 0 where the exact route gets ~1e-16 * s_0). Use
 * singularValuesExact for those. A matrix with a NaN or an infinite entry has
 * no meaningful spectrum: every value returned is NaN.
 */
export function singularValues(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkShape(data, rows, cols);
  if (Math.min(rows, cols) === 0) return new Float64Array(0);
  return gramSingularValues(data, rows, cols) ?? singularValuesExact(data, rows, cols);
}

/**
 * All min(rows, cols) singular values of the row-major `rows` x `cols` matrix
 * in `data`, in float64, sorted descending (largest first), by the exact
 * (bidiagonal) route.
 *
 * Float32 input is widened to float64 before any arithmetic. The result is
 * backward stable: the values are the exact singular values of a matrix
 * within a small multiple of 1e-16 * ||A||_2 of the input, like LAPACK's, so
 * even tiny values are right to ~1e-16 * s_0. A matrix with a NaN or an
 * infinite entry has no meaningful spectrum: every value returned is NaN.
 */
export function singularValuesExact(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkShape(data, rows, cols);
  const n = Math.min(rows, cols);
  if (n === 0) return new Float64Array(0);

  const scale = powerOfTwoScale(data);
  if (Number.isNaN(scale)) return new Float64Array(n).fill(Number.NaN);
  if (scale === 0) return new Float64Array(n); // zero matrix: every value is 0

  const m = Math.max(rows, cols);
  let a = tallScaledCopy(data, rows, cols, scale);
  let height = m;
  if (n === 1) return Float64Array.of(columnNorm(a) / scale);
  if (m >= QR_FIRST_RATIO * n) {
    householderQR(a, m, n);
    a = upperTriangle(a, n);
    height = n;
  }

  const d = new Float64Array(n);
  const e = new Float64Array(n - 1);
  bidiagonalise(a, height, n, d, e);
  bidiagonalSingularValues(d, e); // d now holds the values, unsorted, >= 0

  d.sort();
  d.reverse();
  for (let i = 0; i < n; i++) d[i] /= scale;
  return d;
}

/**
 * R (n x n, upper triangular, row-major; n = min(rows, cols)) from a Householder QR of the
 * matrix in its tall orientation (transposed if wide): A = Q R, so R has A's singular values
 * and R^T R = A^T A. Float64, backward stable. All NaN if an entry is not finite.
 */
export function triangularFactor(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkShape(data, rows, cols);
  const n = Math.min(rows, cols);
  const scale = powerOfTwoScale(data);
  if (Number.isNaN(scale)) return new Float64Array(n * n).fill(Number.NaN);
  if (scale === 0 || n === 0) return new Float64Array(n * n);
  const m = Math.max(rows, cols);
  const a = tallScaledCopy(data, rows, cols, scale);
  householderQR(a, m, n);
  const r = upperTriangle(a, n);
  for (let i = 0; i < r.length; i++) r[i] /= scale;
  return r;
}

function checkShape(data: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`singularValues: bad shape ${rows}x${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`singularValues: ${data.length} values for a ${rows}x${cols} matrix`);
  }
}

/**
 * A power of two 2^-k that brings the largest |entry| to about [1, 2): 0 for the
 * zero matrix, NaN if any entry is not finite. After it, squares of entries
 * cannot overflow, and an entry whose square underflows is below 1e-150
 * relative to the largest, far beneath anything float64 can resolve.
 */
function powerOfTwoScale(data: ArrayLike<number>): number {
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (!(v <= Number.MAX_VALUE)) return Number.NaN; // NaN or +-Infinity
    if (v > maxAbs) maxAbs = v;
  }
  if (maxAbs === 0) return 0;
  // Clamp the exponent so 2^-k itself stays a normal, finite double.
  const k = Math.max(-1000, Math.min(1000, Math.floor(Math.log2(maxAbs))));
  return Math.pow(2, -k);
}

/**
 * Float64 copy times `scale`, as a row-major m x n matrix with m >= n:
 * transposed when the input is wide. Singular values are transposition
 * invariant, and the tall orientation makes the long dimension the one the
 * reflectors sweep down, which is what the flop counts assume.
 */
function tallScaledCopy(data: ArrayLike<number>, rows: number, cols: number, scale: number): Float64Array {
  const out = new Float64Array(rows * cols);
  if (rows >= cols) {
    for (let i = 0; i < out.length; i++) out[i] = data[i] * scale;
    return out;
  }
  // out is cols x rows: out[j][i] = data[i][j]. Read the input contiguously.
  for (let i = 0; i < rows; i++) {
    const src = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[src + j] * scale;
  }
  return out;
}

/** 2-norm of an m x 1 matrix (entries already scaled to at most 2). */
function columnNorm(a: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}

/** The n x n upper triangle of the first n rows of an m x n matrix; zeros below. */
function upperTriangle(a: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) r[i * n + j] = a[i * n + j];
  }
  return r;
}

// ---------------------------------------------------------------------------
// Householder reflectors
//
// A reflector H = I - tau v v^T with v[0] = 1 maps x = (alpha, x_tail) to
// (beta, 0, ..., 0). As in LAPACK's dlarfg, beta takes the sign opposite to
// alpha so that alpha - beta never cancels, and v_tail = x_tail / (alpha - beta).
// We never store v: its tail is the current column (or row) times `vScale`.

interface Reflector {
  /** The value x is mapped to: (beta, 0, ..., 0). */
  beta: number;
  tau: number;
  /** v_tail = x_tail * vScale. */
  vScale: number;
}

/**
 * Householder reflector for head `alpha` and squared norm of the tail
 * `tailSq`. A zero tail needs no reflection: H = I (tau = 0).
 */
function reflect(alpha: number, tailSq: number): Reflector {
  if (tailSq === 0) return { beta: alpha, tau: 0, vScale: 0 };
  const norm = Math.sqrt(alpha * alpha + tailSq);
  const beta = alpha >= 0 ? -norm : norm;
  return { beta, tau: (beta - alpha) / beta, vScale: 1 / (alpha - beta) };
}

// ---------------------------------------------------------------------------
// Fused elimination passes
//
// Textbook Householder steps read the trailing matrix twice per reflector
// (once for w = v^T A, once for the rank-1 update), and bidiagonalisation has
// two reflectors per step. Here each step is one pass over the trailing rows:
// while a row (a block of four) is in L1 we apply the left reflector, form
// its dot product with the right reflector and apply that, and then already
// accumulate
//   s = sum over later rows i of A[i][k+1] * A[i][:],  tailSq = sum A[i][k+1]^2,
// which is everything the NEXT step needs to build its left reflector and its
// w (w = A[k+1][:] + vScale * s, because v_tail = column tail * vScale).
// The arithmetic is the same as the textbook's, only the order of the loops
// differs, so backward stability is unchanged.

/**
 * The seed of the fused passes, for step k = 0: s[j] = sum over rows i > 0
 * of A[i][0] * A[i][j], and the returned sum of A[i][0]^2.
 */
function seedColumnProducts(a: Float64Array, m: number, n: number, s: Float64Array): number {
  s.fill(0);
  let tailSq = 0;
  for (let i = 1; i < m; i++) {
    const base = i * n;
    const x = a[base];
    tailSq += x * x;
    for (let j = 1; j < n; j++) s[j] += x * a[base + j];
  }
  return tailSq;
}

/**
 * The left reflector's w for step k, from the accumulated s:
 * w[j] = A[k][j] + vScale * s[j] for j > k, and the pivot row updated with it
 * (A[k][j] -= tau * w[j], since v[0] = 1).
 */
function formLeftW(a: Float64Array, n: number, k: number, left: Reflector, s: Float64Array, w: Float64Array): void {
  const base = k * n;
  const { vScale, tau } = left;
  for (let j = k + 1; j < n; j++) {
    const wj = a[base + j] + vScale * s[j];
    w[j] = wj;
    a[base + j] -= tau * wj;
  }
}

// Row kernels. Rows after the next pivot row are processed four at a time:
// each load of w[j], u[j] and s[j] then serves four rows, and the four
// independent dot products hide floating-point add latency. Measured in V8
// this made the passes about 2.4x faster than one row at a time.

/** Rows per block in the fused passes. */
const BLOCK = 4;

/**
 * Left update of row `base / n` over columns k+1..n-1 (A[i][j] -= c * w[j],
 * c = tau * v_i), then the right reflector (A[i][j] -= tau2 * (A[i] . u) u[j]),
 * accumulating s[j] += x * A[i][j] for j > k+1 where x = A[i][k+1] is the
 * row's entry of the next column. Returns x^2. With `accumulate` false
 * (the next step's pivot row) s is left alone and 0 is returned.
 */
function leftRightRow(a: Float64Array, base: number, n: number, k: number, tv: number, w: Float64Array, u: Float64Array, tau2: number, s: Float64Array, accumulate: boolean): number {
  const c = tv * a[base + k];
  let dot = 0;
  for (let j = k + 1; j < n; j++) {
    const aj = a[base + j] - c * w[j];
    a[base + j] = aj;
    dot += aj * u[j];
  }
  const f = tau2 * dot;
  const x = a[base + k + 1] - f; // u[k+1] = 1
  a[base + k + 1] = x;
  if (!accumulate) {
    for (let j = k + 2; j < n; j++) a[base + j] -= f * u[j];
    return 0;
  }
  for (let j = k + 2; j < n; j++) {
    const aj = a[base + j] - f * u[j];
    a[base + j] = aj;
    s[j] += x * aj;
  }
  return x * x;
}

/** leftRightRow for the four rows starting at `base`, accumulating; returns the sum of their x^2. */
function leftRightRows4(a: Float64Array, base: number, n: number, k: number, tv: number, w: Float64Array, u: Float64Array, tau2: number, s: Float64Array): number {
  const b0 = base;
  const b1 = b0 + n;
  const b2 = b1 + n;
  const b3 = b2 + n;
  const c0 = tv * a[b0 + k];
  const c1 = tv * a[b1 + k];
  const c2 = tv * a[b2 + k];
  const c3 = tv * a[b3 + k];
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let j = k + 1; j < n; j++) {
    const wj = w[j];
    const uj = u[j];
    const a0 = a[b0 + j] - c0 * wj;
    const a1 = a[b1 + j] - c1 * wj;
    const a2 = a[b2 + j] - c2 * wj;
    const a3 = a[b3 + j] - c3 * wj;
    a[b0 + j] = a0;
    a[b1 + j] = a1;
    a[b2 + j] = a2;
    a[b3 + j] = a3;
    d0 += a0 * uj;
    d1 += a1 * uj;
    d2 += a2 * uj;
    d3 += a3 * uj;
  }
  const f0 = tau2 * d0;
  const f1 = tau2 * d1;
  const f2 = tau2 * d2;
  const f3 = tau2 * d3;
  const x0 = (a[b0 + k + 1] -= f0);
  const x1 = (a[b1 + k + 1] -= f1);
  const x2 = (a[b2 + k + 1] -= f2);
  const x3 = (a[b3 + k + 1] -= f3);
  for (let j = k + 2; j < n; j++) {
    const uj = u[j];
    const a0 = a[b0 + j] - f0 * uj;
    const a1 = a[b1 + j] - f1 * uj;
    const a2 = a[b2 + j] - f2 * uj;
    const a3 = a[b3 + j] - f3 * uj;
    a[b0 + j] = a0;
    a[b1 + j] = a1;
    a[b2 + j] = a2;
    a[b3 + j] = a3;
    s[j] += x0 * a0 + x1 * a1 + (x2 * a2 + x3 * a3);
  }
  return x0 * x0 + x1 * x1 + (x2 * x2 + x3 * x3);
}

/**
 * Left update only (QR steps, and the last bidiagonalisation step, which has
 * no right reflector) of row `base / n`, accumulating like leftRightRow.
 */
function leftRow(a: Float64Array, base: number, n: number, k: number, tv: number, w: Float64Array, s: Float64Array, accumulate: boolean): number {
  const c = tv * a[base + k];
  const x = a[base + k + 1] - c * w[k + 1];
  a[base + k + 1] = x;
  if (!accumulate) {
    for (let j = k + 2; j < n; j++) a[base + j] -= c * w[j];
    return 0;
  }
  for (let j = k + 2; j < n; j++) {
    const aj = a[base + j] - c * w[j];
    a[base + j] = aj;
    s[j] += x * aj;
  }
  return x * x;
}

/** leftRow for the four rows starting at `base`, accumulating; returns the sum of their x^2. */
function leftRows4(a: Float64Array, base: number, n: number, k: number, tv: number, w: Float64Array, s: Float64Array): number {
  const b0 = base;
  const b1 = b0 + n;
  const b2 = b1 + n;
  const b3 = b2 + n;
  const c0 = tv * a[b0 + k];
  const c1 = tv * a[b1 + k];
  const c2 = tv * a[b2 + k];
  const c3 = tv * a[b3 + k];
  const wk = w[k + 1];
  const x0 = (a[b0 + k + 1] -= c0 * wk);
  const x1 = (a[b1 + k + 1] -= c1 * wk);
  const x2 = (a[b2 + k + 1] -= c2 * wk);
  const x3 = (a[b3 + k + 1] -= c3 * wk);
  for (let j = k + 2; j < n; j++) {
    const wj = w[j];
    const a0 = a[b0 + j] - c0 * wj;
    const a1 = a[b1 + j] - c1 * wj;
    const a2 = a[b2 + j] - c2 * wj;
    const a3 = a[b3 + j] - c3 * wj;
    a[b0 + j] = a0;
    a[b1 + j] = a1;
    a[b2 + j] = a2;
    a[b3 + j] = a3;
    s[j] += x0 * a0 + x1 * a1 + (x2 * a2 + x3 * a3);
  }
  return x0 * x0 + x1 * x1 + (x2 * x2 + x3 * x3);
}

/**
 * One pass applying only the left reflector of step k to rows k+1..m-1, and
 * accumulating s and the returned tailSq for step k+1.
 */
function leftPass(a: Float64Array, m: number, n: number, k: number, left: Reflector, w: Float64Array, s: Float64Array): number {
  const tv = left.tau * left.vScale; // row i's multiplier is tau * v_i = tv * A[i][k]
  s.fill(0, k + 2);
  leftRow(a, (k + 1) * n, n, k, tv, w, s, false); // the next step's pivot row
  let tailSq = 0;
  let i = k + 2;
  for (; i + BLOCK <= m; i += BLOCK) tailSq += leftRows4(a, i * n, n, k, tv, w, s);
  for (; i < m; i++) tailSq += leftRow(a, i * n, n, k, tv, w, s, true);
  return tailSq;
}

/**
 * One pass applying the left reflector (multipliers tv * A[i][k], vector w)
 * and then the right reflector (tau2, vector u with u[k+1] = 1) of step k to
 * rows k+1..m-1, accumulating s and the returned tailSq for step k+1.
 */
function leftRightPass(a: Float64Array, m: number, n: number, k: number, left: Reflector, w: Float64Array, u: Float64Array, tau2: number, s: Float64Array): number {
  const tv = left.tau * left.vScale;
  s.fill(0, k + 2);
  leftRightRow(a, (k + 1) * n, n, k, tv, w, u, tau2, s, false); // the next step's pivot row
  let tailSq = 0;
  let i = k + 2;
  for (; i + BLOCK <= m; i += BLOCK) tailSq += leftRightRows4(a, i * n, n, k, tv, w, u, tau2, s);
  for (; i < m; i++) tailSq += leftRightRow(a, i * n, n, k, tv, w, u, tau2, s, true);
  return tailSq;
}

/**
 * In-place Householder QR of the m x n (m >= n) matrix: afterwards its first
 * n rows hold R in their upper triangle (below-diagonal entries are garbage).
 * R has the singular values of A.
 */
function householderQR(a: Float64Array, m: number, n: number): void {
  const w = new Float64Array(n);
  const s = new Float64Array(n);
  let tailSq = seedColumnProducts(a, m, n, s);
  for (let k = 0; k < n; k++) {
    const left = reflect(a[k * n + k], tailSq);
    a[k * n + k] = left.beta;
    if (k === n - 1) break;
    formLeftW(a, n, k, left, s, w);
    tailSq = leftPass(a, m, n, k, left, w, s);
  }
}

/**
 * Reduce the m x n (m >= n) row-major matrix, in place, to upper bidiagonal
 * form: diagonal into d (length n), superdiagonal into e (length n-1).
 * Step k: a left reflector zeroes column k below the diagonal, then a right
 * reflector zeroes row k right of the superdiagonal.
 */
function bidiagonalise(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array): void {
  const w = new Float64Array(n);
  const u = new Float64Array(n);
  const s = new Float64Array(n);
  let tailSq = seedColumnProducts(a, m, n, s);
  for (let k = 0; k < n; k++) {
    const left = reflect(a[k * n + k], tailSq);
    d[k] = left.beta;
    if (k === n - 1) break;
    formLeftW(a, n, k, left, s, w); // also applies the reflector to row k
    if (k === n - 2) {
      // Row k has a single entry right of the diagonal: nothing to zero.
      e[k] = a[k * n + k + 1];
      tailSq = leftPass(a, m, n, k, left, w, s);
      continue;
    }
    const right = rightReflector(a, n, k, u);
    e[k] = right.beta;
    tailSq = leftRightPass(a, m, n, k, left, w, u, right.tau, s);
  }
}

/**
 * Right reflector from the (already left-updated) row k, columns k+1..n-1,
 * with its vector written to u (u[k+1] = 1, u[j] for j > k+1).
 */
function rightReflector(a: Float64Array, n: number, k: number, u: Float64Array): Reflector {
  const base = k * n;
  let tailSq = 0;
  for (let j = k + 2; j < n; j++) tailSq += a[base + j] * a[base + j];
  const right = reflect(a[base + k + 1], tailSq);
  u[k + 1] = 1;
  for (let j = k + 2; j < n; j++) u[j] = a[base + j] * right.vScale;
  return right;
}
