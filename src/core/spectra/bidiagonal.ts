// Singular values of an upper bidiagonal matrix by implicit-shift QR, values
// only: the Golub-Kahan SVD step with the refinements of Demmel & Kahan
// ("Accurate singular values of bidiagonal matrices", 1990), which is the
// algorithm of LAPACK's dbdsqr:
//   - a zero-shift sweep when the shift would swamp the smallest singular
//     value; it needs no subtractions, so tiny values keep full relative
//     accuracy;
//   - convergence tests that look at |e_i| relative to a running estimate of
//     the smallest singular value, not to ||B||, so a small value is never
//     declared converged while it is still polluted;
//   - chasing the bulge top-down or bottom-up, whichever end of the active
//     block is larger ("graded" matrices converge from the small end).
// Cost O(n^2) per matrix, negligible next to the O(mn^2) bidiagonalisation.

const EPS = Number.EPSILON / 2; // unit roundoff, LAPACK's dlamch('E')
const SAFE_MIN = 2.2250738585072014e-308; // smallest normal double
/** Relative accuracy asked for: tolmul * eps, tolmul = clamp(eps^(-1/8), 10, 100) as in dbdsqr. */
const TOL = Math.max(10, Math.min(100, Math.pow(EPS, -1 / 8))) * EPS;
/** Iteration budget per singular value, in sweeps of the whole matrix. */
const MAX_ITER_PER_VALUE = 6;

/**
 * Overwrites d (diagonal, length n) with the singular values of the upper
 * bidiagonal matrix with superdiagonal e (length n-1), as nonnegative numbers
 * in no particular order. e is destroyed.
 */
export function bidiagonalSingularValues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  if (e.length !== Math.max(0, n - 1)) throw new RangeError('bidiagonal: e must have length n-1');
  if (n > 1) qrIterate(d, e);
  for (let i = 0; i < n; i++) d[i] = Math.abs(d[i]);
}

/**
 * Absolute threshold below which an off-diagonal entry is set to zero
 * outright: tol times a lower bound on the smallest singular value (the
 * recurrence below is Demmel-Kahan's estimate, within sqrt(n) of it).
 */
function absoluteThreshold(d: Float64Array, e: Float64Array): number {
  const n = d.length;
  let mu = Math.abs(d[0]);
  let smin = mu;
  for (let i = 1; i < n && smin > 0; i++) {
    mu = Math.abs(d[i]) * (mu / (mu + Math.abs(e[i - 1])));
    smin = Math.min(smin, mu);
  }
  return Math.max(TOL * (smin / Math.sqrt(n)), MAX_ITER_PER_VALUE * n * n * SAFE_MIN);
}

/** The main loop: deflate from the bottom until every block is 1x1. */
function qrIterate(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  const thresh = absoluteThreshold(d, e);
  const maxIter = MAX_ITER_PER_VALUE * n * n;
  let iter = 0;
  let hi = n - 1; // bottom row of the part not yet converged
  let oldLo = -1;
  let oldHi = -1;
  let topDown = true;

  while (hi > 0) {
    if (iter > maxIter) throw new Error('singularValues: bidiagonal QR did not converge');

    // Find the active block [lo, hi]: walk up while the superdiagonal is not negligible.
    let smax = Math.abs(d[hi]);
    let lo = 0;
    for (let l = hi - 1; l >= 0; l--) {
      const abse = Math.abs(e[l]);
      if (abse <= thresh) {
        e[l] = 0;
        lo = l + 1;
        break;
      }
      smax = Math.max(smax, Math.abs(d[l]), abse);
    }
    if (lo === hi) {
      hi--; // d[hi] has split off: converged
      continue;
    }
    if (lo === hi - 1) {
      // A 2x2 block has closed-form singular values.
      const [smin2, smax2] = singularValues2x2(d[hi - 1], e[hi - 1], d[hi]);
      d[hi - 1] = smax2;
      e[hi - 1] = 0;
      d[hi] = smin2;
      hi -= 2;
      continue;
    }

    // On a new block, chase the bulge from the larger end towards the smaller.
    if (lo > oldHi || hi < oldLo) topDown = Math.abs(d[lo]) >= Math.abs(d[hi]);

    const sminEstimate = topDown ? convergeTopDown(d, e, lo, hi) : convergeBottomUp(d, e, lo, hi);
    if (sminEstimate < 0) continue; // an e was set to zero: re-split
    oldLo = lo;
    oldHi = hi;

    const shift = chooseShift(d, e, lo, hi, topDown, sminEstimate / smax);
    iter += hi - lo;
    if (shift === 0) {
      if (topDown) zeroShiftSweepDown(d, e, lo, hi, thresh);
      else zeroShiftSweepUp(d, e, lo, hi, thresh);
    } else if (topDown) {
      shiftedSweepDown(d, e, lo, hi, shift, thresh);
    } else {
      shiftedSweepUp(d, e, lo, hi, shift, thresh);
    }
  }
}

/**
 * Relative convergence test for a top-down sweep. Zeroes the first e that
 * is negligible relative to the running lower bound mu on the smallest
 * singular value of the leading part, and returns -1 if it did; otherwise
 * returns the estimate of the smallest singular value of the block.
 */
function convergeTopDown(d: Float64Array, e: Float64Array, lo: number, hi: number): number {
  if (Math.abs(e[hi - 1]) <= TOL * Math.abs(d[hi])) {
    e[hi - 1] = 0;
    return -1;
  }
  let mu = Math.abs(d[lo]);
  let smin = mu;
  for (let l = lo; l < hi; l++) {
    if (Math.abs(e[l]) <= TOL * mu) {
      e[l] = 0;
      return -1;
    }
    mu = Math.abs(d[l + 1]) * (mu / (mu + Math.abs(e[l])));
    smin = Math.min(smin, mu);
  }
  return smin;
}

/** Mirror image of convergeTopDown, for a bottom-up sweep. */
function convergeBottomUp(d: Float64Array, e: Float64Array, lo: number, hi: number): number {
  if (Math.abs(e[lo]) <= TOL * Math.abs(d[lo])) {
    e[lo] = 0;
    return -1;
  }
  let mu = Math.abs(d[hi]);
  let smin = mu;
  for (let l = hi - 1; l >= lo; l--) {
    if (Math.abs(e[l]) <= TOL * mu) {
      e[l] = 0;
      return -1;
    }
    mu = Math.abs(d[l]) * (mu / (mu + Math.abs(e[l])));
    smin = Math.min(smin, mu);
  }
  return smin;
}

/**
 * Wilkinson-like shift: the smaller singular value of the 2x2 block at the
 * end the sweep moves towards. sminOverSmax is the block's estimated
 * smallest over its largest singular value. Zero when that would cost relative accuracy
 * (smallest value tiny next to the largest), or when the shift is negligible
 * anyway - then the zero-shift sweep is both safer and as fast.
 */
function chooseShift(d: Float64Array, e: Float64Array, lo: number, hi: number, topDown: boolean, sminOverSmax: number): number {
  // As in dbdsqr, n is the order of the whole matrix, not of the block.
  if (d.length * TOL * sminOverSmax <= Math.max(EPS, 0.01 * TOL)) return 0;
  let sll: number;
  let shift: number;
  if (topDown) {
    sll = Math.abs(d[lo]);
    shift = singularValues2x2(d[hi - 1], e[hi - 1], d[hi])[0];
  } else {
    sll = Math.abs(d[hi]);
    shift = singularValues2x2(d[lo], e[lo], d[lo + 1])[0];
  }
  if (sll > 0 && (shift / sll) * (shift / sll) < EPS) return 0;
  return shift;
}

// ---------------------------------------------------------------------------
// Plane rotations

/**
 * Results [c, s, r] of the last `rotate` call. A typed array, not module-level
 * `let`s: V8 boxes every double written to a module variable, and that heap
 * allocation per rotation made the sweeps several times slower.
 */
const ROT = new Float64Array(3);

const ROOT_MIN = Math.sqrt(SAFE_MIN);
const ROOT_MAX = Math.sqrt(Number.MAX_VALUE / 2);

/**
 * Givens rotation [c s; -s c] with c*f + s*g = r, -s*f + c*g = 0. r takes
 * the sign of f (so c >= 0). Squares are formed directly when they cannot
 * over- or underflow, else after scaling by max(|f|, |g|).
 */
function rotate(f: number, g: number): void {
  if (g === 0) {
    ROT[0] = 1;
    ROT[1] = 0;
    ROT[2] = f;
    return;
  }
  if (f === 0) {
    ROT[0] = 0;
    ROT[1] = Math.sign(g);
    ROT[2] = Math.abs(g);
    return;
  }
  const af = Math.abs(f);
  const ag = Math.abs(g);
  let r: number;
  if (af > ROOT_MIN && af < ROOT_MAX && ag > ROOT_MIN && ag < ROOT_MAX) {
    r = Math.sqrt(f * f + g * g);
  } else {
    const scale = Math.max(af, ag);
    const fs = f / scale;
    const gs = g / scale;
    r = scale * Math.sqrt(fs * fs + gs * gs);
  }
  if (f < 0) r = -r;
  ROT[0] = f / r;
  ROT[1] = g / r;
  ROT[2] = r;
}

// ---------------------------------------------------------------------------
// Sweeps. Each applies one implicit QR step to the block [lo, hi] by chasing
// a bulge with alternating right and left rotations.

/** Demmel-Kahan zero-shift QR sweep, top to bottom. */
function zeroShiftSweepDown(d: Float64Array, e: Float64Array, lo: number, hi: number, thresh: number): void {
  let cs = 1;
  let oldCs = 1;
  let oldSn = 0;
  for (let i = lo; i < hi; i++) {
    rotate(d[i] * cs, e[i]);
    cs = ROT[0];
    const sn = ROT[1];
    const r = ROT[2];
    if (i > lo) e[i - 1] = oldSn * r;
    rotate(oldCs * r, d[i + 1] * sn);
    oldCs = ROT[0];
    oldSn = ROT[1];
    d[i] = ROT[2];
  }
  const h = d[hi] * cs;
  d[hi] = h * oldCs;
  e[hi - 1] = h * oldSn;
  if (Math.abs(e[hi - 1]) <= thresh) e[hi - 1] = 0;
}

/** Demmel-Kahan zero-shift QR sweep, bottom to top. */
function zeroShiftSweepUp(d: Float64Array, e: Float64Array, lo: number, hi: number, thresh: number): void {
  let cs = 1;
  let oldCs = 1;
  let oldSn = 0;
  for (let i = hi; i > lo; i--) {
    rotate(d[i] * cs, e[i - 1]);
    cs = ROT[0];
    const sn = ROT[1];
    const r = ROT[2];
    if (i < hi) e[i] = oldSn * r;
    rotate(oldCs * r, d[i - 1] * sn);
    oldCs = ROT[0];
    oldSn = ROT[1];
    d[i] = ROT[2];
  }
  const h = d[lo] * cs;
  d[lo] = h * oldCs;
  e[lo] = h * oldSn;
  if (Math.abs(e[lo]) <= thresh) e[lo] = 0;
}

/** Implicit shifted QR sweep (Golub-Kahan step), top to bottom. */
function shiftedSweepDown(d: Float64Array, e: Float64Array, lo: number, hi: number, shift: number, thresh: number): void {
  // First column of B^T B - shift^2 I, scaled by 1/d[lo] to avoid overflow.
  let f = (Math.abs(d[lo]) - shift) * (Math.sign(d[lo]) + shift / d[lo]);
  let g = e[lo];
  for (let i = lo; i < hi; i++) {
    rotate(f, g); // right rotation on columns i, i+1
    const cr = ROT[0];
    const sr = ROT[1];
    if (i > lo) e[i - 1] = ROT[2];
    f = cr * d[i] + sr * e[i];
    e[i] = cr * e[i] - sr * d[i];
    g = sr * d[i + 1];
    d[i + 1] = cr * d[i + 1];
    rotate(f, g); // left rotation on rows i, i+1
    const cl = ROT[0];
    const sl = ROT[1];
    d[i] = ROT[2];
    f = cl * e[i] + sl * d[i + 1];
    d[i + 1] = cl * d[i + 1] - sl * e[i];
    if (i < hi - 1) {
      g = sl * e[i + 1];
      e[i + 1] = cl * e[i + 1];
    }
  }
  e[hi - 1] = f;
  if (Math.abs(e[hi - 1]) <= thresh) e[hi - 1] = 0;
}

/** Implicit shifted QR sweep, bottom to top (the mirror of shiftedSweepDown). */
function shiftedSweepUp(d: Float64Array, e: Float64Array, lo: number, hi: number, shift: number, thresh: number): void {
  let f = (Math.abs(d[hi]) - shift) * (Math.sign(d[hi]) + shift / d[hi]);
  let g = e[hi - 1];
  for (let i = hi; i > lo; i--) {
    rotate(f, g);
    const cr = ROT[0];
    const sr = ROT[1];
    if (i < hi) e[i] = ROT[2];
    f = cr * d[i] + sr * e[i - 1];
    e[i - 1] = cr * e[i - 1] - sr * d[i];
    g = sr * d[i - 1];
    d[i - 1] = cr * d[i - 1];
    rotate(f, g);
    const cl = ROT[0];
    const sl = ROT[1];
    d[i] = ROT[2];
    f = cl * e[i - 1] + sl * d[i - 1];
    d[i - 1] = cl * d[i - 1] - sl * e[i - 1];
    if (i > lo + 1) {
      g = sl * e[i - 2];
      e[i - 2] = cl * e[i - 2];
    }
  }
  e[lo] = f;
  if (Math.abs(e[lo]) <= thresh) e[lo] = 0;
}

/**
 * Singular values [smaller, larger] of the 2x2 upper triangular [f g; 0 h],
 * computed without forming squares that could over/underflow and with high
 * relative accuracy for the smaller one (the formulas of LAPACK's dlas2).
 */
export function singularValues2x2(f: number, g: number, h: number): [number, number] {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn === 0) {
    if (fhmx === 0) return [0, ga];
    const big = Math.max(fhmx, ga);
    const small = Math.min(fhmx, ga);
    return [0, big * Math.sqrt(1 + (small / big) * (small / big))];
  }
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) * (ga / fhmx);
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return [fhmn * c, fhmx / c];
  }
  const au = fhmx / ga;
  if (au === 0) {
    // |g| dwarfs |f| and |h| beyond double range: sigma_min = |f h| / |g|.
    return [(fhmn * fhmx) / ga, ga];
  }
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) * (as * au)) + Math.sqrt(1 + (at * au) * (at * au)));
  return [2 * (fhmn * c) * au, ga / (c + c)];
}
