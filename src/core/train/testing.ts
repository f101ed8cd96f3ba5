// Helpers shared by the training tests (not shipped to the browser).

import * as tf from '../tf';
import '@tensorflow/tfjs'; // registers gradients and the cpu backend in Node
import type { Dataset } from '../data/dataset';
import { createRandom } from '../random';

/** The tests run on tfjs' CPU backend: deterministic and always available in Node. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A tiny random classification dataset for exact hand computations. */
export function tinyDataset(n: number, features: number, classes: number, seed = 3): Dataset {
  const r = createRandom(seed, 'tiny');
  const make = (count: number) => Float32Array.from({ length: count * features }, () => r.normal());
  const labels = (count: number) => Int32Array.from({ length: count }, (_, i) => i % classes);
  return {
    name: 'teacher', inputShape: [1, features, 1], numClasses: classes,
    trainX: make(n), trainY: labels(n), testX: make(n), testY: labels(n),
    trainSourceIndex: Int32Array.from({ length: n }, (_, i) => i),
    testSourceIndex: Int32Array.from({ length: n }, (_, i) => n + i),
  };
}
