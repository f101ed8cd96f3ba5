// A data set's tensors on the current tfjs backend, uploaded once and shared by every engine that
// trains on it: a run and its lockstep comparison used to hold two copies (MNIST's 8000 x 784
// training images are 25 MB each), and the comparison's copy was never read differently.
// Counted: the tensors are freed when the last engine using them lets go.

import * as tf from '../../tf';
import { inputSize, type Dataset } from '../../data/dataset';

export interface DeviceData {
  trainX: tf.Tensor2D;
  /** One-hot, float32. */
  trainY: tf.Tensor2D;
  testX: tf.Tensor2D;
  testLabels: tf.Tensor1D;
}

interface Shared { tensors: DeviceData; users: number }

/** By data set, then by backend (a tensor lives on the backend that made it). */
const uploads = new WeakMap<Dataset, Map<string, Shared>>();

export function acquireDeviceData(data: Dataset): DeviceData {
  const backend = tf.getBackend();
  let byBackend = uploads.get(data);
  if (!byBackend) uploads.set(data, (byBackend = new Map()));
  let shared = byBackend.get(backend);
  if (!shared) {
    const d = inputSize(data);
    shared = {
      users: 0,
      tensors: {
        trainX: tf.tensor2d(data.trainX, [data.trainY.length, d]),
        trainY: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.trainY, 'int32'), data.numClasses), 'float32')) as tf.Tensor2D,
        testX: tf.tensor2d(data.testX, [data.testY.length, d]),
        testLabels: tf.tensor1d(data.testY, 'int32'),
      },
    };
    byBackend.set(backend, shared);
  }
  shared.users++;
  return shared.tensors;
}

/** An engine is done with `tensors` (what acquireDeviceData gave it); the last user frees them. */
export function releaseDeviceData(data: Dataset, tensors: DeviceData): void {
  const byBackend = uploads.get(data);
  for (const [backend, shared] of byBackend ?? []) {
    if (shared.tensors !== tensors || --shared.users > 0) continue;
    for (const t of Object.values(shared.tensors)) t.dispose();
    byBackend!.delete(backend);
  }
}
