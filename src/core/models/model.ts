// What the trainer needs from a network: its trainable tensors in a fixed order,
// a forward pass, and which tensors are the weight matrices whose spectra we measure.

import type * as tf from '../tf';

export interface Param {
  /** Stable, file-name-safe name, e.g. "fc1.weight", "conv2.bias", "bn1.scale". */
  name: string;
  variable: tf.Variable;
}

/**
 * A weight matrix as the paper measures it. `shape` is [dOut, dIn]: for a conv
 * kernel that is [C_out, C_in*k*k], the authors' reshape.
 */
export interface MeasuredLayer {
  name: string;
  param: Param;
  shape: [number, number];
  /** How many times the layer is applied per sample (1 dense; output positions for conv). */
  positionsPerSample: number;
}

/** Batch statistics of one BatchNorm layer, from a training-mode forward pass. */
export interface BatchMoments {
  mean: tf.Tensor;
  variance: tf.Tensor;
  count: number;
}

export interface Model {
  params: Param[];
  layers: MeasuredLayer[];
  /**
   * Logits [batch, classes]. In training mode BatchNorm uses the batch's own
   * statistics and reports them through `moments` (kept out of the tape so the
   * caller can update running averages after the gradient step).
   */
  forward(x: tf.Tensor2D, mode: 'train' | 'eval', moments?: BatchMoments[]): tf.Tensor2D;
  /** Fold a training step's batch statistics into the running averages used by eval. */
  updateRunningStats(moments: BatchMoments[]): void;
  /** CNN only: [height, width, channels] of the feature map the dense head flattens (NHWC order). */
  headInput?: [number, number, number];
  /** Non-trainable state (BatchNorm running mean/variance), for export and disposal. */
  state: { name: string; variable: tf.Variable }[];
  dispose(): void;
}
