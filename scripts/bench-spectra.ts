// Singular values: ours against LAPACK, side by side in the same run, and against
// ml-matrix.
//
//   npx tsx scripts/bench-spectra.ts [rounds] [--no-relaxed-simd]     (default 7 rounds)
//
// 1. Per network (every weight matrix of a layer, stored as the trainer stores it:
//    row-major [d_in, d_out], float32): the time of our singular values for all of them
//    against numpy.linalg.svd(W, compute_uv=False) in float64 on the same matrices, in
//    Debian's /usr/bin/python3 (scripts/lapack-svd.py, started once, fed the matrices
//    as .npy files). The two sides alternate, one pass over the network each, for
//    `rounds` rounds, so both see the same machine load; medians are printed. The
//    child runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its
//    environment, so OpenBLAS picks its own kernels, threads and cache sizes.
//    Networks: the default 784-128-128-128-10 and 784-512-512-512-10 with He-normal
//    weights, the same shapes with trained-like low-rank weights (a product of thin
//    matrices plus small noise), and rank-8 last-batch gradients (X^T dY in float32,
//    as a snapshot measures them).
//    Ours is timed in both builds of the kernels (src/core/spectra/gram.ts): plain
//    WebAssembly SIMD, what Node 20 runs by default, and the fused multiply-add build
//    (relaxed SIMD), what Chrome 114+, Node 22+ and this repository's CLI (which turns
//    the flag on in Node 20, src/node/relaxedSimd.ts) run; this script turns it on too
//    unless given --no-relaxed-simd.
//    Deviation: max |ours_i - lapack_i| / lapack_0 over the values above
//    1e-7 * lapack_0 (the contract: <= 1e-9), and over all values.
// 2. ml-matrix on single matrices (benchSpectra).
//
// ml-matrix is a devDependency: this script is the only place it is used.

import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { decodeNpy, encodeNpy } from '../src/core/npy';
import { createRandom, type Random } from '../src/core/random';
import { gramSingularValuesOn, loadSpectraKernels, spectraKernelsName } from '../src/core/spectra/gram';
import { singularValues } from '../src/core/spectra/singularValues';

// ---------------------------------------------------------------- ml-matrix (single matrices)

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

function printMlMatrixTable(rows: SpectraBenchRow[]): void {
  console.log('   shape        ours (ms)  ml-matrix (ms)  speed-up  max |diff|');
  for (const row of rows) {
    console.log(
      `   ${`${row.rows}x${row.cols}`.padEnd(11)} ${row.oursMs.toFixed(2).padStart(10)} ${row.mlMatrixMs
        .toFixed(2)
        .padStart(15)} ${(row.mlMatrixMs / row.oursMs).toFixed(1).padStart(8)}x  ${row.maxDiff.toExponential(2)}`,
    );
  }
}

// ---------------------------------------------------------------- the networks

/** One weight matrix as the trainer hands it over: row-major rows x cols float32. */
export interface BenchMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface BenchSet {
  name: string;
  matrices: BenchMatrix[];
}

/** Layer widths -> the stored [d_in, d_out] shapes. */
const layerShapes = (widths: number[]): Array<[number, number]> => widths.slice(1).map((dOut, i) => [widths[i], dOut]);

/** He-normal, as src/core/models/layers.ts: std sqrt(2/fan_in) before ReLU, sqrt(1/fan_in) before the logits. */
function heWeights(random: Random, dIn: number, dOut: number, last: boolean): BenchMatrix {
  const std = Math.sqrt((last ? 1 : 2) / dIn);
  const data = new Float32Array(dIn * dOut);
  for (let i = 0; i < data.length; i++) data[i] = random.normal() * std;
  return { rows: dIn, cols: dOut, data };
}

/**
 * Trained-like: A B with A d_in x r and B r x d_out Gaussian (scaled to He size), plus
 * He-sized Gaussian noise times `noise`: r strong directions over a floor, as weight
 * decay leaves the initialisation (rho^t W_0) under what the gradients built.
 */
function lowRankWeights(random: Random, dIn: number, dOut: number, rank: number, noise: number): BenchMatrix {
  const std = Math.sqrt(2 / dIn);
  const r = Math.min(rank, dIn, dOut);
  const a = Float64Array.from({ length: dIn * r }, () => random.normal());
  const b = Float64Array.from({ length: r * dOut }, () => random.normal());
  const data = new Float32Array(dIn * dOut);
  const c = std / Math.sqrt(r);
  for (let i = 0; i < dIn; i++) {
    for (let j = 0; j < dOut; j++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += a[i * r + k] * b[k * dOut + j];
      data[i * dOut + j] = c * sum + noise * std * random.normal();
    }
  }
  return { rows: dIn, cols: dOut, data };
}

/** A last-batch gradient X^T dY (B = batch rows), summed in float32 like a float32 matmul: rank <= B plus rounding. */
function gradient(random: Random, dIn: number, dOut: number, batch: number): BenchMatrix {
  const x = Float32Array.from({ length: batch * dIn }, () => Math.max(0, random.normal()));
  const dy = Float32Array.from({ length: batch * dOut }, () => random.normal() * 0.01);
  const data = new Float32Array(dIn * dOut);
  for (let i = 0; i < dIn; i++) {
    for (let j = 0; j < dOut; j++) {
      let sum = 0;
      for (let b = 0; b < batch; b++) sum = Math.fround(sum + Math.fround(x[b * dIn + i] * dy[b * dOut + j]));
      data[i * dOut + j] = sum / batch;
    }
  }
  return { rows: dIn, cols: dOut, data };
}

const DEFAULT_NET = [784, 128, 128, 128, 10];
const BIG_NET = [784, 512, 512, 512, 10];

export function benchSets(): BenchSet[] {
  const random = createRandom(7, 'bench-spectra-lapack');
  const he = (widths: number[]) => layerShapes(widths).map(([i, o], k, all) => heWeights(random, i, o, k === all.length - 1));
  const lowRank = (widths: number[], rank: number, noise: number) =>
    layerShapes(widths).map(([i, o]) => lowRankWeights(random, i, o, Math.min(rank, Math.ceil(o / 2)), noise));
  const grads = (widths: number[]) => layerShapes(widths).map(([i, o]) => gradient(random, i, o, 8));
  return [
    { name: '784-128-128-128-10 He init', matrices: he(DEFAULT_NET) },
    { name: '784-512-512-512-10 He init', matrices: he(BIG_NET) },
    { name: '784-128-128-128-10 rank 16 + 1e-3 noise', matrices: lowRank(DEFAULT_NET, 16, 1e-3) },
    { name: '784-512-512-512-10 rank 32 + 1e-3 noise', matrices: lowRank(BIG_NET, 32, 1e-3) },
    { name: '784-512-512-512-10 rank 32 + 1e-6 noise', matrices: lowRank(BIG_NET, 32, 1e-6) },
    { name: '784-512-512-512-10 rank-8 gradients', matrices: grads(BIG_NET) },
  ];
}

// ---------------------------------------------------------------- the LAPACK child

interface LapackChild {
  info: { numpy: string; blas: Record<string, unknown> };
  request(line: string): Promise<Record<string, unknown>>;
  close(): void;
}

async function startLapack(dir: string): Promise<LapackChild> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'lapack-svd.py');
  // Full speed for LAPACK: OpenBLAS chooses its kernels, threads and cache blocking itself.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = spawn('/usr/bin/python3', [script, dir], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('lapack-svd.py exited');
    return JSON.parse(value) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    info: ready as unknown as LapackChild['info'],
    request: async (line) => {
      child.stdin.write(`${line}\n`);
      const reply = await next();
      if (reply.error) throw new Error(String(reply.error));
      return reply;
    },
    close: () => {
      child.stdin.write('quit\n');
      child.stdin.end();
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** One of our implementations: a name and a function from a matrix to its singular values. */
export interface OursVariant {
  name: string;
  run: (mx: BenchMatrix) => Float64Array;
}

/** Both builds of the Gram kernels that load here, each on its own instance. */
export function oursVariants(): OursVariant[] {
  const out: OursVariant[] = [];
  for (const build of ['simd', 'fma'] as const) {
    const k = loadSpectraKernels(build);
    if (k) out.push({ name: build === 'fma' ? 'ours, FMA' : 'ours, SIMD', run: (mx) => gramSingularValuesOn(k, mx.data, mx.rows, mx.cols)! });
  }
  return out;
}

export interface LapackRow {
  name: string;
  /** Per variant of ours, then LAPACK last: median and min over rounds of one pass over the set, ms. */
  medianMs: number[];
  minMs: number[];
  /** Per variant of ours: max |ours_i - lapack_i| / lapack_0 over values > 1e-7 lapack_0, over every matrix, and over all values. */
  devAbove: number[];
  devAll: number[];
  /** Per matrix: shape and median ms per variant (LAPACK last). */
  perMatrix: Array<{ shape: string; medianMs: number[] }>;
}

function deviation(ours: Float64Array, ref: Float64Array): { devAbove: number; devAll: number } {
  let devAbove = 0;
  let devAll = 0;
  const s0 = ref[0];
  if (!(s0 > 0)) return { devAbove, devAll };
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ours[i] - ref[i]) / s0;
    devAll = Math.max(devAll, d);
    if (ref[i] > 1e-7 * s0) devAbove = Math.max(devAbove, d);
  }
  return { devAbove, devAll };
}

/** Ours (every variant) against LAPACK on every set, alternating one pass each for `rounds` rounds. */
export async function benchAgainstLapack(
  sets: BenchSet[],
  variants: OursVariant[],
  rounds = 7,
): Promise<{ rows: LapackRow[]; info: LapackChild['info'] }> {
  const dir = mkdtempSync(join(tmpdir(), 'ranklab-bench-spectra-'));
  try {
    // Sets are named set0, set1, ... on the wire (the protocol splits on whitespace).
    const files = sets.map((set, si) =>
      set.matrices.map((mx, mi) => {
        const file = `s${si}_m${mi}.npy`;
        writeFileSync(join(dir, file), encodeNpy(mx.data, [mx.rows, mx.cols]));
        return file;
      }),
    );
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ sets: Object.fromEntries(files.map((f, si) => [`set${si}`, f])) }));
    const lapack = await startLapack(dir);
    try {
      // Reference values (and LAPACK's warm-up), then ours (our warm-up: the kernels compile and tier up).
      for (let si = 0; si < sets.length; si++) await lapack.request(`values set${si}`);
      const ours = variants.map((v) => sets.map((set) => set.matrices.map((mx) => v.run(mx))));
      for (const v of variants) for (const set of sets) for (const mx of set.matrices) v.run(mx);

      const sides = variants.length + 1; // LAPACK is the last side
      const totals: number[][][] = sets.map(() => Array.from({ length: sides }, () => []));
      const per: number[][][][] = sets.map((set) => set.matrices.map(() => Array.from({ length: sides }, () => [])));
      for (let r = 0; r < rounds; r++) {
        for (let si = 0; si < sets.length; si++) {
          variants.forEach((v, vi) => {
            const t0 = performance.now();
            sets[si].matrices.forEach((mx, mi) => {
              const t = performance.now();
              v.run(mx);
              per[si][mi][vi].push(performance.now() - t);
            });
            totals[si][vi].push(performance.now() - t0);
          });
          const reply = (await lapack.request(`time set${si} 1`)) as { totalMs: number[]; perMatrixMs: number[][] };
          totals[si][sides - 1].push(reply.totalMs[0]);
          reply.perMatrixMs.forEach((ms, mi) => per[si][mi][sides - 1].push(ms[0]));
        }
      }

      const rows = sets.map((set, si): LapackRow => {
        const refs = set.matrices.map((_, mi) => decodeNpy(readFileSync(join(dir, `${files[si][mi]}.s.npy`))).data as Float64Array);
        const devs = variants.map((_, vi) => set.matrices.map((__, mi) => deviation(ours[vi][si][mi], refs[mi])));
        return {
          name: set.name,
          medianMs: totals[si].map(median),
          minMs: totals[si].map((t) => Math.min(...t)),
          devAbove: devs.map((d) => Math.max(...d.map((x) => x.devAbove))),
          devAll: devs.map((d) => Math.max(...d.map((x) => x.devAll))),
          perMatrix: set.matrices.map((mx, mi) => ({ shape: `${mx.rows}x${mx.cols}`, medianMs: per[si][mi].map(median) })),
        };
      });
      return { rows, info: lapack.info };
    } finally {
      lapack.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describeBlas(info: LapackChild['info']): string {
  const b = info.blas as Record<string, unknown>;
  const parts = [`numpy ${info.numpy}`];
  if (b.threadpoolctl) parts.push(`threadpoolctl: ${JSON.stringify(b.threadpoolctl)}`);
  else parts.push('threadpoolctl not installed');
  if (b.openblas_config) parts.push(`${b.openblas_config}, core ${b.openblas_core}, ${b.openblas_threads} threads`);
  const libs = (b.loaded_libraries as string[] | undefined) ?? [];
  if (libs.length > 0) parts.push(`loaded: ${libs.join(', ')}`);
  parts.push(`OPENBLAS* in the child's env: ${JSON.stringify(b.env)}`);
  return parts.join('\n   ');
}

function printLapackTable(rows: LapackRow[], variants: OursVariant[], rounds: number): void {
  const names = [...variants.map((v) => v.name), 'LAPACK'];
  console.log(`   ms: median of ${rounds} alternating rounds [min]; ratio = ours / LAPACK (medians); dev = max |ours - LAPACK| / sigma_max`);
  console.log(`   ${'network'.padEnd(41)} ${names.map((n) => n.padStart(17)).join(' ')}  ${variants.map((v) => `${v.name} / LAPACK`.padStart(20)).join(' ')}`);
  for (const r of rows) {
    const cells = r.medianMs.map((ms, i) => `${ms.toFixed(1).padStart(7)} [${r.minMs[i].toFixed(1).padStart(6)}]`.padStart(17));
    const ratios = variants.map((_, vi) => `${(r.medianMs[vi] / r.medianMs[variants.length]).toFixed(2)}x`.padStart(20));
    console.log(`   ${r.name.padEnd(41)} ${cells.join(' ')}  ${ratios.join(' ')}`);
    for (const p of r.perMatrix) {
      const pc = p.medianMs.map((ms) => ms.toFixed(2).padStart(17));
      const pr = variants.map((_, vi) => `${(p.medianMs[vi] / p.medianMs[variants.length]).toFixed(2)}x`.padStart(20));
      console.log(`      ${p.shape.padEnd(38)} ${pc.join(' ')}  ${pr.join(' ')}`);
    }
    const dev = variants.map((v, vi) => `${v.name}: ${r.devAbove[vi].toExponential(1)} (all values ${r.devAll[vi].toExponential(1)})`);
    console.log(`      max deviation from LAPACK over values > 1e-7 sigma_max, relative to sigma_max: ${dev.join('; ')}`);
  }
  // A snapshot measures the weights and the last-batch gradients of every layer.
  const weights = rows.find((r) => r.name === '784-512-512-512-10 He init');
  const gradients = rows.find((r) => r.name === '784-512-512-512-10 rank-8 gradients');
  if (weights && gradients) {
    const sum = names.map((n, i) => `${n} ${(weights.medianMs[i] + gradients.medianMs[i]).toFixed(1)} ms`);
    console.log(`   the SVDs of one snapshot of 784-512-512-512-10 (weights + gradients, sums of medians): ${sum.join(', ')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 7);
  // As src/node/relaxedSimd.ts does for the CLI: Node 20 compiles relaxed SIMD only behind this flag.
  if (!args.includes('--no-relaxed-simd')) setFlagsFromString('--experimental-wasm-relaxed-simd');
  const variants = oursVariants();
  console.log(`singular values of every weight matrix, ours vs numpy.linalg.svd(W, compute_uv=False) — Node ${process.version}`);
  console.log(`   ours: ${variants.map((v) => v.name).join(' and ')} (src/core/spectra/gram.ts, one thread); singularValues here runs ${spectraKernelsName()}`);
  const { rows, info } = await benchAgainstLapack(benchSets(), variants, rounds);
  console.log(`   LAPACK: ${describeBlas(info)}`);
  printLapackTable(rows, variants, rounds);
  console.log('\nsingle matrices, ours (singularValues) vs ml-matrix (median of 5)');
  printMlMatrixTable(await benchSpectra());
}
