// Rank measures of a weight matrix, from its singular values.
//
// The headline number is the authors' epsilon-rank: the number of singular
// values of W / ||W||_F above eps. Normalising by the Frobenius norm makes it
// scale-free, so weight decay shrinking every weight does not by itself lower
// the rank; only a spectrum that concentrates on fewer directions does.

import { singularValues } from './singularValues';

/** sum (s_i / largest)^2: dividing first means squares can neither overflow nor underflow. */
function sumSquaresRelative(values: ArrayLike<number>, largest: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const t = values[i] / largest;
    sum += t * t;
  }
  return sum;
}

/** Scale-safe sqrt(sum s_i^2). */
function euclideanNorm(values: ArrayLike<number>): number {
  const largest = maxAbs(values);
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  return largest * Math.sqrt(sumSquaresRelative(values, largest));
}

function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (v > largest || Number.isNaN(v)) largest = v;
  }
  return largest;
}

/**
 * Epsilon-rank: how many s_i / ||s||_2 are strictly greater than eps, where
 * ||s||_2 = ||W||_F. Equals numpy.linalg.matrix_rank(W / ||W||_F, tol=eps).
 * The zero matrix has rank 0. A spectrum with NaN or infinite values (a
 * diverged layer) has no rank: NaN, so it cannot pass for a rank collapse.
 */
export function rankEps(singularValues: ArrayLike<number>, eps: number): number {
  const fro = euclideanNorm(singularValues);
  if (fro === 0) return 0;
  if (!Number.isFinite(fro)) return Number.NaN;
  let count = 0;
  for (let i = 0; i < singularValues.length; i++) {
    if (singularValues[i] / fro > eps) count++;
  }
  return count;
}

/**
 * Stable rank ||W||_F^2 / ||W||_2^2 = sum s_i^2 / max s_i^2: between 1 and
 * the rank, and unlike the rank it changes continuously with W. 0 for the
 * zero matrix.
 */
export function stableRank(singularValues: ArrayLike<number>): number {
  const largest = maxAbs(singularValues);
  if (largest === 0) return 0;
  return sumSquaresRelative(singularValues, largest);
}

/** The spectrum divided by its 2-norm (= singular values of W / ||W||_F); zeros for the zero matrix. */
export function normalisedSpectrum(singularValues: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(singularValues);
  const fro = euclideanNorm(out);
  if (fro === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] /= fro;
  return out;
}

/** One layer's spectrum and rank measures, as plain data (structured-clone and JSON friendly). */
export interface LayerSpectrum {
  name: string;
  /** [rows, cols] of the matrix the values belong to. */
  shape: [number, number];
  /** All min(rows, cols) singular values, descending. */
  singularValues: number[];
  /** rankEps at the eps it was measured with. */
  rank: number;
  stableRank: number;
  frobeniusNorm: number;
}

/**
 * Singular values and rank measures of the row-major rows x cols matrix in
 * `data` (e.g. a Float32Array read back from a tfjs weight).
 */
export function measureLayer(name: string, data: ArrayLike<number>, rows: number, cols: number, eps: number): LayerSpectrum {
  const sv = singularValues(data, rows, cols);
  return {
    name,
    shape: [rows, cols],
    singularValues: Array.from(sv),
    rank: rankEps(sv, eps),
    stableRank: stableRank(sv),
    frobeniusNorm: euclideanNorm(sv),
  };
}

/** Average epsilon-rank over layers (NaN for no layers, or if any layer's rank is NaN). */
export function meanRank(layers: ReadonlyArray<Pick<LayerSpectrum, 'rank'>>): number {
  if (layers.length === 0) return Number.NaN;
  let sum = 0;
  for (const layer of layers) sum += layer.rank;
  return sum / layers.length;
}

/**
 * Numerical rank with LAPACK's default tolerance, as numpy.linalg.matrix_rank uses it:
 * singular values above max(rows, cols) * machineEpsilon * s_max. For a gradient the
 * question is its exact algebraic rank (at most B*R), not the paper's eps-rank, so
 * only rounding noise is cut. Gradients come from float32, hence float32's epsilon.
 */
export function numericalRank(sv: ArrayLike<number>, rows: number, cols: number, machineEpsilon = 2 ** -23): number {
  if (sv.length === 0 || !(sv[0] > 0)) return 0;
  const tol = Math.max(rows, cols) * machineEpsilon * sv[0];
  let r = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i] > tol) r++;
  return r;
}
