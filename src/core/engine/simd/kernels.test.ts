// The SIMD engine's kernels against plain loops, on the odd shapes the blocked code
// handles separately (row and column tails, k = 1), and the engine against the tfjs
// engine on what the replay fixtures do not cover (tanh, BatchNorm with tanh in a CNN).

import '../../../node/relaxedSimd'; // both builds, plain and fused multiply-add, are tested
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config';
import { teacherDataset } from '../../data/teacher';
import { createRandom } from '../../random';
import { useCpuBackend } from '../../train/testing';
import { Trainer } from '../../train/trainer';
import { availableKernelBuilds, instantiateKernels, prepareKernels, type Kernels } from './kernels';
import { SimdEngine } from './simdEngine';
import { datasetFor } from '../../data/forConfig';
import { readMnist } from '../../../node/mnistFile';

beforeAll(useCpuBackend);

it('both kernel builds load here (relaxed SIMD is switched on for Node)', () => {
  expect(availableKernelBuilds()).toEqual(['fma', 'plain']);
});

describe.each(['fma', 'plain'] as const)('gemm and gemmNT (%s build)', (build) => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  // Small products run unpacked; from 64 rows and a depth of 64 on, B is packed into panels (with A too when transposed).
  const shapes = [[8, 32, 784], [5, 10, 7], [9, 13, 3], [1, 1, 1], [4, 8, 2], [7, 100, 33], [3, 5, 1],
    [64, 16, 64], [67, 21, 70], [65, 8, 64], [70, 40, 66], [66, 7, 65], [64, 19, 63]];
  describe.each([['unpacked', false], ['with a workspace', true]] as const)('%s', (_, packed) => {
    it.each(shapes)('C = 0.5 A B + 2 C, A B^T and A^T B agree with a plain loop for %i x %i x %i', async (m, n, kk) => {
      await prepareKernels(build);
      const kernels = instantiateKernels(memory);
      const base = kernels.heapBase();
      const A = (base + 15) & ~15, B = A + 4 * m * kk + 64, C = B + 4 * kk * n + 64, W = C + 4 * m * n + 64;
      const workspaceBytes = 4 * kk * (n + 4);
      kernels.setWorkspace(packed ? W : 0, packed ? workspaceBytes : 0);
      const f = new Float32Array(memory.buffer);
      const r = createRandom(m * 1000 + n * 10 + kk, 'gemm');
      for (let i = A >> 2; i < (C >> 2) + m * n; i++) f[i] = r.normal();
      f.fill(NaN, W >> 2, (W + workspaceBytes) >> 2); // a stale workspace must not leak into C
      const c0 = f.slice(C >> 2, (C >> 2) + m * n);
      for (const layout of ['NN', 'TN', 'NT'] as const) {
        f.set(c0, C >> 2);
        const a = (i: number, p: number) => (layout === 'TN' ? f[(A >> 2) + p * m + i] : f[(A >> 2) + i * kk + p]);
        const b = (p: number, j: number) => (layout === 'NT' ? f[(B >> 2) + j * kk + p] : f[(B >> 2) + p * n + j]);
        if (layout === 'NT') kernels.gemmNT(m, n, kk, A, kk, B, kk, C, n, 0.5, 2);
        else kernels.gemm(m, n, kk, A, layout === 'TN' ? 1 : kk, layout === 'TN' ? m : 1, B, n, C, n, 0.5, 2);
        let worst = 0;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < kk; p++) s += a(i, p) * b(p, j);
          const expected = 0.5 * s + 2 * c0[i * n + j];
          const got = f[(C >> 2) + i * n + j];
          worst = Math.max(worst, Number.isNaN(got) ? Infinity : Math.abs(got - expected) / (1 + Math.abs(expected)));
        }
        expect(worst, layout).toBeLessThan(1e-5);
      }
    });
  });

  it.each([[9, 10, 300], [6, 7, 50], [5, 13, 40]])('sums its last 1-3 columns as float32 scalar code does (a multiply, then an add), bit for bit: %i x %i x %i', async (m, n, kk) => {
    // Those columns used to be summed one at a time in scalar code; they are vectors now, and a
    // run must not change (the sweep presets quote its numbers).
    await prepareKernels(build);
    const kernels = instantiateKernels(memory);
    kernels.setWorkspace(0, 0);
    const A = (kernels.heapBase() + 15) & ~15, B = A + 4 * m * kk, C = B + 4 * kk * n;
    const f = new Float32Array(memory.buffer);
    const r = createRandom(m + n + kk, 'gemm tail');
    for (let i = A >> 2; i < (C >> 2) + m * n; i++) f[i] = r.normal();
    const c0 = f.slice(C >> 2, (C >> 2) + m * n);
    kernels.gemm(m, n, kk, A, kk, 1, B, n, C, n, 0.5, 2);
    const fr = Math.fround;
    const firstPart = (n & ~7) + 4 * Math.floor((n - (n & ~7)) / 4);
    for (let i = 0; i < m; i++) for (let j = firstPart; j < n; j++) {
      let s = 0;
      for (let p = 0; p < kk; p++) s = fr(s + fr(f[(A >> 2) + i * kk + p] * f[(B >> 2) + p * n + j]));
      expect(f[(C >> 2) + i * n + j], `C[${i}, ${j}]`).toBe(fr(fr(0.5 * s) + fr(2 * c0[i * n + j])));
    }
  });

  it('packing changes no bit of gemm: the same sums in the same order', async () => {
    await prepareKernels(build);
    const kernels = instantiateKernels(memory);
    const [m, n, kk] = [69, 27, 70];
    const A = (kernels.heapBase() + 15) & ~15, B = A + 4 * m * kk, C = B + 4 * kk * n, W = C + 4 * m * n;
    const f = new Float32Array(memory.buffer);
    const r = createRandom(7, 'gemm bits');
    for (let i = A >> 2; i < C >> 2; i++) f[i] = r.normal();
    const results = [false, true].flatMap((packed) => {
      kernels.setWorkspace(packed ? W : 0, packed ? 4 * kk * (n + 4) : 0);
      return (['NN', 'TN'] as const).map((layout) => {
        kernels.gemm(m, n, kk, A, layout === 'TN' ? 1 : kk, layout === 'TN' ? m : 1, B, n, C, n, 1, 0);
        return f.slice(C >> 2, (C >> 2) + m * n);
      });
    });
    expect(results[2]).toEqual(results[0]);
    expect(results[3]).toEqual(results[1]);
  });
});

describe.each(['fma', 'plain'] as const)('the SIMD engine (%s build) equals the tfjs engine', (build) => {
  it.each([
    ['MLP-BN with tanh', { model: 'mlp', depth: 3, width: 12, batchNorm: true, activation: 'tanh', batchSize: 6 }],
    ['CNN-BN with tanh', { model: 'cnn', depth: 3, width: 5, batchNorm: true, activation: 'tanh', batchSize: 3 }],
    ['CNN with relu, odd batch', { model: 'cnn', depth: 2, width: 6, batchNorm: false, activation: 'relu', batchSize: 5 }],
  ] as const)('%s: gradients, 20 steps of training and the test pass', async (_, overrides) => {
    await prepareKernels(build);
    const config = parseConfig({ learningRate: 0.05, weightDecay: 0.01, seed: 2, ...overrides }).config;
    const data = teacherDataset(2);
    const [a, b] = [new Trainer(config, data, 'tfjs'), new Trainer(config, data, 'simd')];
    const batch = Int32Array.from({ length: config.batchSize }, (_, i) => 3 * i + 1);
    // Largest difference relative to the tensor's scale, at least 0.01: a bias in front of BatchNorm
    // gets no gradient and holds only rounding noise (~1e-9), which no two engines share.
    const relative = (x: Float32Array[], y: Float32Array[]) => Math.max(...x.map((t, l) => {
      let diff = 0, scale = 0.01;
      for (let i = 0; i < t.length; i++) { diff = Math.max(diff, Math.abs(t[i] - y[l][i])); scale = Math.max(scale, Math.abs(y[l][i])); }
      return diff / scale;
    }));
    expect(relative(await b.engine.gradients(batch), await a.engine.gradients(batch))).toBeLessThan(1e-4);
    a.train(20); b.train(20);
    expect(Math.abs((await b.readTrainLoss()) - (await a.readTrainLoss()))).toBeLessThan(1e-4);
    const [ta, tb] = [await a.readTensors(), await b.readTensors()];
    expect(tb.map((t) => t.name)).toEqual(ta.map((t) => t.name));
    expect(relative(tb.map((t) => t.data), ta.map((t) => t.data))).toBeLessThan(1e-4);
    const [ea, eb] = [await a.engine.evaluate(), await b.engine.evaluate()];
    expect(eb.testAccuracy).toBeCloseTo(ea.testAccuracy, 6);
    expect(eb.testLoss).toBeCloseTo(ea.testLoss, 4);
    a.dispose(); b.dispose();
  });
});

/** A normalised MNIST blank pixel: the background the sparse products skip. */
const BLANK = Math.fround(-0.4242129);

/** `count` floats at byte offset `at`: 80% BLANK, the rest normal, as an MNIST batch is. */
function fillMostlyBlank(f: Float32Array, at: number, count: number, r: ReturnType<typeof createRandom>): void {
  for (let i = 0; i < count; i++) f[(at >> 2) + i] = r.uniform() < 0.8 ? BLANK : r.normal();
}

/** The largest |sparse - dense| / (1 + |dense|) over `count` floats at byte offsets `dense` and `sparse` (a NaN left in sparse: Infinity). */
function worstRelative(f: Float32Array, dense: number, sparse: number, count: number): number {
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const [d, s] = [f[(dense >> 2) + i], f[(sparse >> 2) + i]];
    worst = Math.max(worst, Number.isNaN(s) ? Infinity : Math.abs(s - d) / (1 + Math.abs(d)));
  }
  return worst;
}

/** The `build` kernels in `memory`, a float view of it and the first 16-byte-aligned free byte. */
async function kernelsIn(build: 'fma' | 'plain', memory: WebAssembly.Memory) {
  await prepareKernels(build);
  const kernels = instantiateKernels(memory);
  return { kernels, f: new Float32Array(memory.buffer), start: (kernels.heapBase() + 15) & ~15 };
}

describe.each(['fma', 'plain'] as const)('gemmSparseA (%s build): a product that skips the background of its left operand', (build) => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  // n: 32-column passes, then 4, then single columns; z: a normalised MNIST blank pixel.
  it.each([[9, 70, 100], [33, 37, 50], [4, 3, 9], [1, 96, 784]])('agrees with gemm for %i x %i x %i, and declines a dense operand', async (m, n, kk) => {
    const { kernels, f, start: A } = await kernelsIn(build, memory);
    const z = BLANK;
    const B = A + 4 * m * kk + 64, C = B + 4 * kk * n + 64, D = C + 4 * m * n + 64, W = D + 4 * m * n + 64;
    const r = createRandom(m + n + kk, 'sparse');
    fillMostlyBlank(f, A, m * kk, r);
    for (let i = 0; i < kk * n; i++) f[(B >> 2) + i] = r.normal();
    kernels.gemm(m, n, kk, A, kk, 1, B, n, C, n, 1, 0);
    f.fill(NaN, D >> 2, (D >> 2) + m * n);
    expect(kernels.gemmSparseA(m, n, kk, A, kk, z, B, n, D, n, W)).toBeTruthy();
    expect(worstRelative(f, C, D, m * n)).toBeLessThan(1e-5);
    for (let i = 0; i < m * kk; i++) f[(A >> 2) + i] = r.normal();
    f.fill(7, D >> 2, (D >> 2) + m * n);
    expect(kernels.gemmSparseA(m, n, kk, A, kk, z, B, n, D, n, W)).toBeFalsy();
    expect(f[D >> 2]).toBe(7); // declined: C untouched
  });
});

describe.each(['fma', 'plain'] as const)('gemmSparseAT (%s build): the transposed product over the lists gemmSparseA left', (build) => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  // A is m x k (a batch of inputs), G m x n (the layer's output gradient), C k x n (its weights).
  it.each([[8, 128, 100], [32, 37, 50], [3, 5, 9], [1, 10, 784]])('agrees with gemm(A^T, G) for %i x %i x %i, as a gradient (beta 0) and fused into the update (beta rho, alpha -mu)', async (m, n, kk) => {
    const { kernels, f, start: A } = await kernelsIn(build, memory);
    const z = BLANK;
    const G = A + 4 * m * kk + 64, W0 = G + 4 * m * n + 64, C = W0 + 4 * kk * n + 64, D = C + 4 * kk * n + 64, W = D + 4 * kk * n + 64, F = W + 4 * (m * (kk + 1) + n) + 64;
    const r = createRandom(m + n + kk, 'sparse-t');
    fillMostlyBlank(f, A, m * kk, r);
    for (let i = 0; i < m * n; i++) f[(G >> 2) + i] = r.normal();
    for (let i = 0; i < kk * n; i++) f[(W0 >> 2) + i] = r.normal();
    for (const [alpha, beta] of [[1, 0], [-0.1, 0.995]]) {
      f.copyWithin(C >> 2, W0 >> 2, (W0 >> 2) + kk * n);
      kernels.gemm(kk, n, m, A, 1, kk, G, n, C, n, alpha, beta);
      // The lists come from the forward product on the same A (its output is thrown away here).
      expect(kernels.gemmSparseA(m, n, kk, A, kk, z, W0, n, F, n, W)).toBeTruthy();
      if (beta === 0) f.fill(NaN, D >> 2, (D >> 2) + kk * n); // beta 0: what C held is never read
      else f.copyWithin(D >> 2, W0 >> 2, (W0 >> 2) + kk * n);
      kernels.gemmSparseAT(m, n, kk, A, kk, z, G, n, D, n, alpha, beta, W);
      expect(worstRelative(f, C, D, kk * n), `alpha ${alpha}, beta ${beta}`).toBeLessThan(1e-5);
    }
  });
});

describe('the SIMD engine on data with a background value', () => {
  it('skips the background in the first layer, in training and in the test pass, and trains the run the dense product trains', async () => {
    await prepareKernels();
    const teacher = teacherDataset(3);
    // Teacher inputs with 80% of the entries set to one value, as MNIST's blank pixels are.
    const z = BLANK;
    const r = createRandom(4, 'background');
    const blank = (x: Float32Array) => x.map((v) => (r.uniform() < 0.8 ? z : v));
    const plain = { ...teacher, trainX: blank(teacher.trainX), testX: blank(teacher.testX) };
    const config = parseConfig({ dataset: 'teacher', depth: 3, width: 64, batchSize: 8, seed: 3 }).config;
    const [a, b] = [new Trainer(config, plain, 'simd'), new Trainer(config, { ...plain, background: z }, 'simd')];
    let sparseProducts = 0;
    const engine = b.engine as unknown as { k: { gemmSparseA: (...args: number[]) => number } };
    const kernels = engine.k;
    engine.k = { ...kernels, gemmSparseA: (...args: number[]) => { const done = kernels.gemmSparseA(...args); if (done) sparseProducts++; return done; } };
    a.train(30); b.train(30);
    expect(sparseProducts).toBe(30);
    // The same run to float32 rounding (the products sum in another order): as close as the PyTorch replays ask.
    const [ta, tb] = [await a.readTensors(), await b.readTensors()];
    ta.forEach((t, i) => {
      const scale = Math.max(...t.data.map(Math.abs));
      const worst = Math.max(...t.data.map((v, j) => Math.abs(v - tb[i].data[j])));
      expect(worst, t.name).toBeLessThan(1e-5 * scale);
    });
    const [ea, eb] = [await a.engine.evaluate(), await b.engine.evaluate()];
    expect(sparseProducts).toBeGreaterThan(30);
    expect(Math.abs(eb.testAccuracy - ea.testAccuracy)).toBeLessThanOrEqual(1 / plain.testY.length);
    expect(Math.abs(eb.testLoss - ea.testLoss)).toBeLessThan(1e-5 * ea.testLoss);
    a.dispose(); b.dispose();
  });
});

describe.each(['fma', 'plain'] as const)('a convolution after a ReLU skips its zeros (%s build)', (build) => {
  // B=7 makes conv2 343 rows: its last pair of rows is one row alone.
  it.each([16, 7])('in the forward product, the input gradient and the weight gradient, and trains the same run bit for bit as the dense products (B=%i)', async (batchSize) => {
    await prepareKernels(build);
    // Width 64: the input gradient takes its zero-skipping path only where gemmNT would pack.
    const config = parseConfig({ model: 'cnn', depth: 3, width: 64, batchSize, seed: 5 }).config;
    const data = await datasetFor(config.dataset, config.seed, async () => readMnist());
    const [dense, skipping] = [new Trainer(config, data, 'simd'), new Trainer(config, data, 'simd')];
    (dense.engine as SimdEngine).zeroSkipping = false;
    const calls = { listRowPairs: 0, gemmZeroSkip: 0, applyGradient: 0 };
    const engine = skipping.engine as unknown as { k: Kernels };
    const kernels = engine.k;
    const counted = ['listRowPairs', 'gemmZeroSkip', 'applyGradient'] as const;
    engine.k = { ...kernels, ...Object.fromEntries(counted.map((name) => [name, (...args: number[]) => {
      calls[name]++;
      return (kernels[name] as (...a: number[]) => void)(...args);
    }])) };
    dense.train(15); skipping.train(15);
    // Two convolutions read a ReLU's outputs and have ReLUs of their own: each step, two forward
    // products, two input gradients and two weight gradients skip zeros, each over its own lists.
    expect(calls).toEqual({ listRowPairs: 90, gemmZeroSkip: 90, applyGradient: 30 });
    const [a, b] = [await dense.readTensors(), await skipping.readTensors()];
    a.forEach((t, i) => {
      const differ = t.data.findIndex((v, j) => v !== b[i].data[j]);
      expect(differ, `${t.name}[${differ}]`).toBe(-1);
    });
    expect(await skipping.engine.evaluate()).toEqual(await dense.engine.evaluate());
    dense.dispose(); skipping.dispose();
  });
});

describe('the SIMD engine gradients as factors X^T D', () => {
  it.each([
    ['MLP-BN with tanh', { model: 'mlp', depth: 3, width: 40, batchNorm: true, activation: 'tanh', batchSize: 6 }],
    ['MLP with a batch as large as its last layer', { model: 'mlp', depth: 3, width: 40, batchNorm: false, activation: 'relu', batchSize: 10 }],
    ['CNN with relu', { model: 'cnn', depth: 2, width: 6, batchNorm: false, activation: 'relu', batchSize: 5 }],
  ] as const)('%s: factors where a dense layer is wider than the batch, they form its gradient; the rest formed', async (_, overrides) => {
    await prepareKernels();
    const config = parseConfig({ learningRate: 0.05, weightDecay: 0.01, seed: 2, ...overrides }).config;
    const trainer = new Trainer(config, teacherDataset(2), 'simd');
    trainer.train(5);
    const batch = Int32Array.from({ length: config.batchSize }, (_, i) => 2 * i + 1);
    const parts = await trainer.engine.gradientFactors!(batch);
    const gradients = await trainer.engine.gradients(batch);
    const { layers, blocks } = trainer.architecture;
    expect(parts.map((g) => !(g instanceof Float32Array))).toEqual(layers.map((l) => {
      const b = blocks.find((b) => b.weight === l.param)!;
      return b.kind === 'dense' && config.batchSize < Math.min(...l.shape);
    }));
    parts.forEach((g, i) => {
      if (g instanceof Float32Array) { expect(g).toEqual(gradients[i]); return; }
      const [rows, cols] = [layers[i].shape[1], layers[i].shape[0]];
      let worst = 0, scale = 1e-3;
      for (let p = 0; p < rows; p++) for (let q = 0; q < cols; q++) {
        let s = 0;
        for (let t = 0; t < g.batch; t++) s += g.left[t * rows + p] * g.right[t * cols + q];
        worst = Math.max(worst, Math.abs(s - gradients[i][p * cols + q]));
        scale = Math.max(scale, Math.abs(gradients[i][p * cols + q]));
      }
      expect(worst / scale, layers[i].name).toBeLessThan(1e-5);
    });
    // Factors leave the run as gradients() does: nothing trained, no statistic moved.
    const before = await trainer.readTensors();
    await trainer.engine.gradientFactors!(batch);
    expect(await trainer.readTensors()).toEqual(before);
    trainer.dispose();
  });
});

describe.each(['fma', 'plain'] as const)('BatchNorm over two samples whose values nearly coincide (%s build)', (build) => {
  // Over a batch of 2, xhat is +-d/sqrt(d^2 + eps) and the backward bracket N dy - sum(dy) - xhat sum(dy xhat)
  // is a difference of nearly equal terms. Summed and combined in f32 it lost a tenth of the digits torch's
  // float32 keeps; in f64, rounded once, it is within a few f32 roundings of the exact value.
  it('forward and backward within 1e-5 of float64, columns of every spread', async () => {
    await prepareKernels(build);
    const memory = new WebAssembly.Memory({ initial: 2 });
    const k = instantiateKernels(memory);
    const [rows, cols, eps] = [2, 6, 1e-5];
    const at = (k.heapBase() + 15) & ~15;
    const [x, gamma, beta, y, mean, variance, invStd, dy, dx, dGamma, dBeta] = Array.from({ length: 11 }, (_, i) => at + i * 4 * rows * cols);
    const f = new Float32Array(memory.buffer);
    // Column j: two values 1e-(j-1) apart around 3.7 (from 10 down to 1e-4), an ordinary spread to a near coincidence.
    for (let j = 0; j < cols; j++) { f[(x >> 2) + j] = 3.7 + 0.5 * 10 ** (1 - j); f[(x >> 2) + cols + j] = 3.7 - 0.5 * 10 ** (1 - j); }
    for (let j = 0; j < cols; j++) { f[(gamma >> 2) + j] = 1.3; f[(beta >> 2) + j] = -0.2; }
    for (let i = 0; i < rows * cols; i++) f[(dy >> 2) + i] = [0.31, -0.77][i % 2] * (1 + i / 10);
    k.batchNormTrain(x, rows, cols, gamma, beta, eps, y, mean, variance, invStd);
    k.batchNormBackward(dy, x, rows, cols, gamma, eps, dx, dGamma, dBeta);
    for (let j = 0; j < cols; j++) {
      // float64 from the same float32 inputs.
      const v = [f[(x >> 2) + j], f[(x >> 2) + cols + j]], g = [f[(dy >> 2) + j], f[(dy >> 2) + cols + j]];
      const mu = (v[0] + v[1]) / 2, inv = 1 / Math.sqrt(((v[0] - mu) ** 2 + (v[1] - mu) ** 2) / 2 + Math.fround(eps));
      const h = v.map((t) => (t - mu) * inv);
      const [sdy, sdyx] = [g[0] + g[1], g[0] * h[0] + g[1] * h[1]];
      const exactDx = h.map((hi, i) => ((1.3 * inv) / 2) * (2 * g[i] - sdy - hi * sdyx));
      const exactY = h.map((hi) => hi * Math.fround(1.3) + Math.fround(-0.2));
      const scale = Math.max(...exactDx.map(Math.abs));
      for (let i = 0; i < rows; i++) {
        expect(Math.abs(f[(dx >> 2) + i * cols + j] - exactDx[i]) / scale, `dx, column ${j}`).toBeLessThan(1e-5);
        expect(Math.abs(f[(y >> 2) + i * cols + j] - exactY[i]), `y, column ${j}`).toBeLessThan(1e-6);
      }
      expect(Math.abs(f[(dGamma >> 2) + j] - sdyx) / Math.abs(sdyx)).toBeLessThan(1e-6);
    }
  });
});
