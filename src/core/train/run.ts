// Drive a Trainer to the end of its config, measuring every `snapshotEvery` steps.
// Used by the CLI and tests; the worker has its own interruptible loop.

import type { Trainer } from './trainer';
import { isDivergence } from './trainer';
import type { Divergence, Snapshot } from './snapshot';

export interface RunResult {
  snapshots: Snapshot[];
  divergence?: Divergence;
  trainMs: number;
  measureMs: number;
}

/** Steps at which a run of `steps` steps is measured: 0, every `every` steps, and the last step. */
export function snapshotSteps(steps: number, every: number): number[] {
  const out = [0];
  for (let s = every; s < steps; s += every) out.push(s);
  if (out[out.length - 1] !== steps) out.push(steps);
  return out;
}

export async function runToCompletion(trainer: Trainer, onSnapshot?: (s: Snapshot) => void): Promise<RunResult> {
  const { steps, snapshotEvery } = trainer.config;
  const result: RunResult = { snapshots: [], trainMs: 0, measureMs: 0 };
  for (const target of snapshotSteps(steps, snapshotEvery)) {
    const t0 = performance.now();
    trainer.train(target - trainer.step);
    const t1 = performance.now();
    const s = await trainer.snapshot(); // the read-back inside also waits for the queued steps
    const t2 = performance.now();
    if (isDivergence(s)) {
      result.divergence = s;
      break;
    }
    // Training time includes the wait for the queued steps to finish, so subtract the measuring itself.
    result.trainMs += t1 - t0 + Math.max(0, t2 - t1 - s.measureMs);
    result.measureMs += s.measureMs;
    result.snapshots.push(s);
    onSnapshot?.(s);
  }
  return result;
}
