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
  /** Samples handed out so far: with the seed, all it takes to resume the stream (skip). */
  drawn = 0;

  constructor(readonly size: number, seed: number) {
    this.random = createRandom(seed, 'batches');
    this.order = this.permutation();
  }

  /**
   * Go on as a sampler that has already handed out `drawn` samples would (a resumed run): the
   * stream depends only on how many samples were drawn, not on the batch sizes that drew them.
   * Costs one shuffle per epoch skipped. Only forward from a fresh sampler.
   */
  skip(drawn: number): void {
    if (!Number.isSafeInteger(drawn) || drawn < this.drawn) throw new Error(`cannot resume the batch sampler at ${drawn} samples`);
    let left = drawn - this.drawn;
    while (left > 0) {
      if (this.position === this.size) {
        this.order = this.permutation();
        this.position = 0;
      }
      const take = Math.min(left, this.size - this.position);
      this.position += take;
      left -= take;
    }
    this.drawn = drawn;
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
    this.drawn += batchSize;
    return batch;
  }
}
