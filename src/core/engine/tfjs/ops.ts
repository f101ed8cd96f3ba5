// The operations of the hand-derived training step, two ways: RankLab's kernels
// (kernels.ts; one backend call each) where the backend has them, and the same math
// composed from tfjs ops everywhere else (WebGL). Both give the same values; the
// second is also the readable definition of the first.

import * as tf from '../../tf';
import { BN_EPSILON, PAD, STRIDE } from '../../models/architecture';
import { patches } from '../../models/cnn';
import { backendHasKernels, KERNELS, registerRankLabKernels, type Act } from './kernels';

export interface StepOps {
  /** rho*w - mu*s, s[i] = sum over r < rows of g[offset + r*n + i] (n = w.size; g is read flat). */
  sgdStep(w: tf.Tensor, g: tf.Tensor, rho: number, mu: number, rows?: number, offset?: number): tf.Tensor;
  /** torch.optim.SGD's buffer: momentum*v + (s + decay*w), or s + decay*w on the first step (v null); s as in sgdStep. */
  velocity(v: tf.Tensor | null, w: tf.Tensor, g: tf.Tensor, momentum: number, decay: number, rows?: number, offset?: number): tf.Tensor;
  /** sgdStep with g = a^T d (a [rows, dIn], d [rows, dOut]): a dense layer's update without its gradient tensor. */
  sgdStepOuter(w: tf.Tensor, a: tf.Tensor2D, d: tf.Tensor2D, rho: number, mu: number): tf.Tensor;
  /** velocity with g = a^T d. */
  velocityOuter(v: tf.Tensor | null, w: tf.Tensor, a: tf.Tensor2D, d: tf.Tensor2D, momentum: number, decay: number): tf.Tensor;
  /** Dense layers with at most this many rows (the batch size) update through sgdStepOuter/velocityOuter; 0: never. */
  outerRows: number;
  /** g * act'(z) from y = act(z); shaped like y (g may be y flattened). */
  actGrad(g: tf.Tensor, y: tf.Tensor, act: Act): tf.Tensor;
  /** (softmax(z) - y) / B. */
  xentGrad(z: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D;
  /** total + the batch's mean softmax cross-entropy ([1]). */
  xentLoss(z: tf.Tensor2D, y: tf.Tensor2D, total: tf.Tensor): tf.Tensor;
  /** [2, C]: the batch mean and biased variance of every channel (the last axis). */
  bnStats(x: tf.Tensor): tf.Tensor2D;
  /** act(gamma * (x - mean) / sqrt(var + eps) + beta). */
  bnApply(x: tf.Tensor, stats: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, act: Act): tf.Tensor;
  /** [2, C] = [sum dy; sum dy*xhat] with dy = g * act'(y): BatchNorm's shift and scale gradients. */
  bnGradSums(g: tf.Tensor, y: tf.Tensor, x: tf.Tensor, stats: tf.Tensor2D, act: Act): tf.Tensor2D;
  /** BatchNorm's input gradient, shaped like x. */
  bnGradInput(g: tf.Tensor, y: tf.Tensor, x: tf.Tensor, stats: tf.Tensor2D, gamma: tf.Tensor, sums: tf.Tensor2D, act: Act): tf.Tensor;
  /** 3x3 stride-2 padding-1 patches of NHWC x, transposed: [9*C, B*outH*outW]. */
  im2colT(x: tf.Tensor4D, outH: number, outW: number): tf.Tensor2D;
  /** Gradient of a 3x3 stride-2 padding-1 conv with respect to its input x (NHWC), from dy [B*outH*outW, C_out] and the kernel. */
  convInputGrad(dy: tf.Tensor2D, kernel: tf.Tensor4D, inputShape: [number, number, number, number], outH: number, outW: number): tf.Tensor4D;
  /** a^T b. */
  matMulTN(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
  /** a b^T. */
  matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
}

function run<T extends tf.Tensor>(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, number | string | boolean> = {}): T {
  registerRankLabKernels();
  return tf.engine().runKernel(name, inputs, attrs) as T;
}

/** One backend call per operation. */
export const kernelOps: StepOps = {
  sgdStep: (w, g, rho, mu, rows = 1, offset = 0) => run(KERNELS.sgdStep.name, { w, g }, { rho, mu, rows, offset }),
  velocity: (v, w, g, momentum, decay, rows = 1, offset = 0) =>
    run(KERNELS.velocity.name, { v: v ?? w, w, g }, { momentum, decay, rows, offset, first: v === null }),
  sgdStepOuter: (w, a, d, rho, mu) => run(KERNELS.sgdStepOuter.name, { w, a, d }, { rho, mu }),
  velocityOuter: (v, w, a, d, momentum, decay) => run(KERNELS.velocityOuter.name, { v: v ?? w, w, a, d }, { momentum, decay, first: v === null }),
  // One pass over W instead of a product, a gradient tensor and a second pass: the paper's small
  // batches. On WebGPU; on the CPU and WASM backends their own products are as fast or faster
  // (opsForBackend turns it off there; the tests run it on the CPU backend).
  outerRows: 64,
  actGrad: (g, y, activation) => run(KERNELS.actGrad.name, { g, y }, { activation }),
  xentGrad: (z, y) => run(KERNELS.xentGrad.name, { z, y }),
  xentLoss: (z, y, total) => run(KERNELS.xentLoss.name, { z, y, total }),
  bnStats: (x) => run(KERNELS.bnStats.name, { x }),
  bnApply: (x, stats, gamma, beta, activation) => run(KERNELS.bnApply.name, { x, stats, gamma, beta }, { activation, eps: BN_EPSILON }),
  bnGradSums: (g, y, x, stats, activation) => run(KERNELS.bnGradSums.name, { g, y, x, stats }, { activation, eps: BN_EPSILON }),
  bnGradInput: (g, y, x, stats, gamma, sums, activation) =>
    run(KERNELS.bnGradInput.name, { g, y, x, stats, gamma, sums }, { activation, eps: BN_EPSILON }),
  im2colT: (x, outH, outW) => run(KERNELS.im2col.name, { x }, { outH, outW }),
  convInputGrad: (dy, kernel, inputShape, outH, outW) =>
    tf.conv2dTranspose(tf.reshape(dy, [inputShape[0], outH, outW, -1]) as tf.Tensor4D, kernel, inputShape, STRIDE, PAD),
  matMulTN: (a, b) => tf.matMul(a, b, true, false),
  matMulNT: (a, b) => tf.matMul(a, b, false, true),
};

/**
 * tfjs' WASM backend multiplies a transposed operand in a plain loop, several times slower
 * than its XNNPACK product (which packs the right operand): transpose the small operand
 * explicitly instead (the batch-sized one), measured in scripts/bench-tfjs.ts.
 */
const wasmProducts: Pick<StepOps, 'matMulTN' | 'matMulNT' | 'convInputGrad' | 'outerRows'> = {
  outerRows: 0, // XNNPACK's product then the update loop: 3x faster than the fused loop at B = 8 and 32
  matMulTN: (a, b) => tf.matMul(tf.transpose(a), b),
  matMulNT: (a, b) => tf.transpose(tf.matMul(b, tf.transpose(a))) as tf.Tensor2D,
  // Its Conv2DBackpropInput is a plain loop too: one XNNPACK product and col2im instead.
  convInputGrad: (dy, kernel, inputShape, outH, outW) => {
    const k = tf.transpose(tf.reshape(kernel, [-1, kernel.shape[3]])) as tf.Tensor2D; // [C_out, 9*C_in]
    return run<tf.Tensor4D>(KERNELS.col2im.name, { cols: tf.matMul(dy, k) }, { outH, outW, height: inputShape[1], width: inputShape[2] });
  },
};

/** sum over r < rows of g[offset + r*n + i], shaped like w. Avoids flattening g (WebGL copies a packed texture to reshape it). */
function columnSums(w: tf.Tensor, g: tf.Tensor, rows: number, offset: number): tf.Tensor {
  const n = w.size;
  if (rows === 1 && offset === 0 && g.size === n) return tf.reshape(g, w.shape); // free when the shapes agree
  if (g.rank >= 2 && g.shape[g.rank - 1] === n && offset % n === 0) {
    const g2 = g.rank === 2 ? g : tf.reshape(g, [-1, n]);
    const part = offset === 0 && g2.shape[0] === rows ? g2 : tf.slice(g2, [offset / n, 0], [rows, n]);
    return tf.reshape(rows === 1 ? part : tf.sum(part, 0), w.shape);
  }
  const flat = tf.slice(tf.reshape(g, [-1]), offset, rows * n);
  return tf.reshape(rows === 1 ? flat : tf.sum(tf.reshape(flat, [rows, n]), 0), w.shape);
}

const activate = (x: tf.Tensor, act: Act) => (act === 'relu' ? tf.relu(x) : tf.tanh(x));
const derivative = (g: tf.Tensor, y: tf.Tensor, act: Act) => {
  const dy = g.rank === y.rank ? g : tf.reshape(g, y.shape);
  return act === 'relu' ? tf.mul(dy, tf.step(y)) : tf.mul(dy, tf.sub(1, tf.square(y)));
};

/** [mean, inverse standard deviation], each [C]. */
function unpack(stats: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
  const [mean, variance] = tf.unstack(stats) as tf.Tensor1D[];
  return [mean, tf.rsqrt(tf.add(variance, BN_EPSILON)) as tf.Tensor1D];
}

const channels2d = (x: tf.Tensor) => tf.reshape(x, [-1, x.shape[x.rank - 1]]);

/** The same operations from tfjs ops, for any backend. */
export const tfOps: StepOps = {
  sgdStep: (w, g, rho, mu, rows = 1, offset = 0) => tf.sub(tf.mul(w, rho), tf.mul(columnSums(w, g, rows, offset), mu)),
  velocity: (v, w, g, momentum, decay, rows = 1, offset = 0) => {
    const withDecay = tf.add(columnSums(w, g, rows, offset), tf.mul(w, decay));
    return v === null ? withDecay : tf.add(tf.mul(v, momentum), withDecay);
  },
  sgdStepOuter: (w, a, d, rho, mu) => tfOps.sgdStep(w, tf.matMul(a, d, true, false), rho, mu),
  velocityOuter: (v, w, a, d, momentum, decay) => tfOps.velocity(v, w, tf.matMul(a, d, true, false), momentum, decay),
  outerRows: 0,
  actGrad: derivative,
  xentGrad: (z, y) => tf.div(tf.sub(tf.softmax(z), y), z.shape[0]),
  xentLoss: (z, y, total) => tf.add(total, tf.reshape(tf.losses.softmaxCrossEntropy(y, z), [1])),
  bnStats: (x) => {
    const { mean, variance } = tf.moments(channels2d(x), 0);
    return tf.stack([mean, variance]) as tf.Tensor2D;
  },
  bnApply: (x, stats, gamma, beta, act) => {
    const [mean, inv] = unpack(stats);
    return activate(tf.add(tf.mul(tf.mul(tf.sub(x, mean), inv), gamma), beta), act);
  },
  bnGradSums: (g, y, x, stats, act) => {
    const [mean, inv] = unpack(stats);
    const dy = channels2d(derivative(g, y, act));
    const xhat = channels2d(tf.mul(tf.sub(x, mean), inv));
    return tf.stack([tf.sum(dy, 0), tf.sum(tf.mul(dy, xhat), 0)]) as tf.Tensor2D;
  },
  bnGradInput: (g, y, x, stats, gamma, sums, act) => {
    const [mean, inv] = unpack(stats);
    const [sumDy, sumDyXhat] = tf.unstack(sums);
    const rows = x.size / x.shape[x.rank - 1];
    const xhat = tf.mul(tf.sub(x, mean), inv);
    const dy = derivative(g, y, act);
    const centred = tf.sub(tf.sub(dy, tf.div(sumDy, rows)), tf.mul(xhat, tf.div(sumDyXhat, rows)));
    return tf.mul(tf.mul(gamma, inv), centred);
  },
  im2colT: (x, outH, outW) => tf.transpose(patches(x, outH, outW)),
  convInputGrad: kernelOps.convInputGrad,
  matMulTN: kernelOps.matMulTN,
  matMulNT: kernelOps.matMulNT,
};

/** RankLab's kernels if the current backend has them, else tfjs ops. */
export function opsForBackend(backendName = tf.getBackend()): StepOps {
  if (!backendHasKernels(backendName)) return tfOps;
  if (backendName === 'wasm') return { ...kernelOps, ...wasmProducts };
  return backendName === 'webgpu' ? kernelOps : { ...kernelOps, outerRows: 0 };
}
