// RankLab's own tfjs kernels: the pieces of a training step that tfjs would otherwise
// spread over many small operations (and, on WebGPU, many dispatches): the SGD update
// W <- rho*W - mu*G in one pass, the momentum buffer, activation and BatchNorm
// gradients, softmax cross-entropy, im2col. Each kernel is written once as a plain
// loop (registered for tfjs' 'cpu' and 'wasm' backends, which keep tensors in
// JavaScript or WebAssembly memory) and once as a WGSL compute program for the
// 'webgpu' backend (see webgpuPrograms.ts). Backends without them (WebGL) use the
// same math written with tfjs ops (ops.ts).

import * as tf from '../../tf';
import { programFor, type GpuProgram, type GpuUniform } from './webgpuPrograms';

export type Act = 'relu' | 'tanh';
export type Attrs = Record<string, number | string | boolean>;

/** One kernel: its inputs by name (float32), output shape, the loop, and the WebGPU program. */
export interface KernelSpec {
  name: string;
  inputs: string[];
  outShape(shapes: number[][], attrs: Attrs): number[];
  /** Writes every value of `out` (fresh memory, never aliasing an input, not zeroed). */
  run(inputs: Float32Array[], shapes: number[][], out: Float32Array, attrs: Attrs): void;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const lastDim = (shape: number[]) => shape[shape.length - 1];
const num = (attrs: Attrs, key: string) => attrs[key] as number;

/** Derivative of the activation through its output y: relu' = [y > 0], tanh' = 1 - y^2. */
function actGrad(g: number, y: number, act: Act): number {
  return act === 'relu' ? (y > 0 ? g : 0) : g * (1 - y * y);
}

function activate(v: number, act: Act): number {
  return act === 'relu' ? (v > 0 ? v : 0) : Math.tanh(v);
}

/** sum over r < rows of g[offset + r*n + i], for every i < n (rows = 1: g itself). */
function columnSums(g: Float32Array, n: number, rows: number, offset: number): Float32Array {
  if (rows === 1) return g.subarray(offset, offset + n);
  const s = new Float32Array(n);
  for (let r = 0; r < rows; r++) {
    const base = offset + r * n;
    for (let i = 0; i < n; i++) s[i] += g[base + i];
  }
  return s;
}

/** a^T d for a [rows, k], d [rows, n]: [k, n] (the weight gradient of a dense layer). */
function outerProduct(a: Float32Array, d: Float32Array, aShape: number[], dShape: number[]): Float32Array {
  const [rows, k] = aShape, n = dShape[1];
  const s = new Float32Array(k * n);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const v = a[r * k + i];
      if (v === 0) continue; // ReLU zeros
      const base = i * n, dBase = r * n;
      for (let j = 0; j < n; j++) s[base + j] += v * d[dBase + j];
    }
  }
  return s;
}

export const KERNELS = {
  /** W' = rho*W - mu*sum_r G[offset + r*n + i]: the paper's update (rows > 1 sums a bias gradient over the batch first). */
  sgdStep: {
    name: 'RankLabSgdStep',
    inputs: ['w', 'g'],
    outShape: (s) => s[0],
    run([w, g], _s, out, a) {
      const rho = num(a, 'rho'), mu = num(a, 'mu');
      const s = columnSums(g, w.length, num(a, 'rows'), num(a, 'offset'));
      for (let i = 0; i < w.length; i++) out[i] = rho * w[i] - mu * s[i];
    },
  },
  /** torch.optim.SGD's buffer: V' = m*V + (G + decay*W) (V' = G + decay*W on the first step), G summed as in sgdStep. */
  velocity: {
    name: 'RankLabMomentumVelocity',
    inputs: ['v', 'w', 'g'],
    outShape: (s) => s[1],
    run([v, w, g], _s, out, a) {
      const m = num(a, 'momentum'), decay = num(a, 'decay'), first = a.first === true;
      const s = columnSums(g, w.length, num(a, 'rows'), num(a, 'offset'));
      for (let i = 0; i < w.length; i++) out[i] = (first ? 0 : m * v[i]) + (s[i] + decay * w[i]);
    },
  },
  /** sgdStep with G = A^T D computed in place (A [rows, dIn], D [rows, dOut]): a dense layer's whole update, no gradient tensor. */
  sgdStepOuter: {
    name: 'RankLabSgdStepOuter',
    inputs: ['w', 'a', 'd'],
    outShape: (s) => s[0],
    run([w, a, d], shapes, out, attrs) {
      const rho = num(attrs, 'rho'), mu = num(attrs, 'mu');
      const s = outerProduct(a, d, shapes[1], shapes[2]);
      for (let i = 0; i < w.length; i++) out[i] = rho * w[i] - mu * s[i];
    },
  },
  /** velocity with G = A^T D computed in place. */
  velocityOuter: {
    name: 'RankLabMomentumVelocityOuter',
    inputs: ['v', 'w', 'a', 'd'],
    outShape: (s) => s[1],
    run([v, w, a, d], shapes, out, attrs) {
      const m = num(attrs, 'momentum'), decay = num(attrs, 'decay'), first = attrs.first === true;
      const s = outerProduct(a, d, shapes[2], shapes[3]);
      for (let i = 0; i < w.length; i++) out[i] = (first ? 0 : m * v[i]) + (s[i] + decay * w[i]);
    },
  },
  /** dL/dz from dL/dy and y = act(z); the output has y's shape (g may be y flattened). */
  actGrad: {
    name: 'RankLabActivationGrad',
    inputs: ['g', 'y'],
    outShape: (s) => s[1],
    run([g, y], _s, out, a) {
      if (a.activation === 'relu') for (let i = 0; i < y.length; i++) out[i] = y[i] > 0 ? g[i] : 0;
      else for (let i = 0; i < y.length; i++) out[i] = g[i] * (1 - y[i] * y[i]);
    },
  },
  /** Gradient of the batch-mean softmax cross-entropy: (softmax(z) - y) / B. */
  xentGrad: {
    name: 'RankLabSoftmaxXentGrad',
    inputs: ['z', 'y'],
    outShape: (s) => s[0],
    run([z, y], [shape], out) {
      const [batch, classes] = shape;
      for (let b = 0; b < batch; b++) {
        const base = b * classes;
        let m = -Infinity;
        for (let c = 0; c < classes; c++) m = Math.max(m, z[base + c]);
        let s = 0;
        for (let c = 0; c < classes; c++) s += Math.exp(z[base + c] - m);
        for (let c = 0; c < classes; c++) out[base + c] = (Math.exp(z[base + c] - m) / s - y[base + c]) / batch;
      }
    },
  },
  /** total' = total + mean_b (logsumexp(z_b) - y_b . z_b): the running loss sum, on the backend. */
  xentLoss: {
    name: 'RankLabXentLossSum',
    inputs: ['z', 'y', 'total'],
    outShape: (s) => s[2],
    run([z, y, total], [shape], out) {
      const [batch, classes] = shape;
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        const base = b * classes;
        let m = -Infinity;
        for (let c = 0; c < classes; c++) m = Math.max(m, z[base + c]);
        let s = 0, yz = 0;
        for (let c = 0; c < classes; c++) { s += Math.exp(z[base + c] - m); yz += y[base + c] * z[base + c]; }
        sum += m + Math.log(s) - yz;
      }
      out[0] = total[0] + sum / batch;
    },
  },
  /** BatchNorm batch statistics over every axis but the last: [2, C] = [mean; biased variance]. */
  bnStats: {
    name: 'RankLabBatchNormStats',
    inputs: ['x'],
    outShape: (s) => [2, lastDim(s[0])],
    run([x], [shape], out) {
      const c = lastDim(shape), rows = x.length / c;
      const mean = new Float64Array(c), sq = new Float64Array(c);
      for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) mean[j] += x[r * c + j];
      for (let j = 0; j < c; j++) mean[j] /= rows;
      for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) { const d = x[r * c + j] - mean[j]; sq[j] += d * d; }
      for (let j = 0; j < c; j++) { out[j] = mean[j]; out[c + j] = sq[j] / rows; }
    },
  },
  /** act(gamma * (x - mean) / sqrt(var + eps) + beta), channels last. */
  bnApply: {
    name: 'RankLabBatchNormApply',
    inputs: ['x', 'stats', 'gamma', 'beta'],
    outShape: (s) => s[0],
    run([x, stats, gamma, beta], [shape], out, a) {
      const c = lastDim(shape), eps = num(a, 'eps'), act = a.activation as Act;
      const inv = Float32Array.from({ length: c }, (_, j) => 1 / Math.sqrt(stats[c + j] + eps));
      for (let i = 0; i < x.length; i++) {
        const j = i % c;
        out[i] = activate((x[i] - stats[j]) * inv[j] * gamma[j] + beta[j], act);
      }
    },
  },
  /** With dy = g * act'(y): [2, C] = [sum dy; sum dy * xhat], the gradients of BatchNorm's shift and scale. */
  bnGradSums: {
    name: 'RankLabBatchNormGradSums',
    inputs: ['g', 'y', 'x', 'stats'],
    outShape: (s) => [2, lastDim(s[2])],
    run([g, y, x, stats], shapes, out, a) {
      const c = lastDim(shapes[2]), eps = num(a, 'eps'), act = a.activation as Act;
      const inv = Float32Array.from({ length: c }, (_, j) => 1 / Math.sqrt(stats[c + j] + eps));
      const s = new Float64Array(2 * c);
      for (let i = 0; i < x.length; i++) {
        const j = i % c;
        const dy = actGrad(g[i], y[i], act);
        s[j] += dy;
        s[c + j] += dy * (x[i] - stats[j]) * inv[j];
      }
      out.set(s);
    },
  },
  /** BatchNorm's input gradient: gamma/sigma * (dy - mean(dy) - xhat * mean(dy * xhat)), dy = g * act'(y). */
  bnGradInput: {
    name: 'RankLabBatchNormGradInput',
    inputs: ['g', 'y', 'x', 'stats', 'gamma', 'sums'],
    outShape: (s) => s[2],
    run([g, y, x, stats, gamma, sums], shapes, out, a) {
      const c = lastDim(shapes[2]), rows = x.length / c, eps = num(a, 'eps'), act = a.activation as Act;
      const inv = Float32Array.from({ length: c }, (_, j) => 1 / Math.sqrt(stats[c + j] + eps));
      for (let i = 0; i < x.length; i++) {
        const j = i % c;
        const xhat = (x[i] - stats[j]) * inv[j];
        const dy = actGrad(g[i], y[i], act);
        out[i] = gamma[j] * inv[j] * (dy - sums[j] / rows - xhat * (sums[c + j] / rows));
      }
    },
  },
  /**
   * The 3x3, stride-2, padding-1 patches of an NHWC tensor, transposed: [9*C, B*outH*outW],
   * row (ky*3 + kx)*C + c. The kernel gradient is then a plain product patches^T-free:
   * dK = im2colT(x) @ dy (no transposed operand, which tfjs' WASM matMul runs slowly).
   */
  im2col: {
    name: 'RankLabIm2colT',
    inputs: ['x'],
    outShape: (s, a) => [9 * s[0][3], s[0][0] * num(a, 'outH') * num(a, 'outW')],
    run([x], [[batch, height, width, channels]], out, a) {
      const outH = num(a, 'outH'), outW = num(a, 'outW'), rows = batch * outH * outW;
      let row = 0;
      for (let b = 0; b < batch; b++) {
        for (let oy = 0; oy < outH; oy++) {
          for (let ox = 0; ox < outW; ox++, row++) {
            for (let ky = 0; ky < 3; ky++) {
              const iy = 2 * oy + ky - 1;
              for (let kx = 0; kx < 3; kx++) {
                const ix = 2 * ox + kx - 1;
                const dst = (ky * 3 + kx) * channels * rows + row;
                const inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                const src = ((b * height + iy) * width + ix) * channels;
                // Padding is written as zeros: wasm's output memory is not zeroed. (Reading x in order
                // and writing with a stride measured faster than the other way round.)
                for (let c = 0; c < channels; c++) out[dst + c * rows] = inside ? x[src + c] : 0;
              }
            }
          }
        }
      }
    },
  },
  /**
   * The adjoint of im2col: from the patch gradients [B*outH*outW, 9*C] back to the NHWC
   * input gradient [B, H, W, C] (attrs height, width), each input value summing the taps
   * that read it. dL/dx = col2im(dy @ K^T), the conv's input gradient as one product.
   */
  col2im: {
    name: 'RankLabCol2im',
    inputs: ['cols'],
    outShape: (s, a) => [s[0][0] / (num(a, 'outH') * num(a, 'outW')), num(a, 'height'), num(a, 'width'), s[0][1] / 9],
    run([cols], [[, k]], out, a) {
      const outH = num(a, 'outH'), outW = num(a, 'outW'), height = num(a, 'height'), width = num(a, 'width');
      const channels = k / 9, batch = out.length / (height * width * channels);
      out.fill(0);
      for (let b = 0; b < batch; b++) {
        for (let oy = 0; oy < outH; oy++) {
          for (let ox = 0; ox < outW; ox++) {
            const src = ((b * outH + oy) * outW + ox) * k;
            for (let ky = 0; ky < 3; ky++) {
              const iy = 2 * oy + ky - 1;
              if (iy < 0 || iy >= height) continue;
              for (let kx = 0; kx < 3; kx++) {
                const ix = 2 * ox + kx - 1;
                if (ix < 0 || ix >= width) continue;
                const dst = ((b * height + iy) * width + ix) * channels, tap = src + (ky * 3 + kx) * channels;
                for (let c = 0; c < channels; c++) out[dst + c] += cols[tap + c];
              }
            }
          }
        }
      }
    },
  },
} satisfies Record<string, KernelSpec>;

export type KernelKey = keyof typeof KERNELS;

// ---- registration -------------------------------------------------------------------

interface CpuLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
interface WebGpuLike {
  runWebGPUProgram(program: GpuProgram, inputs: tf.TensorInfo[], dtype: 'float32', uniforms?: GpuUniform[]): tf.TensorInfo;
}

function inputsOf(spec: KernelSpec, inputs: tf.NamedTensorInfoMap): tf.TensorInfo[] {
  return spec.inputs.map((name) => {
    const t = inputs[name];
    if (!t || t.dtype !== 'float32') throw new Error(`${spec.name}: input ${name} must be a float32 tensor`);
    return t;
  });
}

function kernelFunc(spec: KernelSpec, backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const infos = inputsOf(spec, inputs);
    const shapes = infos.map((t) => t.shape);
    const a = (attrs ?? {}) as Attrs;
    if (backendName === 'webgpu') {
      const { program, uniforms } = programFor(spec.name, shapes, a, spec.outShape(shapes, a));
      return (backend as WebGpuLike).runWebGPUProgram(program, infos, 'float32', uniforms);
    }
    const shape = spec.outShape(shapes, a);
    if (backendName === 'wasm') {
      const b = backend as WasmLike;
      const out = b.makeOutput(shape, 'float32'); // allocate first: growing the heap detaches older views
      spec.run(infos.map((t) => b.typedArrayFromHeap(t)), shapes, b.typedArrayFromHeap(out), a);
      return out;
    }
    const b = backend as CpuLike;
    const out = new Float32Array(size(shape));
    spec.run(infos.map((t) => b.data.get(t.dataId).values as Float32Array), shapes, out, a);
    return b.makeTensorInfo(shape, 'float32', out);
  };
}

/** The backends RankLab's kernels are written for. */
export const KERNEL_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;

let registered = false;

/** Register every kernel with tfjs for cpu, wasm and webgpu (idempotent). */
export function registerRankLabKernels(): void {
  if (registered) return;
  registered = true;
  for (const spec of Object.values(KERNELS) as KernelSpec[]) {
    for (const backendName of KERNEL_BACKENDS) {
      if (tf.getKernel(spec.name, backendName)) continue;
      tf.registerKernel({ kernelName: spec.name, backendName, kernelFunc: kernelFunc(spec, backendName) });
    }
  }
}

/** Whether the current backend runs RankLab's kernels (otherwise the engine composes tfjs ops). */
export function backendHasKernels(backendName = tf.getBackend()): boolean {
  registerRankLabKernels();
  return Boolean(tf.getKernel(KERNELS.sgdStep.name, backendName));
}
