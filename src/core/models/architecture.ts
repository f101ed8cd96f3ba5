// A network as plain data: its layers, the shape and seeded initial values of every
// trainable tensor, and which tensors are the weight matrices the paper measures.
// Every engine builds from this one description (the tfjs models in mlp.ts/cnn.ts,
// the WebAssembly engine in ../engine/simd), so the same seed gives the same network
// on every engine.

import type { Config } from '../config/fields';
import { inputSize, type Dataset } from '../data/dataset';
import { createRandom, type Random } from '../random';

export type Activation = 'relu' | 'tanh';

export interface ParamSpec {
  /** "fc1.weight", "conv2.bias", "bn1.scale", ... */
  name: string;
  /** tfjs layout: dense [dIn, dOut], conv [3, 3, C_in, C_out], vectors [n]. */
  shape: number[];
  initial: Float32Array;
}

export interface BatchNormSpec {
  /** "bn1": its running statistics are "bn1.runningMean" and "bn1.runningVariance". */
  name: string;
  channels: number;
  scale: number; // index into params
  shift: number;
}

/** One linear map (dense, or a 3x3 stride-2 padding-1 convolution), then BatchNorm and the activation if it is hidden. */
export interface LayerBlock {
  kind: 'dense' | 'conv';
  name: string;
  weight: number; // index into params
  bias: number;
  bn: BatchNormSpec | null;
  /** null for the classifier, whose output is the logits. */
  activation: Activation | null;
  /** Dense: [1, 1, dIn] -> [1, 1, dOut]; conv: [h, w, C_in] -> [h', w', C_out] (NHWC). */
  input: [number, number, number];
  output: [number, number, number];
}

export interface MeasuredLayerSpec {
  name: string;
  param: number; // index into params
  /** The authors' orientation [dOut, dIn]; a conv kernel is C_out x (C_in*k*k). */
  shape: [number, number];
  /** How often the layer is applied per sample (1 dense; output positions for conv). */
  positionsPerSample: number;
}

export interface Architecture {
  kind: 'mlp' | 'cnn';
  inputShape: [number, number, number];
  numClasses: number;
  blocks: LayerBlock[];
  params: ParamSpec[];
  layers: MeasuredLayerSpec[];
  batchNorms: BatchNormSpec[];
  /** CNN only: [height, width, channels] of the feature map the dense head flattens (NHWC order). */
  headInput?: [number, number, number];
}

/** PyTorch's BatchNorm defaults, so runs can be replayed there. */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;

export const KERNEL = 3;
export const STRIDE = 2;
export const PAD = 1;
export const convOutSize = (n: number) => Math.floor((n + 2 * PAD - KERNEL) / STRIDE) + 1;
const activationGain = (activation: Activation) => (activation === 'relu' ? 2 : 1);

/**
 * He-normal values (std sqrt(gain/fanIn), gain 2 before ReLU, 1 before tanh or the
 * logits), drawn in row-major order of the tfjs layout from the model's 'init' stream.
 */
function heNormalValues(random: Random, shape: number[], fanIn: number, gain: number): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const std = Math.sqrt(gain / fanIn);
  for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
  return values;
}

/**
 * The network a config describes, for the data it will see. Pure: no backend needed.
 * `shapesOnly`: every initial value left empty, for what needs only the shapes (a cost
 * estimate of a million-weight network should not draw a million normals).
 */
export function architectureFor(config: Config, data: Pick<Dataset, 'inputShape' | 'numClasses'>, shapesOnly = false): Architecture {
  const random = createRandom(config.seed, 'init');
  const heNormal = shapesOnly ? () => new Float32Array(0) : heNormalValues;
  const params: ParamSpec[] = [];
  const blocks: LayerBlock[] = [];
  const layers: MeasuredLayerSpec[] = [];
  const add = (p: Omit<ParamSpec, 'initial'>, initial: Float32Array) => params.push({ ...p, initial }) - 1;
  const filled = (n: number, value: number) => new Float32Array(shapesOnly ? 0 : n).fill(value);
  const batchNorm = (index: number, channels: number): BatchNormSpec | null => {
    if (!config.batchNorm) return null;
    const name = `bn${index}`;
    const scale = add({ name: `${name}.scale`, shape: [channels] }, filled(channels, 1));
    const shift = add({ name: `${name}.shift`, shape: [channels] }, filled(channels, 0));
    return { name, channels, scale, shift };
  };
  const gain = activationGain(config.activation);

  if (config.model === 'cnn') {
    let [h, w, c] = data.inputShape;
    for (let i = 0; i < config.depth; i++) {
      const name = `conv${i + 1}`;
      const fanIn = c * KERNEL * KERNEL;
      const shape = [KERNEL, KERNEL, c, config.width];
      const weight = add({ name: `${name}.weight`, shape }, heNormal(random, shape, fanIn, gain));
      const bias = add({ name: `${name}.bias`, shape: [config.width] }, filled(config.width, 0));
      const bn = batchNorm(i + 1, config.width);
      const output: [number, number, number] = [convOutSize(h), convOutSize(w), config.width];
      blocks.push({ kind: 'conv', name, weight, bias, bn, activation: config.activation, input: [h, w, c], output });
      // The authors' reshape: C_out x (C_in*k*k); R = output positions per sample.
      layers.push({ name, param: weight, shape: [config.width, fanIn], positionsPerSample: output[0] * output[1] });
      [h, w, c] = output;
    }
    // Flattened in NHWC order (tfjs); an export to PyTorch's NCHW flatten permutes these rows.
    const flat = h * w * c;
    const weight = add({ name: 'fc.weight', shape: [flat, data.numClasses] }, heNormal(random, [flat, data.numClasses], flat, 1));
    const bias = add({ name: 'fc.bias', shape: [data.numClasses] }, filled(data.numClasses, 0));
    blocks.push({ kind: 'dense', name: 'fc', weight, bias, bn: null, activation: null, input: [1, 1, flat], output: [1, 1, data.numClasses] });
    layers.push({ name: 'fc', param: weight, shape: [data.numClasses, flat], positionsPerSample: 1 });
    return finish('cnn', [h, w, c]);
  }

  const d = inputSize(data);
  for (let i = 0; i < config.depth; i++) {
    const last = i === config.depth - 1;
    const dIn = i === 0 ? d : config.width;
    const dOut = last ? data.numClasses : config.width;
    const name = `fc${i + 1}`;
    const weight = add({ name: `${name}.weight`, shape: [dIn, dOut] }, heNormal(random, [dIn, dOut], dIn, last ? 1 : gain));
    const bias = add({ name: `${name}.bias`, shape: [dOut] }, filled(dOut, 0));
    const bn = last ? null : batchNorm(i + 1, dOut);
    blocks.push({ kind: 'dense', name, weight, bias, bn, activation: last ? null : config.activation, input: [1, 1, dIn], output: [1, 1, dOut] });
    layers.push({ name, param: weight, shape: [dOut, dIn], positionsPerSample: 1 });
  }
  return finish('mlp');

  function finish(kind: 'mlp' | 'cnn', headInput?: [number, number, number]): Architecture {
    const batchNorms = blocks.flatMap((b) => (b.bn ? [b.bn] : []));
    return { kind, inputShape: data.inputShape, numClasses: data.numClasses, blocks, params, layers, batchNorms, headInput };
  }
}

/** Names of the non-trainable tensors (BatchNorm running statistics), in export order. */
export const stateNames = (a: Architecture) => a.batchNorms.flatMap((bn) => [`${bn.name}.runningMean`, `${bn.name}.runningVariance`]);
