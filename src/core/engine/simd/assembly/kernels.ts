// RankLab's WebAssembly SIMD kernels (AssemblyScript, built by scripts/build-kernels.mjs).
// The engine in ../wasmEngine.ts lays every tensor out in one linear memory and calls
// these with byte offsets; nothing here allocates. Matrices are row-major float32.
//
// Why hand-written kernels: at the lab's sizes (B = 8..64, widths 10..1024) a tfjs op
// costs more in dispatch than in arithmetic. These are the few shapes a step needs:
//   gemm    C = alpha * A B + beta * C, with A read through strides, so A^T B (a weight
//           gradient) is the same kernel; beta = rho, alpha = -mu makes it the paper's
//           update W <- rho W - mu G fused into the gradient product;
//   gemmNT  C = alpha * A B^T + beta * C (the input gradient dY W^T), as dot products;
//   and the elementwise parts of a layer (bias, activation, BatchNorm, softmax
//   cross-entropy, the SGD update, im2col for 3x3 stride-2 convolutions).

/** First free byte after the module's static data (the tables of Math.exp, log, tanh): the engine allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

const RELU: i32 = 1;
const TANH: i32 = 2;

// ---------------------------------------------------------------- products

/**
 * a*b + c, four lanes. Built twice (scripts/build-kernels.mjs): with relaxed SIMD it is one
 * fused multiply-add where the processor has one (Chrome 114+, Node with
 * --experimental-wasm-relaxed-simd), otherwise a multiply and an add. On one machine each
 * build always rounds the same way, so a run still replays exactly.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// A workspace for packed panels of B (set by the engine; 0: products run unpacked).
let workspace: usize = 0;
let workspaceBytes: usize = 0;

/** Where gemm and gemmNT may pack their operands: `bytes` must hold k * (n + 4) floats of the largest product. */
export function setWorkspace(ptr: usize, bytes: usize): void {
  workspace = ptr;
  workspaceBytes = bytes;
}

/**
 * Packing pays when B is reused enough (each panel by m / 4 row blocks) over a long enough k:
 * the CNN's products and the test pass. An MLP's step (m or k = the batch size, 8-64) gained
 * nothing from it (measured in the engine, ABBA), so it keeps the unpacked path.
 */
const PACK_MIN_ROWS: i32 = 64;
const PACK_MIN_DEPTH: i32 = 64;

/**
 * C[i*ldc + j] = alpha * sum_k A(i,k) B[k*ldb + j] + beta * C[i*ldc + j] for i < m, j < n,
 * where A(i,k) = a[i*aRow + k*aCol]. With beta == 0, C is not read (it may hold garbage).
 *
 * Register blocks of 4 rows x 8 columns (8 accumulators: in V8 a 6x8 or 5x8 block measured
 * slower). Read straight from B, a column panel strided by ldb touches k cache lines and
 * pages for every row block, and with A transposed (a weight gradient) the row blocks
 * stream all of A again for every panel: large products (a 250-row test pass through 784x512
 * weights, the CNN's weight gradients) ran at a few GFLOP/s. So when the product is large
 * enough, B is first copied into the workspace as panels of k rows x 8 contiguous floats, and
 * each block of 4 rows of A meets every panel in turn while its lines are still cached.
 * Each C(i,j) is one accumulator summed in k order: packed or not, the result is the same.
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, aRow: i32, aCol: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const sB = (<usize>ldb) << 2;
  const n8 = n & ~7;
  if (packs(m, n, k)) {
    packB(n8, k, b, ldb);
    packedRows(0, m, n8, k, a, aRow, aCol, c, ldc, alpha, beta, panel(k, n8));
  } else {
    for (let j = 0; j < n8; j += 8) rowBlocks8(m, k, a, aRow, aCol, b + ((<usize>j) << 2), sB, c + ((<usize>j) << 2), ldc, alpha, beta);
  }
  if (n8 < n) columnTail(m, n, n8, k, a, aRow, aCol, b, sB, c, ldc, alpha, beta);
}

/**
 * C[i*ldc + j] = alpha * sum_k A[i*lda + k] B[j*ldb + k] + beta * C[i*ldc + j] (the input
 * gradient dY W^T). With room in the workspace, B is transposed into gemm's panels and the
 * product runs as gemm's register blocks; without, as dot products along k.
 */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const n8 = n & ~7;
  if (!packs(m, n, k)) {
    gemmNTDots(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta);
    return;
  }
  packBT(n8, k, b, ldb);
  packedRows(0, m, n8, k, a, lda, 1, c, ldc, alpha, beta, panel(k, n8));
  if (n8 < n) gemmNTDots(m, n - n8, k, a, lda, b + <usize>n8 * ((<usize>ldb) << 2), ldb, c + ((<usize>n8) << 2), ldc, alpha, beta);
}

// Two threads share a packed product (src/core/engine/simd/productThreads.ts): one thread packs B
// (packB or packBT), then both take rows of C from the same panels with packedRows, each with
// an A block of its own. Every C(i,j) is summed as in one thread, so the result is the same.

/** Whether gemm and gemmNT pack B for this product (packed products are the ones worth sharing). */
export function packs(m: i32, n: i32, k: i32): bool {
  return m >= PACK_MIN_ROWS && k >= PACK_MIN_DEPTH && fitsWorkspace(k, n & ~7);
}

/** gemm's B (k rows of ldb floats), its first n8 columns, into the workspace's panels. */
export function packB(n8: i32, k: i32, b: usize, ldb: i32): void {
  const sB = (<usize>ldb) << 2;
  for (let j = 0; j < n8; j += 8) packRows8(k, b + ((<usize>j) << 2), sB, panel(k, j));
}

/** gemmNT's B (n8 rows of k floats, ldb apart), transposed into the same panels. */
export function packBT(n8: i32, k: i32, b: usize, ldb: i32): void {
  const sB = (<usize>ldb) << 2;
  for (let j = 0; j < n8; j += 8) packColumns8(k, b + <usize>j * sB, sB, panel(k, j));
}

// @ts-ignore: decorator
@inline function fitsWorkspace(k: i32, n8: i32): bool {
  return workspace != 0 && (<usize>k) * (<usize>(n8 + 4)) * 4 <= workspaceBytes;
}

/** The packed panel of columns j..j+7: k rows of 8 floats. */
// @ts-ignore: decorator
@inline function panel(k: i32, j: i32): usize {
  return workspace + (<usize>k) * ((<usize>j) << 2);
}

/**
 * Rows i0..i1-1 of C (i0 a multiple of 4), columns 0..n8-1, from the packed panels: every panel
 * for a block of 4 rows of A, then the next block. A transposed A (aRow 1: a weight gradient
 * X^T dY) has its block's k x 4 values copied to aBlock (k * 4 floats, the calling thread's
 * own) first: read in place they are k cache lines apart, re-read for every panel.
 */
export function packedRows(i0: i32, i1: i32, n8: i32, k: i32, a: usize, aRow: i32, aCol: i32, c: usize, ldc: i32, alpha: f32, beta: f32, aBlock: usize): void {
  const sRow = (<usize>aRow) << 2, sCol = (<usize>aCol) << 2, sC = (<usize>ldc) << 2;
  const packA = aRow == 1 && n8 >= 16;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const pa = a + <usize>i * sRow, pc = c + <usize>i * sC;
    if (packA) {
      let src = pa, dst = aBlock;
      for (let kk = 0; kk < k; kk++) { v128.store(dst, v128.load(src)); src += sCol; dst += 16; }
      for (let j = 0; j < n8; j += 8) block4x8(k, aBlock, 4, 16, panel(k, j), 32, pc + ((<usize>j) << 2), sC, alpha, beta);
    } else {
      for (let j = 0; j < n8; j += 8) block4x8(k, pa, sRow, sCol, panel(k, j), 32, pc + ((<usize>j) << 2), sC, alpha, beta);
    }
  }
  for (; i < i1; i++) {
    const pa = a + <usize>i * sRow, pc = c + <usize>i * sC;
    for (let j = 0; j < n8; j += 8) block1x8(k, pa, sCol, panel(k, j), 32, pc + ((<usize>j) << 2), alpha, beta);
  }
}

/** dst[kk*8 + jj] = B[kk*ldb + jj]: eight columns of B, k rows, contiguous. */
function packRows8(k: i32, b: usize, sB: usize, dst: usize): void {
  for (let kk = 0; kk < k; kk++) {
    v128.store(dst, v128.load(b));
    v128.store(dst, v128.load(b, 16), 16);
    b += sB; dst += 32;
  }
}

/** dst[kk*8 + jj] = B[jj*ldb + kk]: eight rows of B, transposed, four k at a time. */
function packColumns8(k: i32, b: usize, sB: usize, dst: usize): void {
  const k4 = k & ~3;
  for (let half: usize = 0; half < 2; half++) {
    const r0 = b + half * 4 * sB, r1 = r0 + sB, r2 = r1 + sB, r3 = r2 + sB;
    let d = dst + half * 16;
    let kk = 0;
    for (; kk < k4; kk += 4) {
      const o = (<usize>kk) << 2;
      const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o), x3 = v128.load(r3 + o);
      const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
      v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(d + 32, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(d + 64, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(d + 96, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
      d += 128;
    }
    for (; kk < k; kk++) {
      const o = (<usize>kk) << 2;
      v128.store(d, f32x4(load<f32>(r0 + o), load<f32>(r1 + o), load<f32>(r2 + o), load<f32>(r3 + o)));
      d += 32;
    }
  }
}

/** Eight columns of C (B's columns at pb, rows sB bytes apart) for every row of A: 4, then 1 at a time. */
function rowBlocks8(m: i32, k: i32, a: usize, aRow: i32, aCol: i32, pb: usize, sB: usize, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const sRow = (<usize>aRow) << 2, sCol = (<usize>aCol) << 2, sC = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) block4x8(k, a + <usize>i * sRow, sRow, sCol, pb, sB, c + <usize>i * sC, sC, alpha, beta);
  for (; i < m; i++) block1x8(k, a + <usize>i * sRow, sCol, pb, sB, c + <usize>i * sC, alpha, beta);
}

/**
 * Columns j0..n-1 of C (fewer than 8), unpacked: four at a time, then the last one to three in
 * vectors whose other lanes are 0 and are not stored (a classifier's 10 columns: 8 + 2, where
 * one column at a time in scalar code made the CNN's 32 x 10 x 1024 product run at 4 GFLOP/s).
 */
function columnTail(m: i32, n: i32, j0: i32, k: i32, a: usize, aRow: i32, aCol: i32, b: usize, sB: usize, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const sRow = (<usize>aRow) << 2, sCol = (<usize>aCol) << 2, sC = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const pa = a + <usize>i * sRow, pc = c + <usize>i * sC;
    let j = j0;
    for (; j + 4 <= n; j += 4) block4x4(k, pa, sRow, sCol, b + ((<usize>j) << 2), sB, pc + ((<usize>j) << 2), sC, alpha, beta);
    if (j < n) block4xPart(k, pa, sRow, sCol, b + ((<usize>j) << 2), sB, pc + ((<usize>j) << 2), sC, alpha, beta, n - j);
  }
  for (; i < m; i++) {
    const pa = a + <usize>i * sRow, pc = c + <usize>i * sC;
    let j = j0;
    for (; j + 4 <= n; j += 4) block1x4(k, pa, sCol, b + ((<usize>j) << 2), sB, pc + ((<usize>j) << 2), alpha, beta);
    for (; j < n; j++) scalar1x1(k, pa, sCol, b + ((<usize>j) << 2), sB, pc + ((<usize>j) << 2), alpha, beta);
  }
}

/** The first `lanes` (1-3) floats at p, the other lanes 0: nothing past them is read. */
// @ts-ignore: decorator
@inline function loadPart(p: usize, lanes: i32): v128 {
  if (lanes == 1) return v128.load32_zero(p);
  const v = v128.load64_zero(p);
  return lanes == 2 ? v : v128.load32_lane(p + 8, v, 2);
}

/** Stores the first `lanes` (1-3) floats of v at p. */
// @ts-ignore: decorator
@inline function storePart(p: usize, v: v128, lanes: i32): void {
  if (lanes == 1) { v128.store32_lane(p, v, 0); return; }
  v128.store64_lane(p, v, 0);
  if (lanes == 3) v128.store32_lane(p + 8, v, 2);
}

/** block4x4 for the last 1-3 columns of C, summed as scalar1x1 sums. */
function block4xPart(k: i32, pa: usize, sRow: usize, sCol: usize, pb: usize, sB: usize, pc: usize, sC: usize, alpha: f32, beta: f32, lanes: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  // A multiply, then an add, never fused: the sums scalar1x1 made here before, bit for bit in both builds.
  for (let kk = 0; kk < k; kk++) {
    const b0 = loadPart(pb, lanes);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + sRow), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * sRow), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * sRow), b0));
    pa += sCol; pb += sB;
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  finishPart(pc, c0, va, vb, beta, lanes); pc += sC;
  finishPart(pc, c1, va, vb, beta, lanes); pc += sC;
  finishPart(pc, c2, va, vb, beta, lanes); pc += sC;
  finishPart(pc, c3, va, vb, beta, lanes);
}

/** finish for the first `lanes` floats at p. */
// @ts-ignore: decorator
@inline function finishPart(p: usize, acc: v128, va: v128, vb: v128, beta: f32, lanes: i32): void {
  storePart(p, beta == 0 ? f32x4.mul(va, acc) : f32x4.add(f32x4.mul(va, acc), f32x4.mul(vb, loadPart(p, lanes))), lanes);
}

// @ts-ignore: decorator
@inline function finish(p: usize, acc: v128, va: v128, vb: v128, beta: f32): void {
  v128.store(p, beta == 0 ? f32x4.mul(va, acc) : f32x4.add(f32x4.mul(va, acc), f32x4.mul(vb, v128.load(p))));
}

function block4x8(k: i32, pa: usize, sRow: usize, sCol: usize, pb: usize, sB: usize, pc: usize, sC: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa + sRow);
    const a2 = v128.load32_splat(pa + 2 * sRow);
    const a3 = v128.load32_splat(pa + 3 * sRow);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    pa += sCol; pb += sB;
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  finish(pc, c00, va, vb, beta); finish(pc + 16, c01, va, vb, beta); pc += sC;
  finish(pc, c10, va, vb, beta); finish(pc + 16, c11, va, vb, beta); pc += sC;
  finish(pc, c20, va, vb, beta); finish(pc + 16, c21, va, vb, beta); pc += sC;
  finish(pc, c30, va, vb, beta); finish(pc + 16, c31, va, vb, beta);
}

function block4x4(k: i32, pa: usize, sRow: usize, sCol: usize, pb: usize, sB: usize, pc: usize, sC: usize, alpha: f32, beta: f32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b0, c0);
    c1 = madd(v128.load32_splat(pa + sRow), b0, c1);
    c2 = madd(v128.load32_splat(pa + 2 * sRow), b0, c2);
    c3 = madd(v128.load32_splat(pa + 3 * sRow), b0, c3);
    pa += sCol; pb += sB;
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  finish(pc, c0, va, vb, beta); pc += sC;
  finish(pc, c1, va, vb, beta); pc += sC;
  finish(pc, c2, va, vb, beta); pc += sC;
  finish(pc, c3, va, vb, beta);
}

function block1x8(k: i32, pa: usize, sCol: usize, pb: usize, sB: usize, pc: usize, alpha: f32, beta: f32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const a0 = v128.load32_splat(pa);
    c0 = madd(a0, v128.load(pb), c0);
    c1 = madd(a0, v128.load(pb, 16), c1);
    pa += sCol; pb += sB;
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  finish(pc, c0, va, vb, beta); finish(pc + 16, c1, va, vb, beta);
}

function block1x4(k: i32, pa: usize, sCol: usize, pb: usize, sB: usize, pc: usize, alpha: f32, beta: f32): void {
  let c0 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
    pa += sCol; pb += sB;
  }
  finish(pc, c0, f32x4.splat(alpha), f32x4.splat(beta), beta);
}

function scalar1x1(k: i32, pa: usize, sCol: usize, pb: usize, sB: usize, pc: usize, alpha: f32, beta: f32): void {
  let s: f32 = 0;
  for (let kk = 0; kk < k; kk++) {
    s += load<f32>(pa) * load<f32>(pb);
    pa += sCol; pb += sB;
  }
  store<f32>(pc, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(pc));
}

/**
 * C = A B (alpha 1, beta 0) for an A whose entries mostly equal one value z, such as a batch of
 * normalised MNIST digits (about 80% background): C = z 1 (sum_k B(k,:)) + (A - z) B, where
 * the second product multiplies only the entries of A that are not z. The same sum as gemm's,
 * grouped differently: it agrees with gemm to float32 rounding, not bitwise. `work` holds
 * m * (k + 1) i32 and n f32. Returns false, computing nothing, when at least half of A differs
 * from z (gemm is faster then).
 */
export function gemmSparseA(m: i32, n: i32, k: i32, a: usize, lda: i32, z: f32, b: usize, ldb: i32, c: usize, ldc: i32, work: usize): bool {
  // Row i's count, then the column indices of its entries that are not z.
  const rowCount = work;
  const index = work + ((<usize>m) << 2);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const row = a + (<usize>i * <usize>lda << 2);
    const out = index + (<usize>i * <usize>k << 2);
    let count = 0;
    for (let kk = 0; kk < k; kk++) {
      if (load<f32>(row + ((<usize>kk) << 2)) != z) { store<i32>(out + ((<usize>count) << 2), kk); count++; }
    }
    store<i32>(rowCount + ((<usize>i) << 2), count);
    total += count;
  }
  if (<i64>total * 2 >= <i64>m * <i64>k) return false;
  const sB = (<usize>ldb) << 2, sC = (<usize>ldc) << 2;
  // base = z * column sums of B: every row of C starts from it.
  const base = index + (<usize>m * <usize>k << 2);
  for (let j = 0; j < n; j++) store<f32>(base + ((<usize>j) << 2), 0);
  for (let kk = 0; kk < k; kk++) addInto(base, b + <usize>kk * sB, n);
  for (let j = 0; j < n; j++) store<f32>(base + ((<usize>j) << 2), z * load<f32>(base + ((<usize>j) << 2)));
  const vz = f32x4.splat(z);
  const n4 = n & ~3;
  // 32 columns per pass (8 accumulators), every row against them while they are cached, then 4, then 1.
  let j = 0;
  for (; j + 32 <= n4; j += 32) {
    const jb = (<usize>j) << 2;
    for (let i = 0; i < m; i++) {
      sparseRow32(a + (<usize>i * <usize>lda << 2), vz, index + (<usize>i * <usize>k << 2), load<i32>(rowCount + ((<usize>i) << 2)), b + jb, sB, base + jb, c + <usize>i * sC + jb);
    }
  }
  for (; j < n4; j += 4) {
    const jb = (<usize>j) << 2;
    for (let i = 0; i < m; i++) {
      const row = a + (<usize>i * <usize>lda << 2), idx = index + (<usize>i * <usize>k << 2), count = load<i32>(rowCount + ((<usize>i) << 2));
      let acc = v128.load(base + jb);
      for (let p = 0; p < count; p++) {
        const kk = <usize>load<i32>(idx + ((<usize>p) << 2));
        acc = madd(f32x4.sub(v128.load32_splat(row + (kk << 2)), vz), v128.load(b + kk * sB + jb), acc);
      }
      v128.store(c + <usize>i * sC + jb, acc);
    }
  }
  for (; j < n; j++) {
    const jb = (<usize>j) << 2;
    for (let i = 0; i < m; i++) {
      const row = a + (<usize>i * <usize>lda << 2), idx = index + (<usize>i * <usize>k << 2), count = load<i32>(rowCount + ((<usize>i) << 2));
      let s: f32 = load<f32>(base + jb);
      for (let p = 0; p < count; p++) {
        const kk = <usize>load<i32>(idx + ((<usize>p) << 2));
        s += (load<f32>(row + (kk << 2)) - z) * load<f32>(b + kk * sB + jb);
      }
      store<f32>(c + <usize>i * sC + jb, s);
    }
  }
  return true;
}

/**
 * C = beta C + alpha A^T B for the A that gemmSparseA has just multiplied (its lists of the
 * entries that are not z, left in `work`): a dense layer's weight gradient X^T dZ on a batch of
 * digits, fused into the update as gemm's is (beta = rho, alpha = -mu). With s = the column sums
 * of B, A^T B = z 1 s^T + (A - z)^T B: every row of C first takes beta C + alpha z s, then each
 * entry of A that is not z adds alpha (a - z) times its row of B. A is m x k (k = C's rows), B is
 * m x n. The same sum as gemm's, grouped differently: float32 rounding apart, not bitwise.
 */
export function gemmSparseAT(m: i32, n: i32, k: i32, a: usize, lda: i32, z: f32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32, work: usize): void {
  const rowCount = work;
  const index = work + ((<usize>m) << 2);
  const sB = (<usize>ldb) << 2, sC = (<usize>ldc) << 2;
  // s, scaled by alpha z, where gemmSparseA kept its column sums (no longer needed).
  const s = index + (<usize>m * <usize>k << 2);
  for (let j = 0; j < n; j++) store<f32>(s + ((<usize>j) << 2), 0);
  for (let i = 0; i < m; i++) addInto(s, b + <usize>i * sB, n);
  for (let j = 0; j < n; j++) store<f32>(s + ((<usize>j) << 2), alpha * z * load<f32>(s + ((<usize>j) << 2)));
  const n4 = n & ~3;
  const vBeta = f32x4.splat(beta);
  for (let r = 0; r < k; r++) {
    const row = c + <usize>r * sC;
    let j = 0;
    if (beta == 0) {
      for (; j < n4; j += 4) v128.store(row + ((<usize>j) << 2), v128.load(s + ((<usize>j) << 2)));
      for (; j < n; j++) store<f32>(row + ((<usize>j) << 2), load<f32>(s + ((<usize>j) << 2)));
    } else {
      for (; j < n4; j += 4) { const o = (<usize>j) << 2; v128.store(row + o, madd(vBeta, v128.load(row + o), v128.load(s + o))); }
      for (; j < n; j++) { const o = (<usize>j) << 2; store<f32>(row + o, beta * load<f32>(row + o) + load<f32>(s + o)); }
    }
  }
  for (let i = 0; i < m; i++) {
    const aRow = a + (<usize>i * <usize>lda << 2), idx = index + (<usize>i * <usize>k << 2), count = load<i32>(rowCount + ((<usize>i) << 2));
    const bRow = b + <usize>i * sB;
    for (let p = 0; p < count; p++) {
      const kk = <usize>load<i32>(idx + ((<usize>p) << 2));
      const coef: f32 = alpha * (load<f32>(aRow + (kk << 2)) - z);
      const vc = f32x4.splat(coef);
      const row = c + kk * sC;
      let j = 0;
      for (; j < n4; j += 4) { const o = (<usize>j) << 2; v128.store(row + o, madd(vc, v128.load(bRow + o), v128.load(row + o))); }
      for (; j < n; j++) { const o = (<usize>j) << 2; store<f32>(row + o, coef * load<f32>(bRow + o) + load<f32>(row + o)); }
    }
  }
}

// ---------------------------------------------------------------- products that skip zeros

// A ReLU layer's outputs are about half zeros, and so are the im2col rows a convolution reads
// from them (56-70% in the CNN) and its output gradients (22-55%). listRowPairs lists, for each
// pair of rows, the columns where either is nonzero, and gemmZeroSkip multiplies only those: each
// C(i,j) is the same multiply-adds in the same k order as gemm's, minus terms with a zero factor,
// which add exactly 0. So it equals gemm bit for bit (the sign of a zero sum aside).

// For each 4-bit mask of nonzero lanes: a swizzle that moves those lanes' i32 indices to the front.
const COMPACT: usize = memory.data<u8>([
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,          // 0000
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,          // 0001: lane 0
  4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,          // 0010: lane 1
  0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3,          // 0011
  8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,        // 0100
  0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3,        // 0101
  4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3,        // 0110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3,        // 0111
  12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,      // 1000
  0, 1, 2, 3, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,      // 1001
  4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,      // 1010
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3,      // 1011
  8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,    // 1100
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3,    // 1101
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3,    // 1110
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,    // 1111
], 16);

/** For each pair of rows (2p, 2p + 1) of `rows` rows of `cols` floats at a (cols a multiple of 4), the columns where either is nonzero: at lists + p * (cols + 4) * 4, the count, then the indices. An odd last row is a pair alone. */
export function listRowPairs(a: usize, rows: i32, cols: i32, lists: usize): void {
  const stride = (<usize>(cols + 4)) << 2, rowBytes = (<usize>cols) << 2;
  const zero = f32x4.splat(0), four = i32x4.splat(4);
  for (let r = 0; r < rows; r += 2) {
    const list = lists + <usize>(r >> 1) * stride, out = list + 4;
    const r0 = a + <usize>r * rowBytes, r1 = r + 1 < rows ? r0 + rowBytes : r0;
    let idx = i32x4(0, 1, 2, 3), count = 0;
    for (let i = 0; i < cols; i += 4) {
      const o = (<usize>i) << 2;
      const mask = i32x4.bitmask(v128.or(f32x4.ne(v128.load(r0 + o), zero), f32x4.ne(v128.load(r1 + o), zero)));
      v128.store(out + ((<usize>count) << 2), i8x16.swizzle(idx, v128.load(COMPACT + ((<usize>mask) << 4))));
      count += popcnt<i32>(mask);
      idx = i32x4.add(idx, four);
    }
    store<i32>(list, count);
  }
}

/**
 * Rows i0..i1-1 (i0 even) of C = A B (alpha 1, beta 0; A m x k with lda, B k x n row-major, n a
 * multiple of 4) over the entries of A that are not zero: each pair of rows (i, i + 1) over the
 * columns either row has nonzero, as listRowPairs listed them (pair i / 2 at lists + (i / 2) *
 * (k + 4) * 4). A term whose A entry is zero adds exactly 0, so each sum is gemm's multiply-adds
 * in gemm's order less terms that change nothing. Pairs, not single rows: a B row loaded serves
 * both rows, and adjacent rows (neighbouring pixels) share most of their nonzeros; with one
 * row's own list the CNN trained 1.14x faster than dense, with pairs 1.27x (same-process A/B).
 */
export function gemmZeroSkip(i0: i32, i1: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, lists: usize): void {
  const sB = (<usize>ldb) << 2, sC = (<usize>ldc) << 2, sA = (<usize>lda) << 2;
  const stride = (<usize>(k + 4)) << 2;
  // Slabs of B's rows that stay in the core's cache while every pair of rows takes its terms from
  // them; C holds the partial sums in between (a float stored and loaded back is the same float).
  const slab = max<i32>(64, <i32>(SLAB_BYTES / <usize>max<i32>(1, n * 4)));
  for (let k0 = 0; k0 < k; k0 += slab) {
    const k1 = min<i32>(k, k0 + slab), first = k0 == 0;
    for (let i = i0; i < i1; i += 2) {
      const list = lists + <usize>(i >> 1) * stride, count = load<i32>(list), idx = list + 4;
      const p0 = k0 == 0 ? 0 : firstAtLeast(idx, count, k0), p1 = k1 == k ? count : firstAtLeast(idx, count, k1);
      const row0 = a + <usize>i * sA, row1 = i + 1 < i1 ? row0 + sA : row0;
      const out0 = c + <usize>i * sC, out1 = i + 1 < i1 ? out0 + sC : out0;
      const from = idx + ((<usize>p0) << 2), entries = p1 - p0;
      let j = 0;
      for (; j + 16 <= n; j += 16) pairRow16(row0, row1, from, entries, b + ((<usize>j) << 2), sB, out0 + ((<usize>j) << 2), out1 + ((<usize>j) << 2), first);
      for (; j < n; j += 4) {
        const jb = (<usize>j) << 2;
        let acc0 = first ? f32x4.splat(0) : v128.load(out0 + jb), acc1 = first ? f32x4.splat(0) : v128.load(out1 + jb);
        for (let p = 0; p < entries; p++) {
          const kk = (<usize>load<i32>(from + ((<usize>p) << 2))) << 2;
          const vb = v128.load(b + (kk >> 2) * sB + jb);
          acc0 = madd(v128.load32_splat(row0 + kk), vb, acc0);
          acc1 = madd(v128.load32_splat(row1 + kk), vb, acc1);
        }
        v128.store(out1 + jb, acc1); // out1 == out0 for a lone last row: row0's sum is stored last
        v128.store(out0 + jb, acc0);
      }
    }
  }
}

/**
 * A slab of B for gemmZeroSkip: 512 KB, half this machine's 1 MB L2. A weight gradient's B is the
 * im2col matrix (3.6 MB for the CNN at B=32), which every pair of rows read whole, from L3.
 */
const SLAB_BYTES: usize = 512 * 1024;

/** The first position in the sorted list of `count` indices at idx that holds an index >= key. */
function firstAtLeast(idx: usize, count: i32, key: i32): i32 {
  let lo = 0, hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<i32>(idx + ((<usize>mid) << 2)) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Columns j..j+15 of two rows of C over `count` entries of their pair's list, added to what C holds unless `first`. */
function pairRow16(row0: usize, row1: usize, idx: usize, count: i32, b: usize, sB: usize, out0: usize, out1: usize, first: bool): void {
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
  if (!first) {
    c0 = v128.load(out0); c1 = v128.load(out0, 16); c2 = v128.load(out0, 32); c3 = v128.load(out0, 48);
    d0 = v128.load(out1); d1 = v128.load(out1, 16); d2 = v128.load(out1, 32); d3 = v128.load(out1, 48);
  }
  for (let p = 0; p < count; p++) {
    const kk = <usize>load<i32>(idx + ((<usize>p) << 2));
    const a0 = v128.load32_splat(row0 + (kk << 2)), a1 = v128.load32_splat(row1 + (kk << 2));
    const pb = b + kk * sB;
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    c0 = madd(a0, b0, c0); d0 = madd(a1, b0, d0);
    c1 = madd(a0, b1, c1); d1 = madd(a1, b1, d1);
    c2 = madd(a0, b2, c2); d2 = madd(a1, b2, d2);
    c3 = madd(a0, b3, c3); d3 = madd(a1, b3, d3);
  }
  v128.store(out1, d0); v128.store(out1, d1, 16); v128.store(out1, d2, 32); v128.store(out1, d3, 48);
  v128.store(out0, c0); v128.store(out0, c1, 16); v128.store(out0, c2, 32); v128.store(out0, c3, 48);
}

/**
 * W = alpha G + beta W over n floats (with beta 0, W is not read), lane by lane as gemm's finish:
 * a weight gradient that gemmZeroSkip computed (transposed back first) applied as gemm applies its own.
 */
export function applyGradient(w: usize, g: usize, n: i32, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    finish(w + o, v128.load(g + o), va, vb, beta);
  }
  for (; i < n; i++) {
    const p = w + ((<usize>i) << 2);
    const x = load<f32>(g + ((<usize>i) << 2));
    store<f32>(p, beta == 0 ? alpha * x : alpha * x + beta * load<f32>(p));
  }
}

/** dst (cols x rows) = src (rows x cols)^T, in 4 x 4 blocks. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  const r4 = rows & ~3, c4 = cols & ~3;
  const sS = (<usize>cols) << 2, sD = (<usize>rows) << 2;
  for (let r = 0; r < r4; r += 4) {
    for (let q = 0; q < c4; q += 4) {
      const a = src + <usize>r * sS + ((<usize>q) << 2);
      const x0 = v128.load(a), x1 = v128.load(a + sS), x2 = v128.load(a + 2 * sS), x3 = v128.load(a + 3 * sS);
      const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
      const d = dst + <usize>q * sD + ((<usize>r) << 2);
      v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(d + sD, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(d + 2 * sD, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(d + 3 * sD, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
    for (let rr = r; rr < r + 4; rr++) for (let q = c4; q < cols; q++) store<f32>(dst + (<usize>(q * rows + rr) << 2), load<f32>(src + (<usize>(rr * cols + q) << 2)));
  }
  for (let r = r4; r < rows; r++) for (let q = 0; q < cols; q++) store<f32>(dst + (<usize>(q * rows + r) << 2), load<f32>(src + (<usize>(r * cols + q) << 2)));
}

/** Columns j..j+31 of one row of C: base plus the row's entries that are not z, less z, times B's rows. */
function sparseRow32(row: usize, vz: v128, idx: usize, count: i32, b: usize, sB: usize, base: usize, c: usize): void {
  let c0 = v128.load(base), c1 = v128.load(base, 16), c2 = v128.load(base, 32), c3 = v128.load(base, 48);
  let c4 = v128.load(base, 64), c5 = v128.load(base, 80), c6 = v128.load(base, 96), c7 = v128.load(base, 112);
  for (let p = 0; p < count; p++) {
    const kk = <usize>load<i32>(idx + ((<usize>p) << 2));
    const av = f32x4.sub(v128.load32_splat(row + (kk << 2)), vz);
    const pb = b + kk * sB;
    c0 = madd(av, v128.load(pb), c0); c1 = madd(av, v128.load(pb, 16), c1);
    c2 = madd(av, v128.load(pb, 32), c2); c3 = madd(av, v128.load(pb, 48), c3);
    c4 = madd(av, v128.load(pb, 64), c4); c5 = madd(av, v128.load(pb, 80), c5);
    c6 = madd(av, v128.load(pb, 96), c6); c7 = madd(av, v128.load(pb, 112), c7);
  }
  v128.store(c, c0); v128.store(c, c1, 16); v128.store(c, c2, 32); v128.store(c, c3, 48);
  v128.store(c, c4, 64); v128.store(c, c5, 80); v128.store(c, c6, 96); v128.store(c, c7, 112);
}

/** gemmNT for small products or without a workspace: both operands read along k, four lanes at a time, two rows of A against four rows of B. */
function gemmNTDots(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, beta: f32): void {
  const sA = (<usize>lda) << 2, sB = (<usize>ldb) << 2, sC = (<usize>ldc) << 2;
  const k4 = k & ~3;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + <usize>i * sA, a1 = a0 + sA;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * sB, b1 = b0 + sB, b2 = b1 + sB, b3 = b2 + sB;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let kk = 0; kk < k4; kk += 4) {
        const o = (<usize>kk) << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
        s00 = madd(x0, y0, s00); s01 = madd(x0, y1, s01);
        s02 = madd(x0, y2, s02); s03 = madd(x0, y3, s03);
        s10 = madd(x1, y0, s10); s11 = madd(x1, y1, s11);
        s12 = madd(x1, y2, s12); s13 = madd(x1, y3, s13);
      }
      const r0 = hsum4(s00, s01, s02, s03), r1 = hsum4(s10, s11, s12, s13);
      const out0 = c + <usize>i * sC + ((<usize>j) << 2), out1 = out0 + sC;
      tailNT(k4, k, a0, b0, b1, b2, b3, r0, out0, alpha, beta);
      tailNT(k4, k, a1, b0, b1, b2, b3, r1, out1, alpha, beta);
    }
    for (; j < n; j++) {
      dotInto(k, a0, b + <usize>j * sB, c + <usize>i * sC + ((<usize>j) << 2), alpha, beta);
      dotInto(k, a1, b + <usize>j * sB, c + <usize>(i + 1) * sC + ((<usize>j) << 2), alpha, beta);
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n; j++) dotInto(k, a + <usize>i * sA, b + <usize>j * sB, c + <usize>i * sC + ((<usize>j) << 2), alpha, beta);
  }
}

/** Lane j of the result is the sum of the four lanes of s_j. */
// @ts-ignore: decorator
@inline function hsum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  // Transpose-and-add: [s0.0+s0.1, s1.0+s1.1, s0.2+s0.3, s1.2+s1.3] etc.
  const t0 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 2, 6), v128.shuffle<f32>(s0, s1, 1, 5, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 2, 6), v128.shuffle<f32>(s2, s3, 1, 5, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function tailNT(k4: i32, k: i32, pa: usize, b0: usize, b1: usize, b2: usize, b3: usize, r: v128, out: usize, alpha: f32, beta: f32): void {
  let t0 = f32x4.extract_lane(r, 0), t1 = f32x4.extract_lane(r, 1), t2 = f32x4.extract_lane(r, 2), t3 = f32x4.extract_lane(r, 3);
  for (let kk = k4; kk < k; kk++) {
    const o = (<usize>kk) << 2;
    const x = load<f32>(pa + o);
    t0 += x * load<f32>(b0 + o); t1 += x * load<f32>(b1 + o); t2 += x * load<f32>(b2 + o); t3 += x * load<f32>(b3 + o);
  }
  const v = f32x4(t0, t1, t2, t3);
  v128.store(out, beta == 0 ? f32x4.mul(f32x4.splat(alpha), v) : f32x4.add(f32x4.mul(f32x4.splat(alpha), v), f32x4.mul(f32x4.splat(beta), v128.load(out))));
}

function dotInto(k: i32, pa: usize, pb: usize, pc: usize, alpha: f32, beta: f32): void {
  let s: f32 = 0;
  for (let kk = 0; kk < k; kk++) s += load<f32>(pa + ((<usize>kk) << 2)) * load<f32>(pb + ((<usize>kk) << 2));
  store<f32>(pc, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(pc));
}

// ---------------------------------------------------------------- layers

/** dst[i, j] = act(src[i, j] + bias[j]) (bias 0: no bias; act 0 none, 1 relu, 2 tanh). dst may be src. */
export function biasAct(src: usize, dst: usize, bias: usize, rows: i32, cols: i32, act: i32): void {
  const rowBytes = (<usize>cols) << 2;
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const s = src + <usize>i * rowBytes, d = dst + <usize>i * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const o = (<usize>j) << 2;
      let v = v128.load(s + o);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + o));
      if (act == RELU) v = f32x4.max(v, zero); // NaN stays NaN, so a diverged run still shows in the loss
      v128.store(d + o, v);
    }
    for (; j < cols; j++) {
      const o = (<usize>j) << 2;
      let v = load<f32>(s + o);
      if (bias != 0) v += load<f32>(bias + o);
      if (act == RELU) v = max(v, <f32>0);
      store<f32>(d + o, v);
    }
    if (act == TANH) {
      for (let jj = 0; jj < cols; jj++) store<f32>(d + ((<usize>jj) << 2), <f32>Math.tanh(<f64>load<f32>(d + ((<usize>jj) << 2))));
    }
  }
}

/** grad[i] *= act'(at the activation's output out[i]): relu' = out > 0, tanh' = 1 - out^2. */
export function actBackward(grad: usize, out: usize, n: i32, act: i32): void {
  let i = 0;
  if (act == RELU) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(grad + o, v128.and(v128.load(grad + o), f32x4.gt(v128.load(out + o), zero)));
    }
  } else if (act == TANH) {
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const y = v128.load(out + o);
      v128.store(grad + o, f32x4.mul(v128.load(grad + o), f32x4.sub(one, f32x4.mul(y, y))));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const y = load<f32>(out + o);
    if (act == RELU) { if (!(y > 0)) store<f32>(grad + o, 0); }
    else if (act == TANH) store<f32>(grad + o, load<f32>(grad + o) * (1 - y * y));
  }
}

/** out[j] = sum_i x[i*cols + j]: a bias's gradient. */
export function columnSums(x: usize, rows: i32, cols: i32, out: usize): void {
  zeroFill(out, (<usize>cols) << 2);
  const rowBytes = (<usize>cols) << 2;
  const c4 = cols & ~3;
  for (let i = 0; i < rows; i++) {
    const row = x + <usize>i * rowBytes;
    let j = 0;
    for (; j < c4; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(row + o)));
    }
    for (; j < cols; j++) {
      const o = (<usize>j) << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o));
    }
  }
}

/**
 * Mean softmax cross-entropy of logits [rows, cols] against integer labels; returns the
 * loss summed over rows (float64). With grad != 0 it writes (softmax - onehot) * scale
 * there; correct[0] (an i32) receives the number of rows whose argmax is the label.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, rows: i32, cols: i32, grad: usize, scale: f32, correct: usize): f64 {
  let total: f64 = 0;
  let hits: i32 = 0;
  for (let i = 0; i < rows; i++) {
    const row = logits + <usize>i * (<usize>cols << 2);
    const label = load<i32>(labels + ((<usize>i) << 2));
    let max = load<f32>(row);
    let best = 0;
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(row + ((<usize>j) << 2));
      if (v > max) { max = v; best = j; }
    }
    if (best == label) hits++;
    let sum: f64 = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(<f64>(load<f32>(row + ((<usize>j) << 2)) - max));
    total += Math.log(sum) - <f64>(load<f32>(row + ((<usize>label) << 2)) - max);
    if (grad != 0) {
      const g = grad + <usize>i * (<usize>cols << 2);
      for (let j = 0; j < cols; j++) {
        const p = Math.exp(<f64>(load<f32>(row + ((<usize>j) << 2)) - max)) / sum;
        store<f32>(g + ((<usize>j) << 2), <f32>((j == label ? p - 1 : p) * <f64>scale));
      }
    }
  }
  store<i32>(correct, hits);
  return total;
}

// ---------------------------------------------------------------- BatchNorm (columns are channels)

/**
 * Training-mode BatchNorm over the rows, per column: y = (x - mean) / sqrt(var + eps) * gamma + beta
 * with the batch's mean and (biased) variance. The sums and the normalisation are done in f64 and
 * rounded once, as PyTorch accumulates them: over a batch of 2-4 a feature's variance can be tiny
 * against its mean, and f32 sums there cost digits that the backward pass then multiplies.
 * Two columns at a time, one per f64 lane.
 */
export function batchNormTrain(x: usize, rows: i32, cols: i32, gamma: usize, beta: usize, eps: f32, y: usize, mean: usize, variance: usize, invStd: usize): void {
  const rowBytes = (<usize>cols) << 2;
  for (let j = 0; j < cols; j += 2) {
    const o = (<usize>j) << 2;
    const pair = j + 1 < cols;
    columnStats(x, rows, rowBytes, o, eps, pair);
    const mu = statMean, inv = statInvStd;
    storePair(mean + o, mu, pair); storePair(variance + o, statVariance, pair); storePair(invStd + o, inv, pair);
    const g = loadPair(gamma + o, pair), b = loadPair(beta + o, pair);
    for (let i = 0; i < rows; i++) {
      const p = <usize>i * rowBytes + o;
      storePair(y + p, f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(loadPair(x + p, pair), mu), inv), g), b), pair);
    }
  }
}

/** Columns o and o+4 bytes of a row (only o when !pair) as two f64 lanes. */
// @ts-ignore: decorator
@inline function loadPair(ptr: usize, pair: bool): v128 {
  return f64x2.promote_low_f32x4(pair ? v128.load64_zero(ptr) : v128.load32_zero(ptr));
}

/** Two f64 lanes rounded to f32 and stored at ptr and ptr+4 (only ptr when !pair). */
// @ts-ignore: decorator
@inline function storePair(ptr: usize, v: v128, pair: bool): void {
  const f = f32x4.demote_f64x2_zero(v);
  if (pair) v128.store64_lane(ptr, f, 0);
  else v128.store32_lane(ptr, f, 0);
}

// columnStats' results, one column per lane (globals: no allocation in the kernels).
let statMean: v128 = f64x2.splat(0), statVariance: v128 = f64x2.splat(0), statInvStd: v128 = f64x2.splat(0);

/** Two columns' means, biased variances (two passes) and 1/sqrt(variance + eps), in f64, into the stat globals. */
function columnStats(x: usize, rows: i32, rowBytes: usize, o: usize, eps: f32, pair: bool): void {
  let s = f64x2.splat(0);
  for (let i = 0; i < rows; i++) s = f64x2.add(s, loadPair(x + <usize>i * rowBytes + o, pair));
  const n = f64x2.splat(<f64>rows);
  const mu = f64x2.div(s, n);
  let v = f64x2.splat(0);
  for (let i = 0; i < rows; i++) { const d = f64x2.sub(loadPair(x + <usize>i * rowBytes + o, pair), mu); v = f64x2.add(v, f64x2.mul(d, d)); }
  v = f64x2.div(v, n);
  statMean = mu;
  statVariance = v;
  statInvStd = f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(v, f64x2.splat(<f64>eps))));
}

/** Eval-mode BatchNorm with the running statistics. y may be x. */
export function batchNormEval(x: usize, rows: i32, cols: i32, gamma: usize, beta: usize, runMean: usize, runVar: usize, eps: f32, y: usize): void {
  const rowBytes = (<usize>cols) << 2;
  for (let j = 0; j < cols; j++) {
    const o = (<usize>j) << 2;
    const inv = <f32>(1 / Math.sqrt(<f64>(load<f32>(runVar + o) + eps)));
    const mu = load<f32>(runMean + o), g = load<f32>(gamma + o), b = load<f32>(beta + o);
    for (let i = 0; i < rows; i++) {
      const p = <usize>i * rowBytes + o;
      store<f32>(y + p, (load<f32>(x + p) - mu) * inv * g + b);
    }
  }
}

/**
 * The backward pass of batchNormTrain, from its input x and dy: the gradients of gamma and beta and
 * dx = gamma * invStd / N * (N dy - sum(dy) - xhat * sum(dy * xhat)). dx may be dy. All in f64 from
 * x (the batch's statistics recomputed, xhat never rounded), rounded once: over a batch of 2 the
 * bracket is a difference of nearly equal terms (xhat is +-(1 - eps/2var)), and in f32 it kept a
 * tenth of the digits torch's float32 keeps (scripts/gradient-check.ts). Two columns at a time.
 */
export function batchNormBackward(dy: usize, x: usize, rows: i32, cols: i32, gamma: usize, eps: f32, dx: usize, dGamma: usize, dBeta: usize): void {
  const rowBytes = (<usize>cols) << 2;
  const n = f64x2.splat(<f64>rows);
  for (let j = 0; j < cols; j += 2) {
    const o = (<usize>j) << 2;
    const pair = j + 1 < cols;
    columnStats(x, rows, rowBytes, o, eps, pair);
    const mu = statMean, inv = statInvStd;
    let sdy = f64x2.splat(0), sdyx = f64x2.splat(0);
    for (let i = 0; i < rows; i++) {
      const p = <usize>i * rowBytes + o;
      const d = loadPair(dy + p, pair);
      sdy = f64x2.add(sdy, d);
      sdyx = f64x2.add(sdyx, f64x2.mul(d, f64x2.mul(f64x2.sub(loadPair(x + p, pair), mu), inv)));
    }
    storePair(dBeta + o, sdy, pair); storePair(dGamma + o, sdyx, pair);
    const k = f64x2.div(f64x2.mul(loadPair(gamma + o, pair), inv), n);
    for (let i = 0; i < rows; i++) {
      const p = <usize>i * rowBytes + o;
      const h = f64x2.mul(f64x2.sub(loadPair(x + p, pair), mu), inv);
      const bracket = f64x2.sub(f64x2.sub(f64x2.mul(n, loadPair(dy + p, pair)), sdy), f64x2.mul(h, sdyx));
      storePair(dx + p, f64x2.mul(k, bracket), pair);
    }
  }
}

/** running <- (1 - m) running + m batch, with the unbiased batch variance (PyTorch's rule). */
export function batchNormRunning(runMean: usize, runVar: usize, mean: usize, variance: usize, cols: i32, count: i32, m: f32): void {
  const unbias: f32 = count > 1 ? <f32>count / <f32>(count - 1) : 1;
  for (let j = 0; j < cols; j++) {
    const o = (<usize>j) << 2;
    store<f32>(runMean + o, (1 - m) * load<f32>(runMean + o) + m * load<f32>(mean + o));
    store<f32>(runVar + o, (1 - m) * load<f32>(runVar + o) + m * (load<f32>(variance + o) * unbias));
  }
}

// ---------------------------------------------------------------- the update

/** The paper's step, W <- rho W - mu G, four lanes at a time. */
export function sgdStep(w: usize, g: usize, n: i32, rho: f32, mu: f32): void {
  const vr = f32x4.splat(rho), vm = f32x4.splat(mu);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(w + o, f32x4.sub(f32x4.mul(vr, v128.load(w + o)), f32x4.mul(vm, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(w + o, rho * load<f32>(w + o) - mu * load<f32>(g + o));
  }
}

/**
 * torch.optim.SGD with momentum m (dampening 0, coupled decay): g' = G + decay2 W;
 * v <- g' on the first step, else m v + g'; W <- W - mu v.
 */
export function sgdMomentumStep(w: usize, g: usize, v: usize, n: i32, mu: f32, decay2: f32, m: f32, first: i32): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const wi = load<f32>(w + o);
    const gi = decay2 == 0 ? load<f32>(g + o) : load<f32>(g + o) + wi * decay2;
    const vi = first ? gi : m * load<f32>(v + o) + gi;
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - vi * mu);
  }
}

// ---------------------------------------------------------------- 3x3, stride 2, padding 1 convolutions (NHWC)

/**
 * cols[(b*oh + oy)*ow + ox, (dy*3 + dx)*c + ch] = x[b, 2 oy + dy - 1, 2 ox + dx - 1, ch], 0 outside:
 * the rows a 3x3 stride-2 kernel [3, 3, c, cOut] (flattened to [9c, cOut]) multiplies.
 */
export function im2col(x: usize, batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, cols: usize): void {
  const cb = (<usize>c) << 2;
  let out = cols;
  for (let b = 0; b < batch; b++) {
    const image = x + <usize>b * <usize>(h * w) * cb;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let dy = 0; dy < 3; dy++) {
          const y = 2 * oy + dy - 1;
          for (let dx = 0; dx < 3; dx++) {
            const xx = 2 * ox + dx - 1;
            if (y < 0 || y >= h || xx < 0 || xx >= w) zeroFill(out, cb);
            else copyBytes(out, image + <usize>(y * w + xx) * cb, cb);
            out += cb;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx[b, y, x, ch] = sum of the cols entries that read it. Overwrites dx. */
export function col2im(cols: usize, batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, dx: usize): void {
  const cb = (<usize>c) << 2;
  zeroFill(dx, <usize>batch * <usize>(h * w) * cb);
  let src = cols;
  for (let b = 0; b < batch; b++) {
    const image = dx + <usize>b * <usize>(h * w) * cb;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let dy = 0; dy < 3; dy++) {
          const y = 2 * oy + dy - 1;
          for (let dxx = 0; dxx < 3; dxx++) {
            const xx = 2 * ox + dxx - 1;
            if (y >= 0 && y < h && xx >= 0 && xx < w) addInto(image + <usize>(y * w + xx) * cb, src, c);
            src += cb;
          }
        }
      }
    }
  }
}

// Copies and fills as vector loops: on a shared memory V8 runs memory.copy and memory.fill as
// word-by-word relaxed atomic copies, which made im2col 1.5x slower with the helper thread.
// Sizes are multiples of 4 bytes (floats).

/** n bytes from src to dst (they do not overlap). */
function copyBytes(dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < n; i += 4) store<u32>(dst + i, load<u32>(src + i));
}

/** n bytes of zeros at dst. */
function zeroFill(dst: usize, n: usize): void {
  const z = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + i, z);
  for (; i < n; i += 4) store<u32>(dst + i, 0);
}

function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}
