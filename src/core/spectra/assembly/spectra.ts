// RankLab's singular-value kernels (AssemblyScript, WebAssembly SIMD), built by
// scripts/build-spectra-wasm.mjs into ../spectraWasm.generated.ts. The caller
// (../gram.ts) lays the matrices out in this module's own memory and passes
// byte offsets; nothing here allocates.
//
// The route (see ../gram.ts for why it is accurate enough):
//   pack            float32/float64 input -> scaled float64 A (m x n, m >= n), in
//                   column panels of 4 so the Gram kernel reads memory in order;
//   gram            the lower triangle of G = A^T A, tiles of 4x4 in f64x2 registers;
//   tridiagonalise  Householder reduction of G to tridiagonal form, one fused pass
//                   over the trailing lower triangle per step;
//   sterf           eigenvalues of the tridiagonal matrix (LAPACK's dsterf).
//
// Two builds (scripts/build-spectra-wasm.mjs): plain SIMD, and with relaxed SIMD,
// where madd/nmadd below become fused multiply-adds (ASC_FEATURE_RELAXED_SIMD).
//
// The long-running kernels work on a range (of rows, panels or steps) per call,
// and the caller calls them a range at a time: V8 first runs WebAssembly on a
// baseline compiler and swaps in optimised code between calls, never inside one,
// so one call per matrix would leave the first matrix of a run much slower.

/** Where the caller may start laying out data (past this module's static data and SCRATCH). */
export function heapBase(): usize {
  return (max<usize>(__heap_base, SCRATCH + 128) + 63) & ~(<usize>63);
}

/**
 * 128 bytes of scratch at a fixed address below the heap (the build puts static
 * data, of which there is none, at 1024 and up: --memoryBase 1024). A fixed
 * address is an immediate offset in the loads that use it, which keeps a
 * register free in the hot loop.
 */
const SCRATCH: usize = 64;

// ---------------------------------------------------------------- arithmetic

/** a * b + c: one fused multiply-add where relaxed SIMD is enabled (the FMA build), else two ops. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

/** c - a * b, fused in the FMA build. */
@inline function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

// ---------------------------------------------------------------- input

/**
 * max |x| over `len` values at `src` (float32 if `f32`, else float64): NaN if any
 * value is NaN, +Infinity if any is infinite (f32x4.max / f64x2.max propagate NaN).
 */
export function maxAbs(src: usize, len: i32, f32: bool): f64 {
  if (f32) {
    let m4 = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= len; i += 4) m4 = f32x4.max(m4, f32x4.abs(v128.load(src + (<usize>i << 2))));
    let m = <f64>max<f32>(max<f32>(f32x4.extract_lane(m4, 0), f32x4.extract_lane(m4, 1)), max<f32>(f32x4.extract_lane(m4, 2), f32x4.extract_lane(m4, 3)));
    for (; i < len; i++) m = max<f64>(m, abs<f64>(<f64>load<f32>(src + (<usize>i << 2))));
    return m;
  }
  let m2 = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= len; i += 2) m2 = f64x2.max(m2, f64x2.abs(v128.load(src + (<usize>i << 3))));
  let m = max<f64>(f64x2.extract_lane(m2, 0), f64x2.extract_lane(m2, 1));
  for (; i < len; i++) m = max<f64>(m, abs<f64>(load<f64>(src + (<usize>i << 3))));
  return m;
}

/**
 * Input rows i0 .. i1-1 of the row-major rows x cols matrix at `src`, times
 * `scale`, into the tall m x n matrix A (transposed when the input is wide:
 * m = max, n = min), stored in column panels: panel p holds columns 4p..4p+3
 * as m rows of 4 doubles (m * 32 bytes); columns past n are zero. Panels start
 * at `dst`.
 */
export function pack(src: usize, f32: bool, rows: i32, cols: i32, scale: f64, dst: usize, i0: i32, i1: i32): void {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const panelBytes = <usize>m << 5;
  if (tall) {
    // Input row i is row i of A: whole groups of 4 go to one panel as 32 bytes.
    const sv = f64x2.splat(scale);
    const full = cols & ~3;
    for (let i = i0; i < i1; i++) {
      const row = <usize>i * <usize>cols;
      let out = dst + (<usize>i << 5);
      if (f32) {
        let p = src + (row << 2);
        const end = p + (<usize>full << 2);
        while (p < end) {
          const x = v128.load(p);
          v128.store(out, f64x2.mul(f64x2.promote_low_f32x4(x), sv));
          v128.store(out, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<u32>(x, x, 2, 3, 2, 3)), sv), 16);
          p += 16;
          out += panelBytes;
        }
      } else {
        let p = src + (row << 3);
        const end = p + (<usize>full << 3);
        while (p < end) {
          v128.store(out, f64x2.mul(v128.load(p), sv));
          v128.store(out, f64x2.mul(v128.load(p, 16), sv), 16);
          p += 32;
          out += panelBytes;
        }
      }
      if (full < cols) {
        // The last, partial panel: its padding columns are zero.
        for (let t = 0; t < 4; t++) {
          const j = full + t;
          let x = 0.0;
          if (j < cols) x = f32 ? <f64>load<f32>(src + ((row + <usize>j) << 2)) : load<f64>(src + ((row + <usize>j) << 3));
          store<f64>(out + (<usize>t << 3), x * scale);
        }
      }
    }
    return;
  }
  // Wide: input row i is column i of A (panel i >> 2, lane i & 3), read in order.
  for (let i = i0; i < i1; i++) {
    const row = <usize>i * <usize>cols;
    let out = dst + <usize>(i >> 2) * panelBytes + (<usize>(i & 3) << 3);
    for (let j = 0; j < cols; j++) {
      const x = f32 ? <f64>load<f32>(src + ((row + <usize>j) << 2)) : load<f64>(src + ((row + <usize>j) << 3));
      store<f64>(out, x * scale);
      out += 32;
    }
  }
  // Zero the padding columns of the last panel (once, with the last rows).
  if (i1 == rows && (n & 3) != 0) {
    const last = dst + <usize>((n - 1) >> 2) * panelBytes;
    for (let r = 0; r < m; r++) {
      for (let t = n & 3; t < 4; t++) store<f64>(last + (<usize>r << 5) + (<usize>t << 3), 0);
    }
  }
}

// ---------------------------------------------------------------- Gram matrix

/**
 * Panel rows pi0 .. pi1-1 of G = A^T A for the packed A (m rows, `panels`
 * panels of 4 columns): writes the 4x4 tiles on and below the diagonal of G
 * (row stride `ldg` doubles, at least 4 * panels), so every G[i][j] with
 * j <= i is set (and a few above the diagonal, harmlessly).
 *
 * Each tile's 16 sums are built in 8 f64x2 registers from the two panels,
 * `kb` rows at a time, and each block's partial sums are added into G: blocked
 * summation, whose rounding error grows like (kb + m / kb) ulps instead of m.
 */
export function gram(a: usize, m: i32, g: usize, ldg: i32, kb: i32, pi0: i32, pi1: i32): void {
  const panelBytes = <usize>m << 5;
  const ld = <usize>ldg << 3; // bytes per row of G
  for (let pi = pi0; pi < pi1; pi++) {
    const ai = a + <usize>pi * panelBytes;
    for (let pj = 0; pj <= pi; pj++) {
      const aj = a + <usize>pj * panelBytes;
      const gp = g + <usize>pi * 4 * ld + (<usize>pj << 5);
      for (let t: usize = 0; t < 4; t++) {
        v128.store(gp + t * ld, f64x2.splat(0));
        v128.store(gp + t * ld + 16, f64x2.splat(0));
      }
      for (let r0 = 0; r0 < m; r0 += kb) {
        const r1 = min<i32>(r0 + kb, m);
        let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
        let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
        let pa = ai + (<usize>r0 << 5);
        let pb = aj + (<usize>r0 << 5);
        const end = ai + (<usize>r1 << 5);
        while (pa < end) {
          const y0 = v128.load(pb);
          const y1 = v128.load(pb, 16);
          const x0 = v128.load64_splat(pa);
          c00 = madd(x0, y0, c00);
          c01 = madd(x0, y1, c01);
          const x1 = v128.load64_splat(pa, 8);
          c10 = madd(x1, y0, c10);
          c11 = madd(x1, y1, c11);
          const x2 = v128.load64_splat(pa, 16);
          c20 = madd(x2, y0, c20);
          c21 = madd(x2, y1, c21);
          const x3 = v128.load64_splat(pa, 24);
          c30 = madd(x3, y0, c30);
          c31 = madd(x3, y1, c31);
          pa += 32;
          pb += 32;
        }
        let q = gp;
        v128.store(q, f64x2.add(v128.load(q), c00));
        v128.store(q, f64x2.add(v128.load(q, 16), c01), 16);
        q += ld;
        v128.store(q, f64x2.add(v128.load(q), c10));
        v128.store(q, f64x2.add(v128.load(q, 16), c11), 16);
        q += ld;
        v128.store(q, f64x2.add(v128.load(q), c20));
        v128.store(q, f64x2.add(v128.load(q, 16), c21), 16);
        q += ld;
        v128.store(q, f64x2.add(v128.load(q), c30));
        v128.store(q, f64x2.add(v128.load(q, 16), c31), 16);
      }
    }
  }
}

// ---------------------------------------------------------------- tridiagonal reduction
//
// The four work vectors of the reduction, v, w, x and s (below), are stored
// interleaved by column pairs: 64 bytes per pair (2q, 2q+1), holding
// v[2q] v[2q+1] w[2q] w[2q+1] x[2q] x[2q+1] s[2q] s[2q+1]. The hot loop then
// reads all four through one pointer with constant offsets, as f64x2 pairs;
// with four separate arrays, V8 spent a register and an address computation
// on each, and the loop ran a third slower.

const V: i32 = 0;
const W: i32 = 1;
const X: i32 = 2;
const S: i32 = 3;

/** Address of element j of work vector f (V, W, X or S) in the interleaved block at vb. */
@inline function at(vb: usize, j: i32, f: i32): usize {
  return vb + (<usize>(j >> 1) << 6) + (<usize>f << 4) + (<usize>(j & 1) << 3);
}

/** Where tridiagonalise leaves stoppedAt() and stoppedSq() (in SCRATCH). */
const STOPPED_AT: usize = SCRATCH + 96;
const STOPPED_SQ: usize = SCRATCH + 104;

/**
 * ||A[k+1.., k+1..]||_F^2 after step k, once tridiagonalise has computed it for
 * an early-stop check (carried along from there), else -1.
 */
let restSq: f64 = -1;

/** After tridiagonalise: the order of the finished part if it stopped early, else 0. */
export function stoppedAt(): i32 {
  return load<i32>(STOPPED_AT);
}

/** After an early stop: the squared Frobenius norm of the remaining block. */
export function stoppedSq(): f64 {
  return load<f64>(STOPPED_SQ);
}

/**
 * Squared Frobenius norm of the symmetric block A[k0.., k0..] of the n x n
 * matrix whose lower triangle is at `a` (row stride `lda` doubles).
 */
export function trailingSq(a: usize, n: i32, lda: i32, k0: i32): f64 {
  const ld = <usize>lda << 3;
  let off = 0.0;
  let diag = 0.0;
  for (let i = k0; i < n; i++) {
    const row = a + <usize>i * ld;
    for (let j = k0; j < i; j++) {
      const x = load<f64>(row + (<usize>j << 3));
      off += x * x;
    }
    const y = load<f64>(row + (<usize>i << 3));
    diag += y * y;
  }
  return 2 * off + diag;
}

/** Bytes of the interleaved work block for order n. */
export function workBytes(n: i32): usize {
  return <usize>((n + 2) >> 1) << 6;
}

/**
 * Steps k0 .. k1-1 of the reduction of the symmetric n x n matrix whose lower
 * triangle is at `a` (row stride `lda` doubles) to tridiagonal form
 * T = Q^T A Q by Householder reflections: diagonal into d (n doubles),
 * subdiagonal into e (n - 1). Call with k0 = 0 first (it also prepares the
 * work block `vb`, workBytes(n) bytes), then with each next range, passing the
 * returned value back as `tailSq`; the call whose k1 reaches n - 2 writes the
 * last entries of d and e. The lower triangle is destroyed.
 *
 * Step k reflects column k below the subdiagonal to zero with H = I - tau v v^T
 * (v[k+1] = 1) and updates the trailing block, as LAPACK's dsytd2:
 *   p = tau A22 v,  w = p - (tau/2)(p.v) v,  A22 -= v w^T + w v^T.
 * The textbook step reads the trailing block twice (p, then the update). Here
 * one pass does both: while updating row i, the pass already forms the next
 * step's product s = A33 x, where x = the updated column k+1 (the next
 * reflector's column), using each lower-triangle entry twice (s_i += a_ij x_j,
 * s_j += a_ij x_i). The next p is then tau (A[:, k+2] + vScale s).
 *
 * Early stop (a numerically low-rank matrix, e.g. a gradient of rank <= B): with
 * `stopSq` > 0, the reduction stops after the first step k whose remaining
 * block A[k+1.., k+1..] has a squared Frobenius norm <= stopSq (looked at only
 * when its first column is that small, so a full-rank matrix never pays for
 * it, and only while at least max(32, n/8) rows remain). stoppedAt() then returns k + 1, the order of the finished tridiagonal
 * part (d[0..k], e[0..k-1]; e[k] couples it to the rest), stoppedSq() that
 * norm, and a later call with k0 = k + 1 resumes the reduction; else
 * stoppedAt() returns 0. The caller decides whether the rest may be dropped.
 */
export function tridiagonalise(a: usize, n: i32, lda: i32, d: usize, e: usize, vb: usize, k0: i32, k1: i32, tailSq: f64, stopSq: f64): f64 {
  const ld = <usize>lda << 3;
  store<i32>(STOPPED_AT, 0);
  if (n == 1) {
    store<f64>(d, load<f64>(a));
    return 0;
  }
  if (k0 == 0) {
    restSq = -1;
    // Step "-1": no update (v = w = 0), only the products for step 0.
    memory.fill(vb, 0, workBytes(n));
    tailSq = fusedPass(a, n, ld, -1, vb);
  }
  const kEnd = min<i32>(k1, n - 2);
  for (let k = k0; k < kEnd; k++) {
    const kk = <usize>k;
    store<f64>(d + (kk << 3), load<f64>(a + kk * ld + (kk << 3)));
    const alpha = load<f64>(at(vb, k + 1, X));
    let beta = alpha;
    let tau = 0.0;
    let vScale = 0.0;
    if (tailSq != 0) {
      const norm = sqrt<f64>(alpha * alpha + tailSq);
      beta = alpha >= 0 ? -norm : norm;
      tau = (beta - alpha) / beta;
      vScale = 1 / (alpha - beta);
    }
    store<f64>(e + (kk << 3), beta);
    if (tau == 0) {
      // Nothing to reflect: no update, only the next step's products.
      for (let j = k + 1; j < n; j++) {
        store<f64>(at(vb, j, V), 0);
        store<f64>(at(vb, j, W), 0);
      }
    } else {
      // v, p = tau (A22 v) into w, and p.v; then w = p - (tau/2)(p.v) v.
      store<f64>(at(vb, k + 1, V), 1);
      for (let j = k + 2; j < n; j++) store<f64>(at(vb, j, V), load<f64>(at(vb, j, X)) * vScale);
      let pv = 0.0;
      for (let i = k + 1; i < n; i++) {
        const p = tau * (load<f64>(a + <usize>i * ld + ((kk + 1) << 3)) + vScale * load<f64>(at(vb, i, S)));
        store<f64>(at(vb, i, W), p);
        pv += p * load<f64>(at(vb, i, V));
      }
      const kw = -0.5 * tau * pv;
      for (let i = k + 1; i < n; i++) {
        const pw = at(vb, i, W);
        store<f64>(pw, load<f64>(pw) + kw * load<f64>(at(vb, i, V)));
      }
    }
    tailSq = fusedPass(a, n, ld, k, vb);
    // Stopping pays only while much is left to reduce: near the end, finishing costs less
    // than the caller's check (the eigenvalues of the finished part).
    if (stopSq > 0 && n - k - 1 >= max<i32>(32, n >> 3)) {
      // Is the remaining block B = A[k+1.., k+1..] that small? Its norm is only computed
      // (a pass over B) when a cheap bound says it may be: first ||B||_F^2 >= 2 (its first
      // column below the diagonal)^2; after one computation, the norm itself, carried
      // along exactly (in exact arithmetic) as each step moves d_k^2 + 2 e_k^2 out of B.
      let maybe: bool;
      if (restSq >= 0) {
        const dk = load<f64>(d + (kk << 3));
        restSq -= dk * dk + 2 * beta * beta;
        maybe = restSq <= stopSq * (1 + 1e-9); // the carried value is exact but for rounding
      } else {
        const alphaNext = load<f64>(at(vb, k + 2, X));
        maybe = 2 * (alphaNext * alphaNext + tailSq) <= stopSq;
      }
      if (maybe) {
        restSq = trailingSq(a, n, lda, k + 1);
        if (restSq <= stopSq) {
          store<i32>(STOPPED_AT, k + 1);
          store<f64>(STOPPED_SQ, restSq);
          return tailSq;
        }
      }
    }
  }
  if (k1 >= n - 2) {
    const n2 = <usize>(n - 2);
    store<f64>(d + (n2 << 3), load<f64>(a + n2 * ld + (n2 << 3)));
    store<f64>(e + (n2 << 3), load<f64>(a + (n2 + 1) * ld + (n2 << 3)));
    store<f64>(d + ((n2 + 1) << 3), load<f64>(a + (n2 + 1) * ld + ((n2 + 1) << 3)));
  }
  return tailSq;
}

/**
 * The pass of step k: A[i][j] -= v_i w_j + w_i v_j for k+1 <= j <= i, rows
 * i = k+1 .. n-1, and, for step k+1, x_i = A[i][k+1] (i >= k+2) and
 * s_i = sum_{j >= k+3} A[i][j] x_j (i >= k+2, the symmetric entries read from
 * the lower triangle). Returns sum_{i >= k+3} x_i^2. Rows go in ascending
 * order, so x_j for j < i is final when row i needs it.
 */
function fusedPass(a: usize, n: i32, ld: usize, k: i32, vb: usize): f64 {
  const c1 = <usize>(k + 1) << 3; // byte offset of column k+1
  const c2 = c1 + 8; // column k+2
  const v1 = load<f64>(at(vb, k + 1, V));
  const w1 = load<f64>(at(vb, k + 1, W));
  const v2 = load<f64>(at(vb, k + 2, V));
  const w2 = load<f64>(at(vb, k + 2, W));
  // Row k+1: only its diagonal entry is in the block.
  if (k + 1 < n) {
    const p = a + <usize>(k + 1) * ld + c1;
    store<f64>(p, load<f64>(p) - 2 * v1 * w1);
  }
  // Row k+2: columns k+1, k+2. It contributes nothing to s (its only entry right of
  // column k+1 is the diagonal, and s counts columns >= k+3), and x_{k+2} is the next alpha.
  if (k + 2 < n) {
    const row = a + <usize>(k + 2) * ld;
    const a1 = load<f64>(row + c1) - (v2 * w1 + w2 * v1);
    store<f64>(row + c1, a1);
    store<f64>(at(vb, k + 2, X), a1);
    store<f64>(row + c2, load<f64>(row + c2) - 2 * v2 * w2);
    store<f64>(at(vb, k + 2, S), 0);
  }
  let tailSq = 0.0;
  let i = k + 3;
  for (; i + 2 <= n; i += 2) tailSq += rowPair(a, ld, k, i, vb, v1, w1, v2, w2);
  if (i < n) tailSq += rowSingle(a, ld, k, i, vb, v1, w1, v2, w2);
  return tailSq;
}

/**
 * Column j of rows r0 and r1 in the scalar edges of rowPair: update, the dot
 * products (accumulated in SCRATCH + 64, + 72) and s_j.
 */
@inline function columnOfPair(r0: usize, r1: usize, j: i32, vb: usize, vi0: f64, wi0: f64, x0: f64, vi1: f64, wi1: f64, x1: f64): void {
  const jb = <usize>j << 3;
  const vj = load<f64>(at(vb, j, V));
  const wj = load<f64>(at(vb, j, W));
  const xj = load<f64>(at(vb, j, X));
  const e0 = load<f64>(r0 + jb) - (vi0 * wj + wi0 * vj);
  const e1 = load<f64>(r1 + jb) - (vi1 * wj + wi1 * vj);
  store<f64>(r0 + jb, e0);
  store<f64>(r1 + jb, e1);
  store<f64>(SCRATCH + 64, load<f64>(SCRATCH + 64) + e0 * xj);
  store<f64>(SCRATCH + 72, load<f64>(SCRATCH + 72) + e1 * xj);
  const ps = at(vb, j, S);
  store<f64>(ps, load<f64>(ps) + (e0 * x0 + e1 * x1));
}

/** a - (vi wj + wi vj), the rank-2 update of one pair of entries. */
@inline function update(a: v128, vi: v128, wj: v128, wi: v128, vj: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return nmadd(wi, vj, nmadd(vi, wj, a));
  return f64x2.sub(a, f64x2.add(f64x2.mul(vi, wj), f64x2.mul(wi, vj)));
}

/** Rows i and i+1 (i >= k+3) of fusedPass; returns their x^2. */
function rowPair(a: usize, ld: usize, k: i32, i: i32, vb: usize, v1: f64, w1: f64, v2: f64, w2: f64): f64 {
  const c1 = <usize>(k + 1) << 3;
  const c2 = c1 + 8;
  const ib = <usize>i << 3;
  const r0 = a + <usize>i * ld;
  const r1 = r0 + ld;
  const vi0 = load<f64>(at(vb, i, V));
  const wi0 = load<f64>(at(vb, i, W));
  const vi1 = load<f64>(at(vb, i + 1, V));
  const wi1 = load<f64>(at(vb, i + 1, W));
  // Column k+1: the next reflector's column.
  const x0 = load<f64>(r0 + c1) - (vi0 * w1 + wi0 * v1);
  const x1 = load<f64>(r1 + c1) - (vi1 * w1 + wi1 * v1);
  store<f64>(r0 + c1, x0);
  store<f64>(r1 + c1, x1);
  store<f64>(at(vb, i, X), x0);
  store<f64>(at(vb, i + 1, X), x1);
  // Column k+2: update, and s_{k+2} += (only the axpy half: x_{k+2} is not in s's sum).
  const b0 = load<f64>(r0 + c2) - (vi0 * w2 + wi0 * v2);
  const b1 = load<f64>(r1 + c2) - (vi1 * w2 + wi1 * v2);
  store<f64>(r0 + c2, b0);
  store<f64>(r1 + c2, b1);
  const s2 = at(vb, k + 2, S);
  store<f64>(s2, load<f64>(s2) + (b0 * x0 + b1 * x1));
  // Columns k+3 .. i-1: an odd first column and an odd last one scalar, pairs in f64x2.
  store<f64>(SCRATCH + 64, 0);
  store<f64>(SCRATCH + 72, 0);
  let j = k + 3;
  if ((j & 1) != 0 && j < i) {
    columnOfPair(r0, r1, j, vb, vi0, wi0, x0, vi1, wi1, x1);
    j++;
  }
  let dot0 = f64x2.splat(0);
  let dot1 = f64x2.splat(0);
  if (j + 2 <= i) {
    const sv0 = f64x2.splat(vi0);
    const sw0 = f64x2.splat(wi0);
    const sx0 = f64x2.splat(x0);
    const sv1 = f64x2.splat(vi1);
    const sw1 = f64x2.splat(wi1);
    const sx1 = f64x2.splat(x1);
    let q = vb + (<usize>(j >> 1) << 6);
    let p0 = r0 + (<usize>j << 3);
    let p1 = r1 + (<usize>j << 3);
    const qEnd = vb + (<usize>(i >> 1) << 6); // the pairs (2q, 2q+1) with 2q+1 < i
    do {
      const vj = v128.load(q);
      const wj = v128.load(q, 16);
      const xj = v128.load(q, 32);
      const e0 = update(v128.load(p0), sv0, wj, sw0, vj);
      v128.store(p0, e0);
      dot0 = madd(e0, xj, dot0);
      const e1 = update(v128.load(p1), sv1, wj, sw1, vj);
      v128.store(p1, e1);
      dot1 = madd(e1, xj, dot1);
      v128.store(q, madd(e1, sx1, madd(e0, sx0, v128.load(q, 48))), 48);
      q += 64;
      p0 += 16;
      p1 += 16;
    } while (q < qEnd);
    j = i & ~1;
  }
  if (j < i) columnOfPair(r0, r1, j, vb, vi0, wi0, x0, vi1, wi1, x1);
  const d0 = f64x2.extract_lane(dot0, 0) + f64x2.extract_lane(dot0, 1) + load<f64>(SCRATCH + 64);
  let d1 = f64x2.extract_lane(dot1, 0) + f64x2.extract_lane(dot1, 1) + load<f64>(SCRATCH + 72);
  // Column i: row i's diagonal, row i+1's last off-diagonal entry.
  const aii = load<f64>(r0 + ib) - 2 * vi0 * wi0;
  store<f64>(r0 + ib, aii);
  const a10 = load<f64>(r1 + ib) - (vi1 * wi0 + wi1 * vi0);
  store<f64>(r1 + ib, a10);
  store<f64>(at(vb, i, S), d0 + aii * x0 + a10 * x1);
  d1 += a10 * x0;
  // Column i+1: row i+1's diagonal.
  const a11 = load<f64>(r1 + ib + 8) - 2 * vi1 * wi1;
  store<f64>(r1 + ib + 8, a11);
  store<f64>(at(vb, i + 1, S), d1 + a11 * x1);
  return x0 * x0 + x1 * x1;
}

/** One row i (>= k+3) of fusedPass (the last row when an odd number remain); returns its x^2. */
function rowSingle(a: usize, ld: usize, k: i32, i: i32, vb: usize, v1: f64, w1: f64, v2: f64, w2: f64): f64 {
  const c1 = <usize>(k + 1) << 3;
  const c2 = c1 + 8;
  const ib = <usize>i << 3;
  const r0 = a + <usize>i * ld;
  const vi0 = load<f64>(at(vb, i, V));
  const wi0 = load<f64>(at(vb, i, W));
  const x0 = load<f64>(r0 + c1) - (vi0 * w1 + wi0 * v1);
  store<f64>(r0 + c1, x0);
  store<f64>(at(vb, i, X), x0);
  const b0 = load<f64>(r0 + c2) - (vi0 * w2 + wi0 * v2);
  store<f64>(r0 + c2, b0);
  const s2 = at(vb, k + 2, S);
  store<f64>(s2, load<f64>(s2) + b0 * x0);
  let d0 = 0.0;
  for (let j = k + 3; j < i; j++) {
    const jb = <usize>j << 3;
    const e0 = load<f64>(r0 + jb) - (vi0 * load<f64>(at(vb, j, W)) + wi0 * load<f64>(at(vb, j, V)));
    store<f64>(r0 + jb, e0);
    d0 += e0 * load<f64>(at(vb, j, X));
    const ps = at(vb, j, S);
    store<f64>(ps, load<f64>(ps) + e0 * x0);
  }
  const aii = load<f64>(r0 + ib) - 2 * vi0 * wi0;
  store<f64>(r0 + ib, aii);
  store<f64>(at(vb, i, S), d0 + aii * x0);
  return x0 * x0;
}

// ---------------------------------------------------------------- tridiagonal eigenvalues

const EPS: f64 = 1.1102230246251565e-16; // 2^-53, LAPACK's dlamch('E')
const EPS2: f64 = EPS * EPS;
const SAFMIN: f64 = 2.2250738585072014e-308;
const SSFMAX: f64 = 4.4942328371557893e153; // sqrt(1/SAFMIN) / 3
const SSFMIN: f64 = 1.2217588445863889e-122; // sqrt(SAFMIN) / EPS2
const MAXIT: i32 = 30;

@inline function dd(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function setd(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

/** Eigenvalues [rt1, rt2] (|rt1| >= |rt2|) of [[a, b], [b, c]], LAPACK's dlae2. Writes rt1 at out, rt2 at out+8. */
function lae2(a: f64, b: f64, c: f64, out: usize): void {
  const sm = a + c;
  const df = a - c;
  const adf = abs<f64>(df);
  const tb = b + b;
  const ab = abs<f64>(tb);
  let acmx = c;
  let acmn = a;
  if (abs<f64>(a) > abs<f64>(c)) {
    acmx = a;
    acmn = c;
  }
  let rt: f64;
  if (adf > ab) rt = adf * sqrt<f64>(1 + (ab / adf) * (ab / adf));
  else if (adf < ab) rt = ab * sqrt<f64>(1 + (adf / ab) * (adf / ab));
  else rt = ab * sqrt<f64>(2);
  let rt1: f64, rt2: f64;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
  }
  store<f64>(out, rt1);
  store<f64>(out + 8, rt2);
}

/** sign(|a|, b) as in Fortran. */
@inline function fsign(a: f64, b: f64): f64 {
  return b >= 0 ? abs<f64>(a) : -abs<f64>(a);
}

/**
 * All eigenvalues of the symmetric tridiagonal matrix (d: n diagonal, e: n-1
 * off-diagonal), into d in no particular order; e is destroyed. `tmp` is 16
 * bytes of scratch. The Pal-Walker-Kahan root-free QL/QR iteration of LAPACK's
 * dsterf, with its scaling of each block into a safe range (here by a power of
 * two, so it is exact). Returns 0, or the number of unconverged off-diagonal
 * entries if it ran out of iterations (30 n sweeps; never seen).
 */
export function sterf(d: usize, e: usize, n: i32, tmp: usize): i32 {
  if (n <= 1) return 0;
  const nmaxit = n * MAXIT;
  let jtot = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) setd(e, l1 - 1, 0);
    // Find a split point m: e[m] negligible.
    let m = l1;
    for (; m < n - 1; m++) {
      if (abs<f64>(dd(e, m)) <= sqrt<f64>(abs<f64>(dd(d, m))) * sqrt<f64>(abs<f64>(dd(d, m + 1))) * EPS) {
        setd(e, m, 0);
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend == l) continue;
    // Scale the block l..lend into a safe range.
    let anorm: f64 = abs<f64>(dd(d, lend));
    for (let i = l; i < lend; i++) anorm = max<f64>(anorm, max<f64>(abs<f64>(dd(d, i)), abs<f64>(dd(e, i))));
    if (anorm == 0) continue;
    let scale: f64 = 1;
    if (anorm > SSFMAX || anorm < SSFMIN) {
      // A power of two near 1/anorm: exact scaling.
      scale = reinterpret<f64>(<u64>(2046 - ((reinterpret<u64>(anorm) >> 52) & 2047)) << 52);
      for (let i = l; i <= lend; i++) setd(d, i, dd(d, i) * scale);
      for (let i = l; i < lend; i++) setd(e, i, dd(e, i) * scale);
    }
    for (let i = l; i < lend; i++) setd(e, i, dd(e, i) * dd(e, i));
    // QL if the bottom end is larger, else QR.
    if (abs<f64>(dd(d, lend)) < abs<f64>(dd(d, l))) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL iteration: look for a small subdiagonal element.
      while (true) {
        let mm = l;
        if (l != lend) {
          for (; mm < lend; mm++) if (abs<f64>(dd(e, mm)) <= EPS2 * abs<f64>(dd(d, mm) * dd(d, mm + 1))) break;
        } else mm = lend;
        if (mm < lend) setd(e, mm, 0);
        let p = dd(d, l);
        if (mm == l) {
          // Eigenvalue found.
          setd(d, l, p);
          l++;
          if (l <= lend) continue;
          break;
        }
        if (mm == l + 1) {
          lae2(dd(d, l), sqrt<f64>(dd(e, l)), dd(d, l + 1), tmp);
          setd(d, l, load<f64>(tmp));
          setd(d, l + 1, load<f64>(tmp + 8));
          setd(e, l, 0);
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        // Form the shift.
        const rte = sqrt<f64>(dd(e, l));
        let sigma = (dd(d, l + 1) - p) / (2 * rte);
        let r = hypot(sigma, 1);
        sigma = p - rte / (sigma + fsign(r, sigma));
        let c: f64 = 1;
        let sn: f64 = 0;
        let gamma = dd(d, mm) - sigma;
        p = gamma * gamma;
        for (let i = mm - 1; i >= l; i--) {
          const bb = dd(e, i);
          r = p + bb;
          if (i != mm - 1) setd(e, i + 1, sn * r);
          const oldc = c;
          c = p / r;
          sn = bb / r;
          const oldgam = gamma;
          const alpha = dd(d, i);
          gamma = c * (alpha - sigma) - sn * oldgam;
          setd(d, i + 1, oldgam + (alpha - gamma));
          if (c != 0) p = (gamma * gamma) / c;
          else p = oldc * bb;
        }
        setd(e, l, sn * p);
        setd(d, l, sigma + gamma);
      }
    } else {
      // QR iteration: look for a small superdiagonal element.
      while (true) {
        let mm = l;
        for (; mm > lend; mm--) if (abs<f64>(dd(e, mm - 1)) <= EPS2 * abs<f64>(dd(d, mm) * dd(d, mm - 1))) break;
        if (mm > lend) setd(e, mm - 1, 0);
        let p = dd(d, l);
        if (mm == l) {
          setd(d, l, p);
          l--;
          if (l >= lend) continue;
          break;
        }
        if (mm == l - 1) {
          lae2(dd(d, l), sqrt<f64>(dd(e, l - 1)), dd(d, l - 1), tmp);
          setd(d, l, load<f64>(tmp));
          setd(d, l - 1, load<f64>(tmp + 8));
          setd(e, l - 1, 0);
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot == nmaxit) break;
        jtot++;
        const rte = sqrt<f64>(dd(e, l - 1));
        let sigma = (dd(d, l - 1) - p) / (2 * rte);
        let r = hypot(sigma, 1);
        sigma = p - rte / (sigma + fsign(r, sigma));
        let c: f64 = 1;
        let sn: f64 = 0;
        let gamma = dd(d, mm) - sigma;
        p = gamma * gamma;
        for (let i = mm; i <= l - 1; i++) {
          const bb = dd(e, i);
          r = p + bb;
          if (i != mm) setd(e, i - 1, sn * r);
          const oldc = c;
          c = p / r;
          sn = bb / r;
          const oldgam = gamma;
          const alpha = dd(d, i + 1);
          gamma = c * (alpha - sigma) - sn * oldgam;
          setd(d, i, oldgam + (alpha - gamma));
          if (c != 0) p = (gamma * gamma) / c;
          else p = oldc * bb;
        }
        setd(e, l - 1, sn * p);
        setd(d, l, sigma + gamma);
      }
    }
    // Undo the scaling.
    if (scale != 1) {
      const inv = 1 / scale;
      for (let i = lsv; i <= lendsv; i++) setd(d, i, dd(d, i) * inv);
    }
    if (jtot >= nmaxit) {
      let bad = 0;
      for (let i = 0; i < n - 1; i++) if (dd(e, i) != 0) bad++;
      return bad;
    }
  }
  return 0;
}

/** sqrt(x^2 + y^2) without overflow (LAPACK's dlapy2, for y = 1 here). */
function hypot(x: f64, y: f64): f64 {
  const xa = abs<f64>(x);
  const ya = abs<f64>(y);
  const w = max<f64>(xa, ya);
  const z = min<f64>(xa, ya);
  if (z == 0) return w;
  return w * sqrt<f64>(1 + (z / w) * (z / w));
}
