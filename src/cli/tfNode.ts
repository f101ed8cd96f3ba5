// tfjs in Node: the WASM backend (XNNPACK, SIMD) is the fast one on a CPU; the
// pure-JS 'cpu' backend is the fallback. tfjs-node is not used: it downloads a
// native binary at install time, which this project cannot rely on.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // registers the gradients (and the cpu backend) with Node's copy of tfjs-core
import '@tensorflow/tfjs-backend-wasm';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export async function useBackend(name: NodeBackend): Promise<string> {
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}
