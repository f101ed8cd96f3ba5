// Building blocks shared by the MLP and the CNN: seeded initial values and a
// BatchNorm that matches torch.nn.BatchNorm1d/2d in training and eval mode.

import * as tf from '../tf';
import type { BatchMoments, Param } from './model';
import { BN_EPSILON, BN_MOMENTUM, type BatchNormSpec, type ParamSpec } from './architecture';


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

/** A trainable tfjs variable holding a parameter's initial values. */
export const paramVariable = (p: ParamSpec): Param => ({ name: p.name, variable: variableFrom(tf.tensor(p.initial, p.shape), true) });

export function createBatchNorm(spec: BatchNormSpec, params: Param[], axes: number[]): BatchNormLayer {
  return {
    scale: params[spec.scale],
    shift: params[spec.shift],
    runningMean: filled([spec.channels], 0, false),
    runningVariance: filled([spec.channels], 1, false),
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

