// Two runs side by side, one step each in turn, on the same data: each step draws
// one batch of max(B_main, B_comparison) samples from a shared seeded sampler and each run
// trains on its first B samples. With equal batch sizes both see identical batches;
// with different ones the smaller batch is a prefix of the larger. Anything that
// differs between the two curves is then the setting being compared, not luck.

import { BatchSampler } from './sampler';
import { isDivergence, type Trainer } from './trainer';
import type { Divergence, Snapshot } from './snapshot';
import type { SnapshotCapture } from './measurer';

export class Lockstep {
  private readonly sampler: BatchSampler;

  constructor(readonly main: Trainer, readonly comparison: Trainer) {
    if (main.data !== comparison.data) throw new Error('lockstep runs must share their data');
    this.sampler = new BatchSampler(main.data.trainY.length, main.config.seed);
  }

  /** Samples the shared sampler has handed out. */
  get samplesDrawn(): number {
    return this.sampler.drawn;
  }

  /** Move the shared sampler on to `drawn` samples (a restored run). */
  skipSamples(drawn: number): void {
    this.sampler.skip(drawn);
  }

  train(count: number): void {
    for (let i = 0; i < count; i++) {
      const batch = this.sampler.next(Math.max(this.main.config.batchSize, this.comparison.config.batchSize));
      for (const run of [this.main, this.comparison]) {
        run.trainOneStep(batch.subarray(0, run.config.batchSize));
      }
    }
  }
}

/**
 * Measure a run and, if it has one, its lockstep comparison run. A divergence of either stops
 * both; the comparison run's says it is.
 */
export async function measureBoth(main: Trainer, comparisonRun: Trainer | null): Promise<{ main: Snapshot; comparison?: Snapshot } | Divergence> {
  const snapshot = await main.snapshot();
  if (isDivergence(snapshot) || !comparisonRun) return isDivergence(snapshot) ? snapshot : { main: snapshot };
  const comparison = await comparisonRun.snapshot();
  return isDivergence(comparison) ? { ...comparison, reason: `Comparison run: ${comparison.reason}` } : { main: snapshot, comparison };
}

/**
 * The training thread's half of measureBoth: capture a run and its comparison run (with copies of
 * their tensors when `copyTensors`, for a measuring worker). A divergence of either stops both.
 */
export async function captureBoth(main: Trainer, comparisonRun: Trainer | null, copyTensors: boolean): Promise<{ main: SnapshotCapture; comparison?: SnapshotCapture } | Divergence> {
  const captured = await main.capture(copyTensors);
  if (isDivergence(captured) || !comparisonRun) return isDivergence(captured) ? captured : { main: captured };
  const comparison = await comparisonRun.capture(copyTensors);
  return isDivergence(comparison) ? { ...comparison, reason: `Comparison run: ${comparison.reason}` } : { main: captured, comparison };
}
