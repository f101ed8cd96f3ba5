// The paper's update, exactly: W <- (1 - 2*mu*lambda) * W - mu * G for every
// trainable tensor (weights, biases and BatchNorm parameters alike), where
// lambda is the coefficient of lambda*||W||^2 in the loss. PyTorch writes the
// same step as SGD(lr=mu, weight_decay=2*lambda).
//
// With momentum m > 0 we follow torch.optim.SGD (dampening 0, not Nesterov), with
// the decay folded into the gradient before the momentum buffer ("coupled"):
//   g = G + 2*lambda*W;  v <- g on the first step, else v <- m*v + g;  W <- W - mu*v.
// For m = 0 this is the paper's rule; written that way so a run replays in PyTorch.

import * as tf from '../tf';
import { buffersFrom, readBuffers } from '../engine/tfjs/momentumBuffers';
import { decayPerStep } from '../theory';

export interface SgdHyperparameters {
  learningRate: number;
  weightDecay: number;
  momentum: number;
}


export class Sgd {
  /** One momentum buffer per parameter, created on the first step that uses momentum. */
  private buffers: (tf.Variable | null)[];

  constructor(private readonly params: tf.Variable[]) {
    this.buffers = params.map(() => null);
  }

  /** Apply one step in place. `grads[i]` belongs to `params[i]`. */
  apply(grads: tf.Tensor[], h: SgdHyperparameters): void {
    tf.tidy(() => {
      this.params.forEach((w, i) => {
        const g = grads[i];
        if (h.momentum === 0) {
          const shrunk = h.weightDecay === 0 ? w : tf.mul(w, decayPerStep(h));
          w.assign(tf.sub(shrunk, tf.mul(g, h.learningRate)));
          return;
        }
        const withDecay = h.weightDecay === 0 ? g : tf.add(g, tf.mul(w, 2 * h.weightDecay));
        let buffer = this.buffers[i];
        if (buffer === null) {
          buffer = this.buffers[i] = tf.variable(withDecay, false);
        } else {
          buffer.assign(tf.add(tf.mul(buffer, h.momentum), withDecay));
        }
        w.assign(tf.sub(w, tf.mul(buffer, h.learningRate)));
      });
    });
  }

  /** The momentum buffers' values (null before a step with momentum). */
  readMomentum(): Promise<Float32Array[] | null> {
    return readBuffers(this.buffers);
  }

  writeMomentum(values: Float32Array[] | null): void {
    this.buffers = buffersFrom(this.buffers, values, this.params);
  }

  dispose(): void {
    for (const b of this.buffers) b?.dispose();
    this.buffers = this.params.map(() => null);
  }
}
