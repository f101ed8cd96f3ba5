// Drive a run to the end of its config, measuring every `snapshotEvery` steps: the CLI, the
// sweeps (in Node and in the page's workers) and the tests. The page's worker drives the same
// TrainingRun in interruptible chunks instead (src/worker/trainingSession.ts).

import { isDivergence } from './trainer';
import type { Divergence, Snapshot } from './snapshot';
import type { TrainingRun } from './trainingRun';

export interface RunResult {
  snapshots: Snapshot[];
  /** The lockstep comparison run's snapshots, at the same steps (empty without a partner). */
  comparison: Snapshot[];
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

/** With a comparison, both runs train in lockstep on the same batches (see lockstep.ts) and both are measured. */
export async function runToCompletion(run: TrainingRun, onSnapshot?: (s: Snapshot, comparison?: Snapshot) => void): Promise<RunResult> {
  const { steps, snapshotEvery } = run.main.config;
  const result: RunResult = { snapshots: [], comparison: [], trainMs: 0, measureMs: 0 };
  for (const target of snapshotSteps(steps, snapshotEvery)) {
    const t0 = performance.now();
    run.train(target - run.step);
    const t1 = performance.now();
    const measuredPair = await run.measure(); // the read-back inside also waits for the queued steps
    const t2 = performance.now();
    if (isDivergence(measuredPair)) {
      result.divergence = measuredPair;
      break;
    }
    const { snapshot: s, comparison } = measuredPair;
    const measured = s.measureMs + (comparison?.measureMs ?? 0);
    // Training time includes the wait for the queued steps to finish, so subtract the measuring itself.
    result.trainMs += t1 - t0 + Math.max(0, t2 - t1 - measured);
    result.measureMs += measured;
    result.snapshots.push(s);
    if (comparison) result.comparison.push(comparison);
    onSnapshot?.(s, comparison);
  }
  return result;
}
