// The paper's MLP(-BN)-L-H: L linear layers of width H, each hidden one followed
// by optional BatchNorm and the activation; the last layer gives the logits.

import * as tf from '../tf';
import { createRandom } from '../random';
import type { Model, Param, MeasuredLayer, BatchMoments } from './model';
import {
  activate, activationGain, applyBatchNorm, createBatchNorm, filled, initialWeights,
  modelPlumbing, type BatchNormLayer,
} from './layers';

export interface MlpOptions {
  inputSize: number;
  numClasses: number;
  depth: number;
  width: number;
  batchNorm: boolean;
  activation: 'relu' | 'tanh';
  seed: number;
}

interface DenseLayer {
  weight: Param; // tfjs layout [dIn, dOut] so the forward pass is x @ W without a transpose
  bias: Param;
  bn?: BatchNormLayer;
}

export function createMlp(o: MlpOptions): Model {
  const random = createRandom(o.seed, 'init');
  const dense: DenseLayer[] = [];
  for (let i = 0; i < o.depth; i++) {
    const dIn = i === 0 ? o.inputSize : o.width;
    const last = i === o.depth - 1;
    const dOut = last ? o.numClasses : o.width;
    const name = `fc${i + 1}`;
    dense.push({
      weight: { name: `${name}.weight`, role: 'weight', variable: initialWeights(random, [dIn, dOut], dIn, last ? 1 : activationGain(o.activation)) },
      bias: { name: `${name}.bias`, role: 'bias', variable: filled([dOut], 0) },
      bn: !last && o.batchNorm ? createBatchNorm(`bn${i + 1}`, dOut, [0]) : undefined,
    });
  }
  const params: Param[] = dense.flatMap((l) => (l.bn ? [l.weight, l.bias, l.bn.scale, l.bn.shift] : [l.weight, l.bias]));
  const layers: MeasuredLayer[] = dense.map((l) => {
    const [dIn, dOut] = l.weight.variable.shape as [number, number];
    return { name: l.weight.name.replace('.weight', ''), param: l.weight, shape: [dOut, dIn], positionsPerSample: 1 };
  });
  const norms = dense.flatMap((l) => (l.bn ? [l.bn] : []));

  return {
    params,
    layers,
    ...modelPlumbing(params, norms),
    forward(x: tf.Tensor2D, mode, moments?: BatchMoments[]) {
      let h: tf.Tensor = x;
      dense.forEach((l, i) => {
        h = tf.add(tf.matMul(h as tf.Tensor2D, l.weight.variable as tf.Tensor2D), l.bias.variable);
        if (i === dense.length - 1) return;
        if (l.bn) h = applyBatchNorm(l.bn, h, mode, moments);
        h = activate(h, o.activation);
      });
      return h as tf.Tensor2D;
    },
  };
}
