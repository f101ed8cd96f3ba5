// RankLab's own engine for CPUs: every tensor in one WebAssembly memory, a hand-derived
// backward pass (dense and 3x3 stride-2 conv layers, BatchNorm, ReLU/tanh, softmax
// cross-entropy) and the update fused into the weight-gradient product:
// W <- rho W - mu X^T dY is one gemm call with beta = rho, alpha = -mu. A step of the
// default MLP is ~20 kernel calls and no allocation; tfjs needs ~100 dispatches.
// Synchronous: step() has finished when it returns, so there is nothing to wait for.

import type { Dataset } from '../../data/dataset';
import { inputSize } from '../../data/dataset';
import { BN_EPSILON, BN_MOMENTUM, stateNames, type Architecture, type LayerBlock } from '../../models/architecture';
import { decayPerStep } from '../../theory';
import type { SgdHyperparameters } from '../../train/sgd';
import type { GradientFactors } from '../../spectra/factored';
import type { NamedTensor, TrainingEngine } from '../engine';
import { instantiateKernels, sharedMemory, type Kernels } from './kernels';
import { kernelThreadsSetting, KernelThreads } from './kernelThreads';
import { CONFIG_FIELDS } from '../../config/fields';

const ACTIVATION_CODE = { none: 0, relu: 1, tanh: 2 } as const;
/** Test-set rows per forward pass of evaluate(). */
const EVAL_ROWS = 250;
/** Rows the first layer's sparse product has room for: the largest batch the settings allow, and the test pass's 250. */
const SPARSE_ROWS = Math.max(EVAL_ROWS, CONFIG_FIELDS.batchSize.max);
const PAGE_BYTES = 65536;

/** A bump allocator over the engine's memory: buffers are byte offsets, 16-byte aligned, never freed. */
class Arena {
  private top: number;
  private view: Float32Array;
  /** `base`: the first byte after the kernels' static data (> 0, so 0 can mean "no buffer"). */
  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.view = new Float32Array(memory.buffer);
    this.top = Math.max(16, base);
  }
  alloc(floats: number): number {
    const ptr = (this.top + 15) & ~15;
    this.top = ptr + Math.max(1, floats) * 4;
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_BYTES));
    return ptr;
  }
  /** The memory as floats (a fresh view after the memory grew). */
  get f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}

interface BlockBuffers {
  /** Rows of this block's output per sample: output positions for conv, 1 for dense. */
  positions: number;
  out: number;
  /** BatchNorm only: the pre-normalisation input, the normalised values, per-channel statistics. */
  z: number; mean: number; variance: number; invStd: number;
  runMean: number; runVar: number;
  /** Conv only: the im2col matrix of the input. */
  cols: number;
  /** Conv after a ReLU only (skipsZeros): each pair of im2col rows' nonzero columns (listRowPairs), and each pair of output-gradient rows'. */
  colLists: number;
  gradLists: number;
  /** The weights transposed (channels x 9c), for the input gradient over the output gradient's nonzeros. */
  weightT: number;
  /** The output gradient transposed (channels x rows) and its pairs of rows' nonzeros, and the weight gradient transposed (channels x 9c) and back. */
  gradT: number;
  gradTLists: number;
  weightGradT: number;
  weightGrad: number;
}

export class SimdEngine implements TrainingEngine {
  readonly name = 'simd' as const;
  /** Whether convolutions after a ReLU skip its zeros (skipsZeros); false only to show in a test that skipping changes no bit. */
  zeroSkipping = true;
  /** Called before each test batch of evaluate(): a measuring worker waits there while the page draws. */
  pausePoint: (() => void) | null = null;
  private readonly arena: Arena;
  private k: Kernels;
  /** The kernels as the engine calls them: with a helper thread, the heavy ones share their work (kernelThreads.ts). */
  private readonly calls: Kernels;
  /** The helper thread for the heavy kernels, or null: one thread. */
  private readonly threads: KernelThreads | null;
  private readonly params: { ptr: number; size: number }[];
  private readonly grads: number[];
  /** Momentum buffers, created on the first step with momentum (torch.optim.SGD starts them at the first gradient). */
  private velocity: number[] | null = null;
  private readonly velocityStarted: boolean[];
  private readonly blocks: BlockBuffers[] = [];
  private capacity = 0;
  private input = 0;
  private labels = 0;
  private gradA = 0;
  private gradB = 0;
  private dcols = 0;
  private readonly scratch: number;
  private lossSum = 0;
  private readonly inSize: number;
  /**
   * On data with a background value (MNIST's blank pixel, ~81% of them), the first dense layer's
   * products take only the pixels that are not background: the forward product (gemmSparseA, its
   * lists at sparseWork), in training and in the test pass, and the weight gradient fused into
   * the update (gemmSparseAT, over the same lists). Equal to the dense products to float32
   * rounding (the same sums in another order). Those two products were 42% of the default
   * network's B=32 step; whole steps are 1.18x (B=8) and 1.28x (B=32) faster, MLP-BN-10-100's
   * 1.09-1.12x. 0 where the data has no background.
   */
  private sparseWork = 0;
  /** The last forward pass took the sparse product: its lists in sparseWork describe this.input, so the backward pass can use them (gemmSparseAT). */
  private sparseIndexed = false;

  constructor(readonly architecture: Architecture, private readonly data: Dataset) {
    this.inSize = inputSize(data);
    // Only a network with convolutions has products large enough to share (an MLP's at the lab's
    // widths are under MIN_SHARED_FLOPS, or the first layer's sparse ones): on a shared memory
    // without a helper's work an MLP trained 2-4% slower (same-process A/B).
    const threads = architecture.blocks.some((b) => b.kind === 'conv') ? kernelThreadsSetting() : null;
    const memory = threads ? sharedMemory() : new WebAssembly.Memory({ initial: 16 });
    const kernels = instantiateKernels(memory);
    this.threads = threads ? new KernelThreads(kernels, memory, threads.module, threads.start) : null;
    this.calls = this.k = this.threads ? this.threads.wrap() : kernels;
    this.arena = new Arena(memory, this.k.heapBase());
    this.params = architecture.params.map((p) => ({ ptr: this.arena.alloc(p.initial.length), size: p.initial.length }));
    this.grads = this.params.map((p) => this.arena.alloc(p.size));
    this.velocityStarted = this.params.map(() => false);
    const f = this.arena.f32;
    architecture.params.forEach((p, i) => f.set(p.initial, this.params[i].ptr >> 2));
    this.scratch = this.arena.alloc(4);
    for (const b of architecture.blocks) {
      const channels = b.output[2];
      const stat = () => (b.bn ? this.arena.alloc(channels) : 0);
      const buffers: BlockBuffers = {
        positions: b.kind === 'conv' ? b.output[0] * b.output[1] : 1,
        out: 0, z: 0, cols: 0, colLists: 0, gradLists: 0, weightT: 0, gradT: 0, gradTLists: 0, weightGradT: 0, weightGrad: 0,
        mean: stat(), variance: stat(), invStd: stat(), runMean: stat(), runVar: stat(),
      };
      if (b.bn) this.arena.f32.fill(1, buffers.runVar >> 2, (buffers.runVar >> 2) + channels); // running variance starts at 1
      this.blocks.push(buffers);
    }
    this.ensureCapacity(EVAL_ROWS);
    const first = architecture.blocks[0];
    if (first.kind === 'dense' && data.background !== undefined) this.sparseWork = this.arena.alloc(SPARSE_ROWS * (this.inSize + 1) + first.output[2]);
  }

  /** Activation buffers for `rows` samples; they only grow (a larger batch lays out new ones). */
  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const a = this.arena;
    this.input = a.alloc(rows * this.inSize);
    this.labels = a.alloc(rows);
    let largest = 0, largestCols = 0, workspace = 0, deepest = 0;
    this.architecture.blocks.forEach((b, l) => {
      const buf = this.blocks[l];
      const size = rows * buf.positions * b.output[2];
      // Each of this block's products packs k x (n + 4) floats: forward (k = depth, n = channels),
      // weight gradient (k = rows, n = channels), input gradient (k = channels, n = depth).
      const depth = b.kind === 'dense' ? b.input[2] : 9 * b.input[2];
      const channels = b.output[2];
      workspace = Math.max(workspace, depth * (channels + 4), rows * buf.positions * (channels + 4), channels * (depth + 4));
      deepest = Math.max(deepest, depth, rows * buf.positions, channels);
      buf.out = a.alloc(size);
      if (b.bn) buf.z = a.alloc(size);
      if (b.kind === 'conv') {
        const colSize = rows * buf.positions * 9 * b.input[2];
        buf.cols = a.alloc(colSize);
        if (this.readsRelu(l)) {
          const c = b.input[2];
          const pairs = Math.ceil((rows * buf.positions) / 2);
          buf.colLists = a.alloc(pairs * (9 * c + 4));
          buf.gradLists = a.alloc(pairs * (channels + 4));
          buf.weightT ||= a.alloc(9 * c * channels);
          buf.weightGradT ||= a.alloc(9 * c * channels);
          buf.weightGrad ||= a.alloc(9 * c * channels);
          buf.gradT = a.alloc(rows * buf.positions * channels);
          buf.gradTLists = a.alloc(Math.ceil(channels / 2) * (rows * buf.positions + 4));
        }
        if (l > 0) largestCols = Math.max(largestCols, colSize);
      }
      largest = Math.max(largest, size);
    });
    this.gradA = a.alloc(largest);
    this.gradB = a.alloc(largest);
    this.dcols = a.alloc(largestCols);
    // Where the products pack their operands (assembly/kernels.ts, gemm).
    const ptr = a.alloc(workspace);
    if (this.threads) this.threads.setWorkspace(ptr, workspace * 4, a.alloc(4 * deepest));
    else this.k.setWorkspace(ptr, workspace * 4);
    this.capacity = rows;
  }

  /** Copy the rows (and labels) of a batch into the input buffer. */
  private load(x: Float32Array, y: Int32Array, rows: ArrayLike<number>): void {
    this.ensureCapacity(rows.length);
    const f = this.arena.f32;
    const labels = new Int32Array(f.buffer, this.labels, rows.length);
    const d = this.inSize;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      f.set(x.subarray(i * d, i * d + d), (this.input >> 2) + r * d);
      labels[r] = y[i];
    }
  }

  private forward(n: number, mode: 'train' | 'eval'): void {
    const k = this.k;
    let input = this.input;
    this.architecture.blocks.forEach((b, l) => {
      const buf = this.blocks[l];
      const rows = n * buf.positions;
      const channels = b.output[2];
      const target = b.bn ? buf.z : buf.out;
      const weight = this.params[b.weight].ptr;
      if (b.kind === 'dense') {
        const dIn = b.input[2];
        const sparse = l === 0 && n <= SPARSE_ROWS && this.sparseWork !== 0 && k.gemmSparseA(n, channels, dIn, input, dIn, this.data.background!, weight, channels, target, channels, this.sparseWork);
        if (l === 0) this.sparseIndexed = Boolean(sparse);
        if (!sparse) k.gemm(n, channels, dIn, input, dIn, 1, weight, channels, target, channels, 1, 0);
      } else {
        const [h, w, c] = b.input;
        const skips = this.skipsZeros(l);
        k.im2col(input, n, h, w, c, b.output[0], b.output[1], buf.cols);
        if (skips) {
          k.listRowPairs(buf.cols, rows, 9 * c, buf.colLists);
          k.gemmZeroSkip(0, rows, channels, 9 * c, buf.cols, 9 * c, weight, channels, target, channels, buf.colLists);
        }
        else k.gemm(rows, channels, 9 * c, buf.cols, 9 * c, 1, weight, channels, target, channels, 1, 0);
      }
      const act = ACTIVATION_CODE[b.activation ?? 'none'];
      if (b.bn) {
        const [gamma, beta] = [this.params[b.bn.scale].ptr, this.params[b.bn.shift].ptr];
        k.biasAct(buf.z, buf.z, this.params[b.bias].ptr, rows, channels, 0);
        if (mode === 'train') k.batchNormTrain(buf.z, rows, channels, gamma, beta, BN_EPSILON, buf.out, buf.mean, buf.variance, buf.invStd);
        else k.batchNormEval(buf.z, rows, channels, gamma, beta, buf.runMean, buf.runVar, BN_EPSILON, buf.out);
        k.biasAct(buf.out, buf.out, 0, rows, channels, act);
      } else {
        k.biasAct(buf.out, buf.out, this.params[b.bias].ptr, rows, channels, act);
      }
      input = buf.out;
    });
  }

  /**
   * Loss and backward pass for the batch in the input buffer. With `update`, every
   * weight matrix is updated in its gradient product (and the small tensors after);
   * without, the gradients are left in the grad buffers. Returns the summed loss.
   */
  private backward(n: number, update: { rho: number; mu: number } | null, outputGradient?: (block: number, ptr: number) => void): number {
    const k = this.k;
    const blocks = this.architecture.blocks;
    const last = this.blocks[blocks.length - 1];
    const classes = this.architecture.numClasses;
    let g = this.gradA, spare = this.gradB;
    const loss = k.softmaxCrossEntropy(last.out, this.labels, n, classes, g, 1 / n, this.scratch);
    for (let l = blocks.length - 1; l >= 0; l--) {
      const b = blocks[l], buf = this.blocks[l];
      const rows = n * buf.positions;
      const channels = b.output[2];
      if (b.activation) k.actBackward(g, buf.out, rows * channels, ACTIVATION_CODE[b.activation]);
      if (b.bn) k.batchNormBackward(g, buf.z, rows, channels, this.params[b.bn.scale].ptr, BN_EPSILON, g, this.grads[b.bn.scale], this.grads[b.bn.shift]);
      k.columnSums(g, rows, channels, this.grads[b.bias]);
      outputGradient?.(l, g);
      const weight = this.params[b.weight].ptr;
      // The input gradient first: it needs the weights before their update.
      if (l > 0) this.inputGradient(l, n, rows, g, weight, spare);
      const [source, depth, sourceRows] = b.kind === 'dense'
        ? [l === 0 ? this.input : this.blocks[l - 1].out, b.input[2], n]
        : [buf.cols, 9 * b.input[2], rows];
      const [target, alpha, beta] = update ? [weight, -update.mu, update.rho] : [this.grads[b.weight], 1, 0];
      // The first layer's X^T dZ over the pixels that are not background, where the forward pass listed them.
      if (l === 0 && b.kind === 'dense' && this.sparseIndexed) k.gemmSparseAT(n, channels, depth, source, depth, this.data.background!, g, channels, target, channels, alpha, beta, this.sparseWork);
      else if (this.skipsGradientZeros(l)) {
        // A convolution's cols^T dZ over dZ's nonzeros, as (dZ^T cols)^T: each weight's sum over the
        // rows in gemm's order, less the zero terms.
        k.transpose(g, sourceRows, channels, buf.gradT);
        k.listRowPairs(buf.gradT, channels, sourceRows, buf.gradTLists);
        k.gemmZeroSkip(0, channels, depth, sourceRows, buf.gradT, sourceRows, source, depth, buf.weightGradT, depth, buf.gradTLists);
        k.transpose(buf.weightGradT, channels, depth, buf.weightGrad);
        k.applyGradient(target, buf.weightGrad, depth * channels, alpha, beta);
      } else k.gemm(depth, channels, sourceRows, source, 1, depth, g, channels, target, channels, alpha, beta);
      [g, spare] = [spare, g];
    }
    if (update) {
      const weights = new Set(blocks.map((b) => b.weight));
      this.params.forEach((p, i) => { if (!weights.has(i)) k.sgdStep(p.ptr, this.grads[i], p.size, update.rho, update.mu); });
    }
    return loss;
  }

  private inputGradient(l: number, n: number, rows: number, g: number, weight: number, out: number): void {
    const b = this.architecture.blocks[l], buf = this.blocks[l];
    const channels = b.output[2];
    if (b.kind === 'dense') {
      const dIn = b.input[2];
      this.k.gemmNT(n, dIn, channels, g, channels, weight, channels, out, dIn, 1, 0);
    } else {
      const [h, w, c] = b.input;
      // After a ReLU without BatchNorm the output gradient is as sparse as the outputs; the skip
      // is taken where gemmNT would pack, so that it runs the same sums (the unpacked gemmNT
      // sums along k in four lanes).
      if (this.skipsGradientZeros(l) && this.k.packs(rows, 9 * c, channels)) {
        this.k.transpose(weight, 9 * c, channels, buf.weightT);
        this.k.listRowPairs(g, rows, channels, buf.gradLists);
        this.k.gemmZeroSkip(0, rows, 9 * c, channels, g, channels, buf.weightT, 9 * c, this.dcols, 9 * c, buf.gradLists);
      } else {
        this.k.gemmNT(rows, 9 * c, channels, g, channels, weight, channels, this.dcols, 9 * c, 1, 0);
      }
      this.k.col2im(this.dcols, n, h, w, c, b.output[0], b.output[1], out);
    }
  }

  /** Whether conv block l reads a ReLU's outputs (about half zeros) with widths the zero-skipping kernels take (multiples of 4). */
  private readsRelu(l: number): boolean {
    const b = this.architecture.blocks[l], before = this.architecture.blocks[l - 1];
    return b.kind === 'conv' && before?.activation === 'relu' && b.input[2] % 4 === 0 && b.output[2] % 4 === 0;
  }

  /** Whether conv block l's products multiply only nonzero entries (its lists are allocated with its buffers). */
  private skipsZeros(l: number): boolean {
    return this.zeroSkipping && this.readsRelu(l);
  }

  step(batch: Int32Array, h: SgdHyperparameters): void {
    const n = batch.length;
    this.load(this.data.trainX, this.data.trainY, batch);
    this.forward(n, 'train');
    const fused = h.momentum === 0;
    const rho = decayPerStep(h);
    const loss = this.backward(n, fused ? { rho, mu: h.learningRate } : null);
    if (!fused) this.momentumStep(h);
    this.architecture.blocks.forEach((b, l) => {
      const buf = this.blocks[l];
      if (b.bn) this.k.batchNormRunning(buf.runMean, buf.runVar, buf.mean, buf.variance, b.output[2], n * buf.positions, BN_MOMENTUM);
    });
    this.lossSum += loss / n;
  }

  private momentumStep(h: SgdHyperparameters): void {
    if (!this.velocity) this.velocity = this.params.map((p) => this.arena.alloc(p.size));
    const v = this.velocity;
    this.params.forEach((p, i) => {
      this.k.sgdMomentumStep(p.ptr, this.grads[i], v[i], p.size, h.learningRate, 2 * h.weightDecay, h.momentum, this.velocityStarted[i] ? 0 : 1);
      this.velocityStarted[i] = true;
    });
  }

  async readMomentum(): Promise<Float32Array[] | null> {
    if (!this.velocity || !this.velocityStarted.some(Boolean)) return null;
    return this.params.map((p, i) => this.copy(this.velocity![i], p.size));
  }

  writeMomentum(buffers: Float32Array[] | null): void {
    if (buffers && (buffers.length !== this.params.length || buffers.some((b, i) => b.length !== this.params[i].size))) {
      throw new Error('the momentum buffers do not fit this network');
    }
    this.velocityStarted.fill(buffers !== null);
    if (!buffers) return;
    this.velocity ??= this.params.map((p) => this.arena.alloc(p.size));
    buffers.forEach((b, i) => this.arena.f32.set(b, this.velocity![i] >> 2));
  }

  async countDispatches(batch: Int32Array, h: SgdHyperparameters): Promise<number> {
    let calls = 0;
    const counting = Object.fromEntries(Object.entries(this.calls).map(([name, fn]) => [name,
      typeof fn === 'function' ? (...args: number[]) => { calls++; return (fn as (...a: number[]) => number)(...args); } : fn]));
    this.k = counting as unknown as Kernels;
    try { this.step(batch, h); } finally { this.k = this.calls; }
    return calls;
  }

  async takeLossSum(): Promise<number> {
    const total = this.lossSum;
    this.lossSum = 0;
    return total;
  }

  async sync(): Promise<void> {}

  private copy(ptr: number, size: number): Float32Array {
    return this.arena.f32.slice(ptr >> 2, (ptr >> 2) + size);
  }

  async readWeights(): Promise<Float32Array[]> {
    return this.architecture.layers.map((l) => this.copy(this.params[l.param].ptr, this.params[l.param].size));
  }

  async gradients(batch: Int32Array): Promise<Float32Array[]> {
    this.load(this.data.trainX, this.data.trainY, batch);
    this.forward(batch.length, 'train');
    this.backward(batch.length, null);
    return this.architecture.layers.map((l) => this.copy(this.grads[l.param], this.params[l.param].size));
  }

  async gradientFactors(batch: Int32Array): Promise<(GradientFactors | Float32Array)[]> {
    const n = batch.length;
    const blocks = this.architecture.blocks;
    const factored = (b: LayerBlock) => b.kind === 'dense' && n < Math.min(b.input[2], b.output[2]);
    this.load(this.data.trainX, this.data.trainY, batch);
    this.forward(n, 'train');
    // D of each factored block: the gradient at its output (after activation and BatchNorm
    // backward), the right factor of its weight-gradient product.
    const right = new Map<number, Float32Array>();
    this.backward(n, null, (l, ptr) => {
      if (factored(blocks[l])) right.set(l, this.copy(ptr, n * blocks[l].output[2]));
    });
    return this.architecture.layers.map((layer) => {
      const l = blocks.findIndex((b) => b.weight === layer.param);
      const b = blocks[l];
      if (!factored(b)) return this.copy(this.grads[layer.param], this.params[layer.param].size);
      return { batch: n, left: this.copy(l === 0 ? this.input : this.blocks[l - 1].out, n * b.input[2]), right: right.get(l)! };
    });
  }

  async evaluate(): Promise<{ testAccuracy: number; testLoss: number }> {
    const { testX, testY } = this.data;
    const total = testY.length;
    const last = this.blocks[this.blocks.length - 1];
    let loss = 0, correct = 0;
    for (let start = 0; start < total; start += EVAL_ROWS) {
      this.pausePoint?.();
      const rows = Array.from({ length: Math.min(EVAL_ROWS, total - start) }, (_, i) => start + i);
      this.load(testX, testY, rows);
      this.forward(rows.length, 'eval');
      loss += this.k.softmaxCrossEntropy(last.out, this.labels, rows.length, this.architecture.numClasses, 0, 0, this.scratch);
      correct += new Int32Array(this.arena.memory.buffer, this.scratch, 1)[0];
    }
    return { testAccuracy: correct / total, testLoss: loss / total };
  }

  async readTensors(): Promise<NamedTensor[]> {
    const a = this.architecture;
    const out: NamedTensor[] = a.params.map((p, i) => ({ name: p.name, shape: [...p.shape], data: this.copy(this.params[i].ptr, this.params[i].size) }));
    const names = stateNames(a);
    let s = 0;
    a.blocks.forEach((b, l) => {
      if (!b.bn) return;
      const buf = this.blocks[l];
      out.push({ name: names[s++], shape: [b.bn.channels], data: this.copy(buf.runMean, b.bn.channels) });
      out.push({ name: names[s++], shape: [b.bn.channels], data: this.copy(buf.runVar, b.bn.channels) });
    });
    return out;
  }

  writeTensors(tensors: NamedTensor[]): void {
    const a = this.architecture;
    const names = stateNames(a);
    const stats = a.blocks.flatMap((b, l) => (b.bn ? [[this.blocks[l].runMean, b.bn.channels], [this.blocks[l].runVar, b.bn.channels]] : []));
    for (const t of tensors) {
      const p = a.params.findIndex((q) => q.name === t.name);
      const s = names.indexOf(t.name);
      const [ptr, size] = p >= 0 ? [this.params[p].ptr, this.params[p].size] : s >= 0 ? stats[s] : [0, 0];
      if (!ptr || size !== t.data.length) throw new Error(`cannot write ${t.name} (${t.data.length} values) into this network`);
      this.arena.f32.set(t.data, ptr >> 2);
    }
  }

  /** Whether conv block l's output gradient skips zeros too: after its own ReLU without BatchNorm it is as sparse as the outputs (BatchNorm's backward makes it dense). */
  private skipsGradientZeros(l: number): boolean {
    const b = this.architecture.blocks[l];
    return this.skipsZeros(l) && b.activation === 'relu' && !b.bn;
  }

  usesHelperThread(): boolean {
    return this.threads?.ready ?? false;
  }

  /** 2 once the helper thread shares the heavy kernels, 1 without one (waits up to 5 s for it to start). */
  async threadCount(): Promise<1 | 2> {
    return this.threads && (await this.threads.whenReady()) ? 2 : 1;
  }

  dispose(): void {
    this.threads?.stop();
    // The memory goes with the last reference to the engine; drop the big views now.
    this.params.length = 0;
  }
}
