// Helpers shared by the training tests (not shipped to the browser).

import * as tf from '../tf';
import '@tensorflow/tfjs'; // registers gradients and the cpu backend in Node
import type { Dataset } from '../data/dataset';
import { createRandom } from '../random';
import { isDivergence, type Trainer } from './trainer';
import type { Snapshot } from './snapshot';

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

/** The first weight matrix of a run, as stored (tfjs layout). */
export async function firstWeights(trainer: Trainer): Promise<Float32Array> {
  return (await trainer.readTensors())[0].data;
}

/** Sets the first weight matrix to 1e30 everywhere: the next steps overflow, as a diverging run would. */
export function blowUp(trainer: Trainer): void {
  const p = trainer.architecture.params[0];
  trainer.engine.writeTensors([{ name: p.name, shape: p.shape, data: new Float32Array(p.initial.length).fill(1e30) }]);
}

/** The run's snapshot; the test fails with the divergence's reason if it diverged (no cast needed). */
export async function snapshotOf(trainer: Trainer): Promise<Snapshot> {
  const s = await trainer.snapshot();
  if (isDivergence(s)) throw new Error(`the run diverged at step ${s.step}: ${s.reason}`);
  return s;
}
