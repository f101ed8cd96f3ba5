// A small convnet: 2 or 3 conv layers (3x3, stride 2, padding 1: 28 -> 14 -> 7 -> 4),
// each with optional BatchNorm and the activation, then one dense layer to the logits.
// Stride instead of pooling keeps every layer a plain linear map the paper can reason about.

import * as tf from '../tf';
import { createRandom } from '../random';
import type { BatchMoments, MeasuredLayer, Model, Param } from './model';
import {
  activate, activationGain, applyBatchNorm, createBatchNorm, filled, initialWeights,
  modelPlumbing, type BatchNormLayer,
} from './layers';

export interface CnnOptions {
  inputShape: [number, number, number];
  numClasses: number;
  convLayers: number;
  channels: number;
  batchNorm: boolean;
  activation: 'relu' | 'tanh';
  seed: number;
}

export const KERNEL = 3;
const STRIDE = 2;
const PAD = 1;
const outSize = (n: number) => Math.floor((n + 2 * PAD - KERNEL) / STRIDE) + 1;

interface ConvLayer {
  kernel: Param; // tfjs layout [k, k, C_in, C_out]
  bias: Param;
  bn?: BatchNormLayer;
}

export function createCnn(o: CnnOptions): Model {
  const random = createRandom(o.seed, 'init');
  const [height, width, channelsIn] = o.inputShape;
  const convs: ConvLayer[] = [];
  const layers: MeasuredLayer[] = [];
  let h = height, w = width, cIn = channelsIn;
  for (let i = 0; i < o.convLayers; i++) {
    const name = `conv${i + 1}`;
    const fanIn = cIn * KERNEL * KERNEL;
    const kernel: Param = { name: `${name}.weight`, role: 'weight', variable: initialWeights(random, [KERNEL, KERNEL, cIn, o.channels], fanIn, activationGain(o.activation)) };
    convs.push({
      kernel,
      bias: { name: `${name}.bias`, role: 'bias', variable: filled([o.channels], 0) },
      bn: o.batchNorm ? createBatchNorm(`bn${i + 1}`, o.channels, [0, 1, 2]) : undefined,
    });
    h = outSize(h); w = outSize(w);
    // The authors' reshape: C_out x (C_in*k*k); R = output positions per sample.
    layers.push({ name, param: kernel, shape: [o.channels, fanIn], positionsPerSample: h * w, kind: 'conv' });
    cIn = o.channels;
  }
  // Flattened in NHWC order (tfjs); an export to PyTorch's NCHW flatten must permute these rows.
  const flat = h * w * cIn;
  const head: Param = { name: 'fc.weight', role: 'weight', variable: initialWeights(random, [flat, o.numClasses], flat, 1) };
  const headBias: Param = { name: 'fc.bias', role: 'bias', variable: filled([o.numClasses], 0) };
  layers.push({ name: 'fc', param: head, shape: [o.numClasses, flat], positionsPerSample: 1, kind: 'dense' });

  const norms = convs.flatMap((c) => (c.bn ? [c.bn] : []));
  const params: Param[] = [
    ...convs.flatMap((c) => (c.bn ? [c.kernel, c.bias, c.bn.scale, c.bn.shift] : [c.kernel, c.bias])),
    head, headBias,
  ];

  return {
    params,
    layers,
    ...modelPlumbing(params, norms),
    forward(x: tf.Tensor2D, mode, moments?: BatchMoments[]) {
      let a: tf.Tensor = tf.reshape(x, [x.shape[0], height, width, channelsIn]);
      for (const c of convs) {
        a = tf.add(tf.conv2d(a as tf.Tensor4D, c.kernel.variable as tf.Tensor4D, STRIDE, PAD), c.bias.variable);
        if (c.bn) a = applyBatchNorm(c.bn, a, mode, moments);
        a = activate(a, o.activation);
      }
      const flatA = tf.reshape(a, [x.shape[0], flat]) as tf.Tensor2D;
      return tf.add(tf.matMul(flatA, head.variable as tf.Tensor2D), headBias.variable) as tf.Tensor2D;
    },
  };
}
