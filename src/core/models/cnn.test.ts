import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { createRandom } from '../random';
import { useCpuBackend } from '../train/testing';
import { conv3x3Stride2 } from './cnn';

beforeAll(useCpuBackend);

const randomTensor = (shape: number[], seed: number) => {
  const r = createRandom(seed, 'cnn-test');
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()), shape);
};

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('conv3x3Stride2 (tfjs conv forward, im2col kernel gradient) equals tf.conv2d(stride 2, pad 1) with its gradients', () => {
  it.each([[28, 1, 4], [14, 4, 6], [7, 6, 5], [4, 5, 3]])('input %i px square, %i -> %i channels', (size, cIn, cOut) => {
    const x = randomTensor([2, size, size, cIn], size) as tf.Tensor4D;
    const k = randomTensor([3, 3, cIn, cOut], size + 1) as tf.Tensor4D;
    const ours = conv3x3Stride2(x, k);
    const reference = tf.conv2d(x, k, 2, 1);
    expect(ours.shape).toEqual(reference.shape);
    expect(maxDiff(ours, reference)).toBeLessThan(1e-4);
    // Gradients with respect to input and kernel agree too (they drive training).
    const g = randomTensor(reference.shape, 99);
    const loss = (f: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor) => (xx: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor4D, kk as tf.Tensor4D), g));
    const [gxOurs, gkOurs] = tf.grads(loss(conv3x3Stride2))([x, k]);
    const [gxRef, gkRef] = tf.grads(loss((a, b) => tf.conv2d(a, b, 2, 1)))([x, k]);
    expect(maxDiff(gxOurs, gxRef)).toBeLessThan(1e-3);
    expect(maxDiff(gkOurs, gkRef)).toBeLessThan(1e-3);
  });
});
