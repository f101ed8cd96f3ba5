// Building blocks shared by the MLP and the CNN: seeded initial values and a
// BatchNorm that matches torch.nn.BatchNorm1d/2d in training and eval mode.

import * as tf from '../tf';
import type { Random } from '../random';
import type { BatchMoments, Param } from './model';

/** PyTorch's BatchNorm defaults, so runs can be replayed there. */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;

/**
 * He-normal weights (std sqrt(gain/fanIn), gain 2 before ReLU, 1 before tanh or
 * the logits), drawn in row-major order of the tfjs layout from the model's
 * 'init' stream; biases start at 0, BatchNorm at scale 1 and shift 0.
 */
export function initialWeights(random: Random, shape: number[], fanIn: number, gain: number): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  const std = Math.sqrt(gain / fanIn);
  for (let i = 0; i < size; i++) values[i] = random.normal() * std;
  return variableFrom(tf.tensor(values, shape), true);
}

/** A variable that takes over `initial`'s data; disposing the temporary keeps tf.memory() honest. */
export function variableFrom(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}

export const filled = (shape: number[], value: number, trainable = true) =>
  variableFrom(tf.fill(shape, value), trainable);

export interface BatchNormLayer {
  scale: Param;
  shift: Param;
  runningMean: tf.Variable;
  runningVariance: tf.Variable;
  /** Axes to average over: [0] for dense activations, [0,1,2] for NHWC feature maps. */
  axes: number[];
}

export function createBatchNorm(name: string, channels: number, axes: number[]): BatchNormLayer {
  return {
    scale: { name: `${name}.scale`, role: 'bnScale', variable: filled([channels], 1) },
    shift: { name: `${name}.shift`, role: 'bnShift', variable: filled([channels], 0) },
    runningMean: filled([channels], 0, false),
    runningVariance: filled([channels], 1, false),
    axes,
  };
}

export function applyBatchNorm(
  bn: BatchNormLayer,
  x: tf.Tensor,
  mode: 'train' | 'eval',
  moments?: BatchMoments[],
): tf.Tensor {
  let mean: tf.Tensor, variance: tf.Tensor;
  if (mode === 'train') {
    // Biased batch variance for normalising, as PyTorch does in training mode.
    ({ mean, variance } = tf.moments(x, bn.axes));
    if (moments) {
      const count = bn.axes.reduce((n, a) => n * x.shape[a]!, 1);
      moments.push({ mean: tf.keep(tf.clone(mean)), variance: tf.keep(tf.clone(variance)), count });
    }
  } else {
    mean = bn.runningMean;
    variance = bn.runningVariance;
  }
  const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(normalised, bn.scale.variable), bn.shift.variable);
}

/** running <- (1 - m) * running + m * batch, with the unbiased batch variance (PyTorch's rule). */
export function updateBatchNormStats(bn: BatchNormLayer, m: BatchMoments): void {
  tf.tidy(() => {
    const unbiased = m.count > 1 ? tf.mul(m.variance, m.count / (m.count - 1)) : m.variance;
    bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - BN_MOMENTUM), tf.mul(m.mean, BN_MOMENTUM)));
    bn.runningVariance.assign(tf.add(tf.mul(bn.runningVariance, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
  });
}

/**
 * The Model members every architecture shares once its parameters and BatchNorm
 * layers exist: running-statistics state, their update, and disposal.
 */
export function modelPlumbing(params: Param[], norms: BatchNormLayer[]) {
  return {
    state: norms.flatMap((bn) => {
      const base = bn.scale.name.replace('.scale', '');
      return [{ name: `${base}.runningMean`, variable: bn.runningMean }, { name: `${base}.runningVariance`, variable: bn.runningVariance }];
    }),
    updateRunningStats(moments: BatchMoments[]) {
      norms.forEach((bn, i) => updateBatchNormStats(bn, moments[i]));
    },
    dispose() {
      for (const p of params) p.variable.dispose();
      for (const bn of norms) { bn.runningMean.dispose(); bn.runningVariance.dispose(); }
    },
  };
}

export function activate(x: tf.Tensor, activation: 'relu' | 'tanh'): tf.Tensor {
  return activation === 'relu' ? tf.relu(x) : tf.tanh(x);
}

export const activationGain = (activation: 'relu' | 'tanh') => (activation === 'relu' ? 2 : 1);
