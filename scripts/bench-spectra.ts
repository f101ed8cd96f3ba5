// Times src/core/spectra's singularValues against ml-matrix's SVD (values
// only) on the layer shapes RankLab measures, and checks that they agree.
//
//   npx tsx scripts/bench-spectra.ts
//
// ml-matrix is a devDependency: this script is the only place it is used.

import { pathToFileURL } from 'node:url';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { createRandom } from '../src/core/random';
import { singularValues } from '../src/core/spectra/singularValues';

export interface SpectraBenchRow {
  rows: number;
  cols: number;
  /** Median wall time of one call, in milliseconds. */
  oursMs: number;
  mlMatrixMs: number;
  /** Largest |ours_i - mlMatrix_i| over the sorted singular values. */
  maxDiff: number;
}

/** The weight shapes of RankLab's models: MLP 784-512-512-10 style layers and small ones. */
export const BENCH_SHAPES: Array<[number, number]> = [
  [512, 784],
  [512, 512],
  [100, 784],
  [100, 100],
  [10, 100],
];

function randomWeights(rows: number, cols: number, seed: number): Float32Array {
  const random = createRandom(seed, 'bench-spectra');
  const out = new Float32Array(rows * cols);
  const std = Math.sqrt(2 / cols);
  for (let i = 0; i < out.length; i++) out[i] = random.normal() * std;
  return out;
}

function mlMatrixSingularValues(data: Float32Array, rows: number, cols: number): number[] {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) m.set(i, j, data[i * cols + j]);
  }
  const svd = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return [...svd.diagonal].sort((a, b) => b - a);
}

/** Median time in ms of `repeats` calls of fn (after one warm-up call), and fn's last result. */
function timeMedian<T>(fn: () => T, repeats: number): { ms: number; result: T } {
  let result = fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

export async function benchSpectra(
  shapes: Array<[number, number]> = BENCH_SHAPES,
  repeats = 5,
): Promise<SpectraBenchRow[]> {
  const rows: SpectraBenchRow[] = [];
  for (const [r, c] of shapes) {
    const data = randomWeights(r, c, r * 100_003 + c);
    const ours = timeMedian(() => singularValues(data, r, c), repeats);
    const theirs = timeMedian(() => mlMatrixSingularValues(data, r, c), repeats);
    let maxDiff = 0;
    for (let i = 0; i < ours.result.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(ours.result[i] - theirs.result[i]));
    }
    rows.push({ rows: r, cols: c, oursMs: ours.ms, mlMatrixMs: theirs.ms, maxDiff });
  }
  return rows;
}

function printTable(rows: SpectraBenchRow[]): void {
  console.log('shape        ours (ms)  ml-matrix (ms)  speed-up  max |diff|');
  for (const row of rows) {
    console.log(
      `${`${row.rows}x${row.cols}`.padEnd(11)} ${row.oursMs.toFixed(2).padStart(10)} ${row.mlMatrixMs
        .toFixed(2)
        .padStart(15)} ${(row.mlMatrixMs / row.oursMs).toFixed(1).padStart(8)}x  ${row.maxDiff.toExponential(2)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchSpectra());
}
