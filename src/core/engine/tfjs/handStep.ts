// One SGD step of the tfjs engine without tfjs' tape: the forward pass with fused
// operations (x @ W + b and the activation in one tf.fused.matMul, a conv with its
// bias and activation in one tf.fused.conv2d), the backward pass written out by hand
// for dense and 3x3 stride-2 conv layers, BatchNorm, ReLU/tanh and softmax
// cross-entropy, and every tensor's update W <- rho*W - mu*G as one operation that
// also sums a bias gradient over the batch (ops.ts / kernels.ts); at small batches a
// dense weight's update computes its gradient x^T dz in place, as RankLab's SIMD engine
// does. The step enqueues work only; nothing is read back.
//
// Backward pass, per block (z = x W + b, optional BatchNorm, y = act(.)), from the
// gradient g = dL/dy:
//   dz = g * act'(y)                      (BatchNorm: its own input gradient, with
//                                          the shift and scale gradients as sums)
//   dW = x^T dz  (conv: im2col(x)^T dz)   db = sum over rows of dz
//   dL/dx = dz W^T  (conv: conv2dTranspose(dz, W); on WASM col2im(dz W^T))
// and at the top dL/dlogits = (softmax(logits) - onehot) / B.

import { buffersFrom, readBuffers } from './momentumBuffers';
import * as tf from '../../tf';
import { BN_MOMENTUM, PAD, STRIDE, type Architecture } from '../../models/architecture';
import type { Model } from '../../models/model';
import { decayPerStep } from '../../theory';
import type { SgdHyperparameters } from '../../train/sgd';
import type { StepOps } from './ops';

interface Saved {
  /** The block's input (dense: [B, dIn]; conv: NHWC). */
  input: tf.Tensor;
  /** BatchNorm only: its input (the linear map's output) and batch statistics. */
  z: tf.Tensor | null;
  stats: tf.Tensor2D | null;
  /** The block's output: after the activation, or the logits. */
  out: tf.Tensor;
}

export class HandStep {
  private readonly params: tf.Variable[];
  private readonly running: { mean: tf.Variable; variance: tf.Variable }[];
  /** torch.optim.SGD's momentum buffers, created on the first step with momentum. */
  private velocity: (tf.Variable | null)[];

  constructor(private readonly architecture: Architecture, model: Model, private readonly ops: StepOps) {
    this.params = model.params.map((p) => p.variable);
    const state = new Map(model.state.map((s) => [s.name, s.variable]));
    this.running = architecture.batchNorms.map((bn) => ({ mean: state.get(`${bn.name}.runningMean`)!, variance: state.get(`${bn.name}.runningVariance`)! }));
    this.velocity = this.params.map(() => null);
  }

  /** One step on the batch (x, one-hot y); adds the batch's mean loss to `lossSum` ([1]). Call inside tf.tidy. */
  step(x: tf.Tensor2D, y: tf.Tensor2D, h: SgdHyperparameters, lossSum: tf.Variable): void {
    const { ops, params, architecture: arch } = this;
    const n = x.shape[0];

    // Forward, keeping what the backward pass needs.
    const saved: Saved[] = [];
    let a: tf.Tensor = arch.kind === 'cnn' ? tf.reshape(x, [n, ...arch.inputShape]) : x;
    for (const b of arch.blocks) {
      const weight = params[b.weight], bias = params[b.bias] as tf.Tensor1D;
      // The activation is fused into the linear map unless BatchNorm comes in between (tfjs fuses no tanh).
      const fused = b.activation === 'relu' && !b.bn ? 'relu' : 'linear';
      let input = a, z: tf.Tensor;
      if (b.kind === 'dense') {
        if (input.rank !== 2) input = tf.reshape(input, [n, b.input[2]]);
        z = tf.fused.matMul({ a: input as tf.Tensor2D, b: weight as tf.Tensor2D, bias, activation: fused });
      } else {
        z = tf.fused.conv2d({ x: input as tf.Tensor4D, filter: weight as tf.Tensor4D, strides: STRIDE, pad: PAD, bias, activation: fused });
      }
      let out = z, stats: tf.Tensor2D | null = null;
      if (b.bn) {
        stats = ops.bnStats(z);
        out = ops.bnApply(z, stats, params[b.bn.scale], params[b.bn.shift], b.activation!);
      } else if (b.activation === 'tanh') {
        out = tf.tanh(z);
      }
      saved.push({ input, z: b.bn ? z : null, stats, out });
      a = out;
    }
    const logits = a as tf.Tensor2D;
    lossSum.assign(ops.xentLoss(logits, y, lossSum));

    // Backward. Updates are collected and assigned at the end, so every gradient uses the step's weights.
    const updates: [tf.Variable, tf.Tensor][] = [];
    const update = (index: number, g: tf.Tensor, rows = 1, offset = 0) => {
      const w = params[index];
      if (h.momentum === 0) {
        updates.push([w, ops.sgdStep(w, g, decayPerStep(h), h.learningRate, rows, offset)]);
        return;
      }
      const v = ops.velocity(this.velocity[index], w, g, h.momentum, 2 * h.weightDecay, rows, offset);
      updates.push([w, ops.sgdStep(w, v, 1, h.learningRate)]);
      keepVelocity(index, v);
    };
    const keepVelocity = (index: number, v: tf.Tensor) => {
      const buffer = this.velocity[index];
      if (buffer) buffer.assign(v);
      else this.velocity[index] = tf.variable(v, false);
    };

    /** The same for a dense weight whose gradient is x^T dz: computed inside the update. */
    const updateOuter = (index: number, x: tf.Tensor2D, dz: tf.Tensor2D) => {
      const w = params[index];
      if (h.momentum === 0) {
        updates.push([w, ops.sgdStepOuter(w, x, dz, decayPerStep(h), h.learningRate)]);
        return;
      }
      const v = ops.velocityOuter(this.velocity[index], w, x, dz, h.momentum, 2 * h.weightDecay);
      updates.push([w, ops.sgdStep(w, v, 1, h.learningRate)]);
      keepVelocity(index, v);
    };

    let g: tf.Tensor = ops.xentGrad(logits, y);
    for (let l = arch.blocks.length - 1; l >= 0; l--) {
      const b = arch.blocks[l], s = saved[l];
      const channels = b.output[2];
      let dz: tf.Tensor;
      if (b.bn) {
        const sums = ops.bnGradSums(g, s.out, s.z!, s.stats!, b.activation!);
        dz = ops.bnGradInput(g, s.out, s.z!, s.stats!, params[b.bn.scale], sums, b.activation!);
        update(b.bn.shift, sums, 1, 0);
        update(b.bn.scale, sums, 1, channels);
      } else {
        dz = b.activation ? ops.actGrad(g, s.out, b.activation) : g;
      }
      const dz2 = dz.rank === 2 ? dz as tf.Tensor2D : tf.reshape(dz, [-1, channels]) as tf.Tensor2D;
      const weight = params[b.weight];
      if (l > 0) {
        g = b.kind === 'dense'
          ? ops.matMulNT(dz2, weight as tf.Tensor2D)
          : ops.convInputGrad(dz2, weight as tf.Tensor4D, s.input.shape as [number, number, number, number], b.output[0], b.output[1]);
      }
      if (b.kind === 'dense' && n <= ops.outerRows) updateOuter(b.weight, s.input as tf.Tensor2D, dz2);
      else if (b.kind === 'dense') update(b.weight, ops.matMulTN(s.input as tf.Tensor2D, dz2));
      else update(b.weight, tf.matMul(ops.im2colT(s.input as tf.Tensor4D, b.output[0], b.output[1]), dz2));
      update(b.bias, dz2, dz2.shape[0]);
    }

    // BatchNorm running statistics (PyTorch's rule, unbiased variance) as the same update:
    // running <- (1 - m) * running + m * batch statistic.
    arch.blocks.forEach((b, l) => {
      if (!b.bn) return;
      const stats = saved[l].stats!;
      const count = saved[l].z!.size / b.bn.channels;
      const running = this.running[arch.batchNorms.indexOf(b.bn)];
      const unbias = count > 1 ? count / (count - 1) : 1;
      updates.push([running.mean, ops.sgdStep(running.mean, stats, 1 - BN_MOMENTUM, -BN_MOMENTUM, 1, 0)]);
      updates.push([running.variance, ops.sgdStep(running.variance, stats, 1 - BN_MOMENTUM, -BN_MOMENTUM * unbias, 1, b.bn.channels)]);
    });

    for (const [variable, value] of updates) variable.assign(value);
  }

  /** The momentum buffers' values (null before a step with momentum). */
  readMomentum(): Promise<Float32Array[] | null> {
    return readBuffers(this.velocity);
  }

  writeMomentum(values: Float32Array[] | null): void {
    this.velocity = buffersFrom(this.velocity, values, this.params);
  }

  dispose(): void {
    for (const v of this.velocity) v?.dispose();
    this.velocity = this.params.map(() => null);
  }
}
