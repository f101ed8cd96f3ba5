// The core's single entry to tfjs. It needs gradients, which tfjs-core does not
// register by itself: the host does it once, so that exactly one copy of
// tfjs-core holds them (Node resolves tfjs-core to a CommonJS bundle, the browser
// to ES modules). Node entry points import '@tensorflow/tfjs' (src/node/tfNode.ts),
// the worker imports '@tensorflow/tfjs-core/dist/register_all_gradients'.

import * as tf from '@tensorflow/tfjs-core';

export * from '@tensorflow/tfjs-core';

/** Fail early and clearly if the host forgot to register gradients. */
export function assertGradientsRegistered(): void {
  if (!tf.getGradient('RealDiv') || !tf.getGradient('BatchMatMul')) {
    throw new Error('tfjs gradients are not registered: import @tensorflow/tfjs (Node) or @tensorflow/tfjs-core/dist/register_all_gradients (browser) before training');
  }
}
