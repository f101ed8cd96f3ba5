// Training backends in Node. 'simd' is RankLab's own WebAssembly SIMD engine (the
// fastest on a CPU, the default); 'wasm' (XNNPACK) and the pure-JS 'cpu' are tfjs'
// backends. tfjs-node is not used: it downloads a native binary at install time,
// which this project cannot rely on.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (and the cpu backend) with Node's copy of tfjs-core
import '@tensorflow/tfjs-backend-wasm';
import './relaxedSimd';
import { prepareKernels } from '../core/engine/simd/kernels';

export const NODE_BACKENDS = ['simd', 'wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

/** Make `name` ready to train on; returns its name as the run records it. */
export async function useBackend(name: NodeBackend): Promise<string> {
  if (name === 'simd') {
    await prepareKernels();
    return 'simd';
  }
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}
