// The paper's MLP(-BN)-L-H in tfjs: L linear layers of width H, each hidden one followed
// by optional BatchNorm and the activation; the last layer gives the logits.

import * as tf from '../tf';
import type { Architecture } from './architecture';
import type { Model, MeasuredLayer, BatchMoments } from './model';
import { activate, applyBatchNorm, createBatchNorm, modelPlumbing, paramVariable } from './layers';

export function createMlp(arch: Architecture): Model {
  const params = arch.params.map(paramVariable);
  const dense = arch.blocks.map((b) => ({
    weight: params[b.weight], // tfjs layout [dIn, dOut] so the forward pass is x @ W without a transpose
    bias: params[b.bias],
    bn: b.bn ? createBatchNorm(b.bn, params, [0]) : undefined,
    activation: b.activation,
  }));
  const layers: MeasuredLayer[] = arch.layers.map((l) => ({ ...l, param: params[l.param] }));
  const norms = dense.flatMap((l) => (l.bn ? [l.bn] : []));

  return {
    params,
    layers,
    ...modelPlumbing(params, norms),
    forward(x: tf.Tensor2D, mode, moments?: BatchMoments[]) {
      let h: tf.Tensor = x;
      for (const l of dense) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, l.weight.variable as tf.Tensor2D), l.bias.variable);
        if (!l.activation) break; // the classifier: logits
        if (l.bn) h = applyBatchNorm(l.bn, h, mode, moments);
        h = activate(h, l.activation);
      }
      return h as tf.Tensor2D;
    },
  };
}
