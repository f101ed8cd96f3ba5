// Seeded mini-batch sampler, the same rule as a PyTorch DataLoader with shuffle=True
// but without dropping samples: each epoch is a fresh permutation of the training
// set, consumed in order. A batch that crosses the end of an epoch takes the rest of
// that permutation and continues in the next one, so every batch has exactly
// batchSize samples even when batchSize changes between steps.

import { createRandom, shuffleInPlace, type Random } from '../random';

export class BatchSampler {
  private readonly random: Random;
  private order: Int32Array;
  private position = 0;

  constructor(readonly size: number, seed: number) {
    this.random = createRandom(seed, 'batches');
    this.order = this.permutation();
  }

  private permutation(): Int32Array {
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    shuffleInPlace(order, this.random);
    return order;
  }

  /** Indices into the training set for the next step. */
  next(batchSize: number): Int32Array {
    const batch = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (this.position === this.size) {
        this.order = this.permutation();
        this.position = 0;
      }
      batch[i] = this.order[this.position++];
    }
    return batch;
  }
}
