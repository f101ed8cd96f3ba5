// Singular values through the Gram matrix, in WebAssembly SIMD: the fast path of
// singularValues.
//
//   sigma_i(W) = sqrt(lambda_i(G)),  G = W^T W  (n x n, n = min(rows, cols))
//
// 1. W (float32 or float64) is copied into the kernels' memory, scaled by a power
//    of two (exact) so its largest entry is in [1, 2), and packed as the tall
//    m x n matrix A (transposed if W is wide);
// 2. G = A^T A in float64, lower triangle, with blocked summation (see KB);
// 3. Householder tridiagonalisation of G, one fused pass per step, stopped early
//    once the rest is rounding noise (numerically low-rank matrices such as
//    last-batch gradients; see DROP);
// 4. eigenvalues of the tridiagonal matrix by LAPACK's dsterf (root-free QL/QR);
// 5. sigma_i = sqrt(max(lambda_i, 0)) / scale, sorted descending.
//
// Flops: m n^2 (G, using symmetry) + 4/3 n^3 (tridiagonalisation), against
// 4 m n^2 - 4/3 n^3 for Householder bidiagonalisation of W itself: 1.7x fewer on
// a 784 x 512 layer, and the Gram product is a matrix-matrix product that runs
// at the SIMD units' peak.
//
// Accuracy. Forming G squares the condition number, so this path is not
// backward stable for the small singular values. Steps 2-4 are backward stable
// for G: each lambda_i comes out with an absolute error of a small multiple of
// eps * lambda_max (eps = 2^-53; float32 weights make every product in G exact,
// so only sums round), hence
//   |sigma_i - sigma_i(exact)|  ~  eps * sigma_max^2 / (2 sigma_i),
// about 1e-15 sigma_max for the large values, 5e-10 sigma_max at
// sigma_i = 1e-7 sigma_max, and a noise floor near sqrt(eps) * sigma_max
// ~ 1.5e-8 sigma_max below which values are not resolved (a rank-deficient
// matrix gets values of ~1e-8 sigma_max, or 0, where LAPACK gets ~1e-16; after
// an early stop, values below 7.1e-8 sigma_max may be reported as 0).
// That is the contract of singularValues: within 1e-9 sigma_max of LAPACK for
// every value above 1e-7 sigma_max, checked against numpy in
// singularValues.test.ts and scripts/bench-spectra.ts (measured: at most
// 4e-10 sigma_max). The weights it is for are float32, whose own rounding
// (6e-8 relative per entry) already blurs their singular values below
// ~1e-7 sigma_max. Callers that need tiny singular values to high relative
// accuracy use singularValuesExact (the bidiagonal route).

import { SPECTRA_WASM_BASE64, SPECTRA_WASM_FMA_BASE64 } from './spectraWasm.generated';

/** The exports of assembly/spectra.ts; pointers are byte offsets into `memory`. */
export interface SpectraKernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  maxAbs(src: number, len: number, f32: number): number;
  pack(src: number, f32: number, rows: number, cols: number, scale: number, dst: number, i0: number, i1: number): void;
  gram(a: number, m: number, g: number, ldg: number, kb: number, pi0: number, pi1: number): void;
  workBytes(n: number): number;
  trailingSq(a: number, n: number, lda: number, k0: number): number;
  tridiagonalise(a: number, n: number, lda: number, d: number, e: number, work: number, k0: number, k1: number, tailSq: number, stopSq: number): number;
  stoppedAt(): number;
  stoppedSq(): number;
  sterf(d: number, e: number, n: number, tmp: number): number;
}

/**
 * Rows of A summed per block in the Gram kernel before the block's sums are
 * added into G. Blocked summation cuts the rounding error of each entry of G
 * from ~m ulps (one running sum) to ~(KB + m / KB). Measured against LAPACK on a
 * 784 x 512 float32 matrix with clusters of singular values at 1, 1e-3, ...,
 * 1.1e-7, 1e-9 and 0 (sigma_max = 1), the largest deviation over the values
 * above 1e-7 was 9.8e-10 in one running sum (KB = m: at the contract's edge),
 * 3.7e-10 with KB = 32 (4.5e-10 with 8, 3.9e-10 with 64, 5.4e-10 with 128).
 */
const KB = 32;

/**
 * Work per kernel call. V8 compiles WebAssembly with a baseline compiler first
 * and replaces a function by its optimised code between calls, never during
 * one: in slices, the first matrix of a run switches to the optimised code
 * part-way instead of running on the baseline code to the end (see also the
 * warm-up in spectraKernels).
 */
const PACK_ROWS = 64;
const GRAM_PANEL_ROWS = 8;
const TRIDIAGONAL_STEPS = 32;

/**
 * Early stop for numerically low-rank matrices (a last-batch gradient has rank
 * <= B plus float32 rounding at ~1e-8 sigma_max). Householder tridiagonalisation
 * is Lanczos from e_1: once its Krylov space holds the matrix's range, the
 * block still to reduce, B, and its coupling beta to the finished tridiagonal
 * part T1 are rounding noise, and reducing B would cost the whole 4/3 n^3 for
 * values nobody can resolve. We stop there when
 *   ||B||_F + beta <= DROP * lambda_max                                    (a)
 * and report the eigenvalues of T1 and zeros for the rest. By (a) and Weyl's
 * theorem, every dropped value is below sqrt(DROP) sigma_max = 7.1e-8 sigma_max,
 * under the contract's line of 1e-7. Each kept eigenvalue theta of T1 moves by
 * at most beta^2 / (theta - ||B||_F) (Li and Li's bound for a 2x2 block matrix);
 * we also require that this moves no value above the line by more than
 * KEEP_ERROR * sigma_max                                                  (b)
 * and otherwise resume the reduction (the remaining block is still in place).
 * The lab's gradients (784-512-512-512-10, B = 8) stopped after 10 steps with
 * ||B||_F + beta ~ 9e-16 lambda_max, passing (a) 5x over and (b) by many orders;
 * a matrix that is not numerically low-rank never gets that far.
 */
const DROP = 5e-15;
const KEEP_ERROR = 1e-10;

let kernels: SpectraKernels | null | undefined;
let kernelsName: SpectraKernelsName = 'typescript';

/** Which code computes singularValues here. */
export type SpectraKernelsName = 'wasm-simd-fma' | 'wasm-simd' | 'typescript';

/** The kernels' two builds (see scripts/build-spectra-wasm.mjs). */
export type SpectraBuild = 'fma' | 'simd';

/**
 * A fresh instance of one build, or null where it does not compile here (relaxed
 * SIMD or SIMD missing, or a browser main thread). For tests and benchmarks;
 * singularValues uses one shared instance (spectraKernels).
 */
export function loadSpectraKernels(build: SpectraBuild): SpectraKernels | null {
  try {
    return instantiate(build === 'fma' ? SPECTRA_WASM_FMA_BASE64 : SPECTRA_WASM_BASE64);
  } catch {
    return null;
  }
}

function instantiate(base64: string): SpectraKernels {
  const module = new WebAssembly.Module(decodeBase64(base64) as BufferSource);
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort: () => {
        throw new Error('spectra kernels: abort');
      },
    },
  });
  return instance.exports as unknown as SpectraKernels;
}

/**
 * The kernels, compiled and instantiated on first use (synchronously: allowed
 * in workers and Node; a browser main thread refuses synchronous compiles of
 * this size): the fused multiply-add build where relaxed SIMD compiles, else
 * the plain SIMD build. null where WebAssembly SIMD is unavailable; the caller
 * then takes the plain TypeScript route.
 */
function spectraKernels(): SpectraKernels | null {
  if (kernels !== undefined) return kernels;
  kernels = loadSpectraKernels('fma');
  kernelsName = 'wasm-simd-fma';
  if (!kernels) {
    kernels = loadSpectraKernels('simd');
    kernelsName = 'wasm-simd';
  }
  if (!kernels) {
    kernelsName = 'typescript';
    return null;
  }
  // Two small matrices through every kernel: V8 then compiles them with its
  // optimising tier in the background, and the first real matrix does not run on
  // the baseline code (measured: the first 784 x 512 matrix of a run took 118 ms
  // against 56 ms for the next; with this, 85 ms, for ~7 ms spent here).
  const warm = Float64Array.from({ length: 48 * 48 }, (_, i) => Math.sin(0.7 * i));
  for (let r = 0; r < 2; r++) gramSingularValues(warm, 48, 48);
  return kernels;
}

/** Which code singularValues runs on here: the FMA or the plain SIMD build of the kernels, or TypeScript (no SIMD). */
export function spectraKernelsName(): SpectraKernelsName {
  spectraKernels();
  return kernelsName;
}

/** True when the WebAssembly SIMD kernels load here (Node 16.4+, every current browser). */
export function gramKernelsAvailable(): boolean {
  return spectraKernels() !== null;
}

function decodeBase64(text: string): Uint8Array {
  if (typeof atob === 'function') return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * A row stride for G (in doubles, > n) that keeps consecutive rows clear of a
 * multiple of 4 KiB apart: rows exactly 4 KiB apart (n = 512) make the CPU
 * mistake loads of one row for stores to the other ("4K aliasing"), which
 * slowed the tridiagonal pass, which updates two rows at a time, by a third.
 */
function paddedStride(n: number): number {
  let s = n + 8;
  while ((s * 8) % 4096 < 256 || (s * 8) % 4096 > 4096 - 256) s += 8;
  return s;
}

/**
 * All min(rows, cols) singular values of the row-major rows x cols matrix,
 * descending, by the Gram route (accuracy: see the top of this file). null if
 * the kernels are unavailable (or, never seen, dsterf did not converge): use
 * the exact route then. Expects a valid shape with min(rows, cols) >= 1.
 */
export function gramSingularValues(data: ArrayLike<number>, rows: number, cols: number): Float64Array | null {
  const k = spectraKernels();
  return k ? gramSingularValuesOn(k, data, rows, cols) : null;
}

/**
 * After an early stop at `order` (T1 = d[0..order-1], e[0..order-2], coupled to
 * the remaining block of Frobenius norm `rest` by beta = e[order-1]): T1's
 * eigenvalues and n - order zeros, if conditions (a) and (b) at DROP hold, else
 * null (then the reduction resumes).
 */
function keptOrNull(k: SpectraKernels, order: number, d: number, e: number, d1: number, e1: number, tmp: number, rest: number, n: number): Float64Array | null {
  const buffer = k.memory.buffer;
  new Float64Array(buffer, d1, order).set(new Float64Array(buffer, d, order));
  new Float64Array(buffer, e1, Math.max(0, order - 1)).set(new Float64Array(buffer, e, Math.max(0, order - 1)));
  const beta = Math.abs(new Float64Array(buffer, e, order)[order - 1]);
  if (k.sterf(d1, e1, order, tmp) !== 0) return null;
  const theta = new Float64Array(k.memory.buffer, d1, order);
  let thetaMax = 0;
  for (let i = 0; i < order; i++) thetaMax = Math.max(thetaMax, theta[i]);
  if (!(rest + beta <= DROP * thetaMax)) return null; // (a)
  const line = 0.8 * 1e-14 * thetaMax; // (1e-7 sigma_max)^2, with room for the estimate
  for (let i = 0; i < order; i++) {
    if (theta[i] < line) continue;
    const gap = theta[i] - rest;
    const moved = (beta * beta) / gap; // <= any eigenvalue shift of theta_i
    if (!(gap > 0) || moved / (2 * Math.sqrt(theta[i])) > KEEP_ERROR * Math.sqrt(thetaMax)) return null; // (b)
  }
  const values = new Float64Array(n); // the dropped eigenvalues: 0
  values.set(theta);
  return values;
}

/** gramSingularValues on the given kernels (an instance of either build). */
export function gramSingularValuesOn(k: SpectraKernels, data: ArrayLike<number>, rows: number, cols: number): Float64Array | null {
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  const panels = Math.ceil(n / 4);
  const ldg = paddedStride(4 * panels);
  const f32 = data instanceof Float32Array;
  const len = rows * cols;

  // Memory layout: staged input | packed A | G | d | e | d1, e1 (an early stop's T1) | work block | scratch.
  const src = align64(k.heapBase());
  const a = align64(src + len * (f32 ? 4 : 8));
  const g = align64(a + m * panels * 32);
  const d = align64(g + 4 * panels * ldg * 8);
  const e = align64(d + n * 8);
  const d1 = align64(e + n * 8);
  const e1 = align64(d1 + n * 8);
  const work = align64(e1 + n * 8);
  const tmp = align64(work + k.workBytes(n));
  const end = tmp + 64;
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));

  const buffer = k.memory.buffer;
  if (f32) new Float32Array(buffer, src, len).set(data as Float32Array);
  else if (data instanceof Float64Array) new Float64Array(buffer, src, len).set(data);
  else {
    const staged = new Float64Array(buffer, src, len);
    for (let i = 0; i < len; i++) staged[i] = data[i];
  }

  const maxAbs = k.maxAbs(src, len, f32 ? 1 : 0);
  if (!(maxAbs <= Number.MAX_VALUE)) return new Float64Array(n).fill(Number.NaN); // NaN or infinite entries
  if (maxAbs === 0) return new Float64Array(n); // zero matrix: every value is 0
  // 2^-e with the largest |entry| in [1, 2): squares and sums of squares cannot
  // overflow, and the scaling is exact. Clamped so 2^-e stays a normal double.
  const exponent = Math.max(-1000, Math.min(1000, Math.floor(Math.log2(maxAbs))));
  const scale = Math.pow(2, -exponent);

  for (let i = 0; i < rows; i += PACK_ROWS) k.pack(src, f32 ? 1 : 0, rows, cols, scale, a, i, Math.min(rows, i + PACK_ROWS));
  for (let p = 0; p < panels; p += GRAM_PANEL_ROWS) k.gram(a, m, g, ldg, KB, p, Math.min(panels, p + GRAM_PANEL_ROWS));
  // ||G||_F >= lambda_max: the early-stop check is lenient; keptOrNull validates with T1's own lambda_max.
  let stopSq = DROP * DROP * k.trailingSq(g, n, ldg, 0);
  let tailSq = 0;
  let values: Float64Array | null = null;
  let step = 0;
  do {
    tailSq = k.tridiagonalise(g, n, ldg, d, e, work, step, step + TRIDIAGONAL_STEPS, tailSq, stopSq);
    const order = k.stoppedAt();
    if (order > 0) {
      values = keptOrNull(k, order, d, e, d1, e1, tmp, Math.sqrt(k.stoppedSq()), n);
      if (values) break;
      stopSq /= 4; // the rest is not negligible (yet): resume, and look again only once it is smaller
      step = order;
    } else step += TRIDIAGONAL_STEPS;
  } while (step < n - 2);
  if (!values) {
    if (k.sterf(d, e, n, tmp) !== 0) return null;
    values = new Float64Array(k.memory.buffer, d, n).slice();
  }

  // Rounding can leave eigenvalues of a (semi)definite G slightly negative: those are 0.
  for (let i = 0; i < n; i++) values[i] = Math.sqrt(Math.max(0, values[i])) / scale;
  values.sort();
  values.reverse();
  return values;
}
