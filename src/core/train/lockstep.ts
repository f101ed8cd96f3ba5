// Two runs side by side, one step each in turn, on the same data: each step draws
// one batch of max(B_a, B_b) samples from a shared seeded sampler and each run
// trains on its first B samples. With equal batch sizes both see identical batches;
// with different ones the smaller batch is a prefix of the larger. Anything that
// differs between the two curves is then the setting being compared, not luck.

import { BatchSampler } from './sampler';
import type { Trainer } from './trainer';

export class Lockstep {
  private readonly sampler: BatchSampler;

  constructor(readonly a: Trainer, readonly b: Trainer) {
    if (a.data !== b.data) throw new Error('lockstep runs must share their data');
    this.sampler = new BatchSampler(a.data.trainY.length, a.config.seed);
  }

  train(count: number): void {
    for (let i = 0; i < count; i++) {
      const batch = this.sampler.next(Math.max(this.a.config.batchSize, this.b.config.batchSize));
      for (const run of [this.a, this.b]) {
        const own = batch.subarray(0, run.config.batchSize);
        run.batchLog?.push(own);
        run.trainOneStep(own);
      }
    }
  }
}
