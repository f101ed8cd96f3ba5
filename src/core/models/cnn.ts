// A small convnet: 2 or 3 conv layers (3x3, stride 2, padding 1: 28 -> 14 -> 7 -> 4),
// each with optional BatchNorm and the activation, then one dense layer to the logits.
// Stride instead of pooling keeps every layer a plain linear map the paper can reason about.

import * as tf from '../tf';
import { KERNEL, PAD, STRIDE, type Architecture } from './architecture';
import type { BatchMoments, MeasuredLayer, Model } from './model';
import { activate, applyBatchNorm, createBatchNorm, modelPlumbing, paramVariable } from './layers';

/**
 * The nine taps of a 3x3, stride-2, padding-1 convolution stacked along channels:
 * [batch*outH*outW, k*k*C_in], the "im2col" matrix. Strided slices have kernels on
 * every backend (but no gradient, which is why this is only used inside a gradient).
 */
export function patches(x: tf.Tensor4D, outH: number, outW: number): tf.Tensor2D {
  const [batch, height, width, channels] = x.shape;
  const padded = tf.pad(x, [[0, 0], [PAD, 2 * outH + KERNEL - 1 - height - PAD], [PAD, 2 * outW + KERNEL - 1 - width - PAD], [0, 0]]);
  const taps: tf.Tensor[] = [];
  for (let dy = 0; dy < KERNEL; dy++) {
    for (let dx = 0; dx < KERNEL; dx++) {
      taps.push(tf.stridedSlice(padded, [0, dy, dx, 0], [batch, dy + 2 * outH - 1, dx + 2 * outW - 1, channels], [1, STRIDE, STRIDE, 1]));
    }
  }
  return tf.reshape(tf.concat(taps, 3), [batch * outH * outW, KERNEL * KERNEL * channels]);
}

/**
 * PyTorch's Conv2d(k=3, stride=2, padding=1). The forward pass and the input
 * gradient use tfjs' conv kernels; the kernel gradient is written out as
 * im2col(x)^T @ dy because tfjs' WASM backend has no Conv2DBackpropFilter kernel.
 * That product is also the paper's picture of a conv layer: one dense layer
 * applied at every output position, so its gradient has rank <= B * R.
 */
export const conv3x3Stride2 = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, kernel, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, kernel]);
  return {
    value: tf.conv2d(x, kernel, STRIDE, PAD),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ks] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D;
      const [, outH, outW, cOut] = g.shape;
      const dx = tf.conv2dTranspose(g, ks, xs.shape, STRIDE, PAD);
      const dyFlat = tf.reshape(g, [-1, cOut]);
      const dk = tf.reshape(tf.matMul(patches(xs, outH, outW), dyFlat, true, false), ks.shape);
      return [dx, dk];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor4D, kernel: tf.Tensor4D) => tf.Tensor4D;

export function createCnn(arch: Architecture): Model {
  const params = arch.params.map(paramVariable);
  const [height, width, channelsIn] = arch.inputShape;
  const convs = arch.blocks.filter((b) => b.kind === 'conv').map((b) => ({
    kernel: params[b.weight], // tfjs layout [k, k, C_in, C_out]
    bias: params[b.bias],
    bn: b.bn ? createBatchNorm(b.bn, params, [0, 1, 2]) : undefined,
    activation: b.activation!,
  }));
  const headBlock = arch.blocks[arch.blocks.length - 1];
  const head = params[headBlock.weight];
  const headBias = params[headBlock.bias];
  const flat = headBlock.input[2];
  const layers: MeasuredLayer[] = arch.layers.map((l) => ({ ...l, param: params[l.param] }));
  const norms = convs.flatMap((c) => (c.bn ? [c.bn] : []));

  return {
    params,
    layers,
    headInput: arch.headInput,
    ...modelPlumbing(params, norms),
    forward(x: tf.Tensor2D, mode, moments?: BatchMoments[]) {
      let a: tf.Tensor = tf.reshape(x, [x.shape[0], height, width, channelsIn]);
      for (const c of convs) {
        a = tf.add(conv3x3Stride2(a as tf.Tensor4D, c.kernel.variable as tf.Tensor4D), c.bias.variable);
        if (c.bn) a = applyBatchNorm(c.bn, a, mode, moments);
        a = activate(a, c.activation);
      }
      const flatA = tf.reshape(a, [x.shape[0], flat]) as tf.Tensor2D;
      return tf.add(tf.matMul(flatA, head.variable as tf.Tensor2D), headBias.variable) as tf.Tensor2D;
    },
  };
}
