// Page module of `npx tsx scripts/bench-tfjs.ts --webgpu`: the tfjs engine on tfjs' WebGPU
// backend in headless Chromium (SwiftShader where there is no GPU), tape against the
// hand-derived step. Counts what reaches the GPU by wrapping the WebGPU API itself:
// compute dispatches (GPUComputePassEncoder.dispatchWorkgroups) and queue submissions.
// Served by Vite's dev server (scripts/bench-tfjs-webgpu.html); exposes window.runBench.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu'; // checkKernels' reference
import { parseConfig, type Config } from '../src/core/config';
import { teacherDataset } from '../src/core/data/teacher';
import { architectureFor } from '../src/core/models/architecture';
import { BatchSampler } from '../src/core/train/sampler';
import { TfjsEngine, type TfjsEngineOptions } from '../src/core/engine/tfjs/tfjsEngine';
import { kernelOps } from '../src/core/engine/tfjs/ops';

const counters = { dispatches: 0, submits: 0 };
function wrap<T extends object>(proto: T | undefined, name: keyof T, counter: keyof typeof counters): void {
  if (!proto) return;
  const original = proto[name] as unknown as (...a: unknown[]) => unknown;
  (proto as Record<keyof T, unknown>)[name] = function (this: unknown, ...a: unknown[]) { counters[counter]++; return original.apply(this, a); };
}
const g = globalThis as unknown as Record<string, { prototype: object } | undefined>;
wrap(g.GPUComputePassEncoder?.prototype as { dispatchWorkgroups: unknown } | undefined, 'dispatchWorkgroups', 'dispatches');
wrap(g.GPUQueue?.prototype as { submit: unknown } | undefined, 'submit', 'submits');

export interface BenchRequest {
  /** 'webgpu' (default), or 'webgl' (no RankLab kernels there: the step composes tfjs ops). */
  backend?: 'webgpu' | 'webgl';
  overrides: Partial<Config>;
  variants: { name: string; options: TfjsEngineOptions }[];
  /** Timed seconds per variant (three windows, alternating with the other variants). */
  seconds: number;
  /** Steps enqueued between two waits for the GPU (the worker's chunk). */
  chunk: number;
}

export interface BenchResult {
  name: string;
  stepsPerSecond: number;
  dispatchesPerStep: number;
  submitsPerStep: number;
  /** Largest |hand - tape| / max |tape| over the parameters after one step from the same start (tape row: 0). */
  maxRelativeDifference: number;
  /** The tensor where it is largest. */
  worstTensor: string;
}

const data = teacherDataset(1);
const DEFAULT_SUBMIT_BATCH = tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number;

async function runBench(req: BenchRequest): Promise<{ backend: string; adapter: string; results: BenchResult[] }> {
  const backend = req.backend ?? 'webgpu';
  if (tf.getBackend() !== backend) {
    await tf.setBackend(backend);
    await tf.ready();
  }
  const config = parseConfig(req.overrides).config;
  const h = { learningRate: config.learningRate, weightDecay: config.weightDecay, momentum: config.momentum };
  // The engine with steps per submission raises tfjs' global submission threshold; the others need tfjs' default.
  const useFlags = (v: BenchRequest['variants'][number]) => {
    if (v.options.stepsPerSubmission === 0) tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', DEFAULT_SUBMIT_BATCH);
    else tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number.MAX_SAFE_INTEGER);
  };
  let reference: Map<string, Float32Array> | null = null;
  const runs = [];
  for (const v of req.variants) {
    useFlags(v);
    const engine = new TfjsEngine(architectureFor(config, data), data, v.options);
    const sampler = new BatchSampler(data.trainY.length, 1);
    // Correctness: the first step from the seeded start, on the same batch for every variant. (Over
    // more steps float32 rounding grows chaotically in deep BatchNorm nets: tfjs' own tape on its
    // CPU and WASM backends differs by 20% after 5 steps of MLP-BN-10-100 at B=8.)
    engine.step(sampler.next(config.batchSize), h);
    const tensors = await engine.readTensors();
    reference ??= new Map(tensors.map((t) => [t.name, t.data]));
    const maxAbs = (d: Float32Array) => d.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    let worst = 0, worstName = '';
    for (const t of tensors) {
      const ref = reference.get(t.name)!;
      // A bias is measured against its layer's weights too (before BatchNorm its gradient is rounding noise), as in the tests.
      const weight = t.name.endsWith('.bias') ? reference.get(t.name.replace(/bias$/, 'weight')) : undefined;
      const scale = Math.max(maxAbs(ref), weight ? maxAbs(weight) : 0);
      let diff = 0;
      for (let j = 0; j < ref.length; j++) diff = Math.max(diff, Math.abs(t.data[j] - ref[j]));
      if (diff / (scale || 1) > worst) { worst = diff / (scale || 1); worstName = t.name; }
    }
    // Dispatches and submissions of one chunk of steps (after a warm-up chunk: pipelines compiled).
    for (let i = 0; i < req.chunk; i++) engine.step(sampler.next(config.batchSize), h);
    await engine.sync();
    const before = { ...counters };
    for (let i = 0; i < req.chunk; i++) engine.step(sampler.next(config.batchSize), h);
    await engine.sync();
    runs.push({
      v, engine, sampler, rates: [] as number[], worst, worstName,
      dispatches: (counters.dispatches - before.dispatches) / req.chunk,
      submits: (counters.submits - before.submits) / req.chunk,
    });
  }
  // Timed windows, the variants alternating (this machine is shared): the median of three each.
  for (let round = 0; round < 3; round++) {
    for (const r of runs) {
      useFlags(r.v);
      let steps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < (req.seconds * 1000) / 3) {
        for (let i = 0; i < req.chunk; i++) r.engine.step(r.sampler.next(config.batchSize), h);
        await r.engine.sync();
        steps += req.chunk;
      }
      r.rates.push((steps * 1000) / (performance.now() - t0));
    }
  }
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', DEFAULT_SUBMIT_BATCH);
  const results: BenchResult[] = runs.map((r) => {
    r.engine.dispose();
    return {
      name: r.v.name, stepsPerSecond: [...r.rates].sort((a, b) => a - b)[1], dispatchesPerStep: r.dispatches, submitsPerStep: r.submits,
      maxRelativeDifference: r.worst, worstTensor: r.worstName,
    };
  });
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return { backend: tf.getBackend(), adapter: [info?.vendor, info?.architecture].filter(Boolean).join(' '), results };
}

(window as unknown as { runBench: typeof runBench; benchReady: boolean }).runBench = runBench;
(window as unknown as { benchReady: boolean }).benchReady = true;

/** Milliseconds per call of single operations of the default MLP's step (wall time over `repeats` calls, one wait at the end). */
async function microBench(repeats: number): Promise<Record<string, number>> {
  if (tf.getBackend() !== 'webgpu') { await tf.setBackend('webgpu'); await tf.ready(); }
  const x = tf.randomNormal([8, 784]) as tf.Tensor2D, w = tf.randomNormal([784, 128]) as tf.Tensor2D, b = tf.zeros([128]) as tf.Tensor1D;
  const dz = tf.randomNormal([8, 128]) as tf.Tensor2D;
  const x32 = tf.randomNormal([32, 784]) as tf.Tensor2D, dz32 = tf.randomNormal([32, 128]) as tf.Tensor2D;
  const dyConv = tf.randomNormal([32 * 49, 64]) as tf.Tensor2D, kConv = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D, xConv = tf.randomNormal([32, 14, 14, 64]) as tf.Tensor4D;
  const cases: Record<string, () => tf.Tensor> = {
    'fused matMul x@W+b, relu': () => tf.fused.matMul({ a: x, b: w, bias: b, activation: 'relu' }),
    'matMul x^T dz (transposeA)': () => tf.matMul(x, dz, true, false),
    'matMul dz W^T (transposeB)': () => tf.matMul(dz, w, false, true),
    'sgdStep W (100k)': () => kernelOps.sgdStep(w, w, 0.99, 0.1),
    'sgdStepOuter W (100k), B=8': () => kernelOps.sgdStepOuter(w, x, dz, 0.99, 0.1),
    'sgdStepOuter W (100k), B=32': () => kernelOps.sgdStepOuter(w, x32, dz32, 0.99, 0.1),
    'matMul x^T dz, B=32': () => tf.matMul(x32, dz32, true, false),
    'fused matMul x@W+b, relu, B=32': () => tf.fused.matMul({ a: x32, b: w, bias: b, activation: 'relu' }),
    'tf ops rho*W - mu*G (100k)': () => tf.sub(tf.mul(w, 0.99), tf.mul(w, 0.1)),
    'conv2 input grad: conv2dTranspose': () => kernelOps.convInputGrad(dyConv, kConv, [32, 14, 14, 64], 7, 7),
    'conv2 input grad: matMul + col2im': () => tf.engine().runKernel('RankLabCol2im', { cols: tf.matMul(dyConv, tf.transpose(tf.reshape(kConv, [576, 64]))) }, { outH: 7, outW: 7, height: 14, width: 14 }) as tf.Tensor,
    'conv2 kernel grad: im2colT + matMul': () => tf.matMul(kernelOps.im2colT(xConv, 7, 7), dyConv),
    'conv2 im2colT alone': () => kernelOps.im2colT(xConv, 7, 7),
    'conv2 kernel grad: Conv2DBackpropFilter': () => tf.engine().runKernel('Conv2DBackpropFilter', { x: xConv, dy: tf.reshape(dyConv, [32, 7, 7, 64]) },
      { strides: [2, 2], pad: 1, dataFormat: 'NHWC', filterShape: [3, 3, 64, 64] }) as tf.Tensor,
    'conv2 forward: fused conv2d': () => tf.fused.conv2d({ x: xConv, filter: kConv, strides: 2, pad: 1, activation: 'relu' }),
    'sgdStep bias (rows 8)': () => kernelOps.sgdStep(b, dz, 0.99, 0.1, 8),
    'actGrad relu [8,128]': () => kernelOps.actGrad(dz, dz, 'relu'),
    'add [8,128]': () => tf.add(dz, dz),
    'xentGrad [8,10]': () => kernelOps.xentGrad(tf.slice(dz, [0, 0], [8, 10]) as tf.Tensor2D, tf.slice(dz, [0, 0], [8, 10]) as tf.Tensor2D),
  };
  const out: Record<string, number> = {};
  for (const [name, f] of Object.entries(cases)) {
    for (let i = 0; i < 3; i++) tf.tidy(f);
    await tf.tidy(f).data();
    const t0 = performance.now();
    let last: tf.Tensor | null = null;
    for (let i = 0; i < repeats; i++) { last?.dispose(); last = tf.tidy(f); }
    await last!.data();
    last!.dispose();
    out[name] = (performance.now() - t0) / repeats;
  }
  return out;
}
(window as unknown as { microBench: typeof microBench }).microBench = microBench;

/** Every RankLab kernel on WebGPU against the same kernel on tfjs' CPU backend: the largest relative difference per kernel. */
async function checkKernels(): Promise<Record<string, number>> {
  await tf.setBackend('webgpu');
  await tf.ready();
  const random = (shape: number[], seed: number) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 2) });
  const inputs = {
    w: random([20, 12], 1), g: random([3, 20, 12], 2), v: random([20, 12], 3), a: random([5, 20], 4), d: random([5, 12], 5),
    y2: random([6, 10], 6), x4: random([2, 5, 7, 3], 7), stats: random([2, 3], 8), gamma: random([3], 9), beta: random([3], 10),
    w10: random([20, 10], 14), d10: random([5, 10], 15), g10: random([2, 20, 10], 16),
    big: random([300, 3], 11), bigG: random([300, 3], 12), cols: random([2 * 3 * 4, 27], 13),
  };
  const cases: Record<string, (t: Record<string, tf.Tensor>) => tf.Tensor> = {
    sgdStep: (t) => kernelOps.sgdStep(t.w, t.g, 0.9, 0.1),
    'sgdStep rows 3': (t) => kernelOps.sgdStep(t.w, t.g, 0.9, 0.1, 3),
    'sgdStep rows 100 (reduce)': (t) => kernelOps.sgdStep(tf.slice(t.gamma, 0, 3), t.big, 0.9, 0.1, 100, 3),
    'sgdStep offset': (t) => kernelOps.sgdStep(tf.slice(t.gamma, 0, 3), t.stats, 0.9, -0.1, 1, 3),
    velocity: (t) => kernelOps.velocity(t.v, t.w, t.g, 0.9, 0.02, 2),
    'velocity first': (t) => kernelOps.velocity(null, t.w, t.g, 0.9, 0.02),
    'sgdStep rows 2, n % 4 != 0': (t) => kernelOps.sgdStep(t.w10, t.g10, 0.9, 0.1, 2),
    sgdStepOuter: (t) => kernelOps.sgdStepOuter(t.w, t.a as tf.Tensor2D, t.d as tf.Tensor2D, 0.9, 0.1),
    'sgdStepOuter, dOut % 4 != 0': (t) => kernelOps.sgdStepOuter(t.w10, t.a as tf.Tensor2D, t.d10 as tf.Tensor2D, 0.9, 0.1),
    'velocityOuter first, dOut % 4 != 0': (t) => kernelOps.velocityOuter(null, t.w10, t.a as tf.Tensor2D, t.d10 as tf.Tensor2D, 0.9, 0.02),
    velocityOuter: (t) => kernelOps.velocityOuter(t.v, t.w, t.a as tf.Tensor2D, t.d as tf.Tensor2D, 0.9, 0.02),
    'actGrad relu': (t) => kernelOps.actGrad(t.y2, tf.relu(t.y2), 'relu'),
    'actGrad tanh': (t) => kernelOps.actGrad(t.y2, tf.tanh(t.y2), 'tanh'),
    xentGrad: (t) => kernelOps.xentGrad(t.y2 as tf.Tensor2D, tf.softmax(tf.neg(t.y2)) as tf.Tensor2D),
    xentLoss: (t) => kernelOps.xentLoss(t.y2 as tf.Tensor2D, tf.softmax(tf.neg(t.y2)) as tf.Tensor2D, tf.ones([1])),
    bnStats: (t) => kernelOps.bnStats(t.big),
    'bnStats 4D': (t) => kernelOps.bnStats(t.x4),
    'bnApply relu': (t) => kernelOps.bnApply(t.big, kernelOps.bnStats(t.big), t.gamma, t.beta, 'relu'),
    'bnApply tanh': (t) => kernelOps.bnApply(t.x4, kernelOps.bnStats(t.x4), t.gamma, t.beta, 'tanh'),
    'bnGradSums relu': (t) => kernelOps.bnGradSums(t.bigG, tf.relu(t.big), t.big, kernelOps.bnStats(t.big), 'relu'),
    'bnGradSums tanh': (t) => kernelOps.bnGradSums(t.bigG, tf.tanh(t.big), t.big, kernelOps.bnStats(t.big), 'tanh'),
    'bnGradInput relu': (t) => kernelOps.bnGradInput(t.bigG, tf.relu(t.big), t.big, kernelOps.bnStats(t.big), t.gamma, t.stats as tf.Tensor2D, 'relu'),
    'bnGradInput tanh': (t) => kernelOps.bnGradInput(t.bigG, tf.tanh(t.big), t.big, kernelOps.bnStats(t.big), t.gamma, t.stats as tf.Tensor2D, 'tanh'),
    im2colT: (t) => kernelOps.im2colT(t.x4 as tf.Tensor4D, 3, 4),
    col2im: (t) => tf.engine().runKernel('RankLabCol2im', { cols: t.cols }, { outH: 3, outW: 4, height: 5, width: 7 }) as tf.Tensor,
  };
  const runAll = async () => {
    const out: Record<string, Float32Array> = {};
    for (const [name, f] of Object.entries(cases)) {
      const result = tf.tidy(() => f(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]))));
      out[name] = (await result.data()) as Float32Array;
      result.dispose();
    }
    return out;
  };
  const gpu = await runAll();
  await tf.setBackend('cpu');
  const cpu = await runAll();
  await tf.setBackend('webgpu');
  return Object.fromEntries(Object.keys(cases).map((k) => {
    let scale = 0, diff = 0;
    cpu[k].forEach((v, i) => { scale = Math.max(scale, Math.abs(v)); diff = Math.max(diff, Math.abs(v - gpu[k][i])); });
    return [k, gpu[k].length === cpu[k].length ? diff / (scale || 1) : Infinity];
  }));
}
(window as unknown as { checkKernels: typeof checkKernels }).checkKernels = checkKernels;
