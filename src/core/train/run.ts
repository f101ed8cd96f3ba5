// Drive a run to the end of its config, measuring every `snapshotEvery` steps: the CLI, the
// sweeps (in Node and in the page's workers) and the tests. The loop itself is RunLoop, the
// same one the page's worker drives with its own policy (src/worker/trainingSession.ts).

import { isDivergence } from './trainer';
import type { Divergence, Snapshot } from './snapshot';
import type { TrainingRun } from './trainingRun';
import { RunLoop } from './runLoop';

export interface RunResult {
  snapshots: Snapshot[];
  /** The lockstep comparison run's snapshots, at the same steps (empty without one). */
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

/**
 * With a comparison, both runs train in lockstep on the same batches (see lockstep.ts) and both
 * are measured: at step 0, every `snapshotEvery` steps and at the last step (snapshotSteps).
 */
export async function runToCompletion(run: TrainingRun, onSnapshot?: (s: Snapshot, comparison?: Snapshot) => void): Promise<RunResult> {
  const result: RunResult = { snapshots: [], comparison: [], trainMs: 0, measureMs: 0 };
  const measure = async (): Promise<boolean> => {
    const t0 = performance.now();
    const measuredPair = await run.measure(); // the read-back inside also waits for the queued steps
    const wall = performance.now() - t0;
    if (isDivergence(measuredPair)) {
      result.divergence = measuredPair;
      return false;
    }
    const { main: s, comparison } = measuredPair;
    const measured = s.measureMs + (comparison?.measureMs ?? 0);
    // Training time includes the wait for the queued steps to finish, so subtract the measuring itself.
    result.trainMs += Math.max(0, wall - measured);
    result.measureMs += measured;
    result.snapshots.push(s);
    if (comparison) result.comparison.push(comparison);
    onSnapshot?.(s, comparison);
    return true;
  };
  if (!(await measure())) return result; // step 0: the initialisation
  await new RunLoop(run, {
    interval: () => run.main.config.snapshotEvery,
    chunkCap: () => Infinity, // up to the next measurement: nothing waits on this loop
    train: (steps) => {
      const t0 = performance.now();
      run.train(steps);
      result.trainMs += performance.now() - t0;
      return 0;
    },
    measure,
    inFlight: () => null,
    going: () => true,
    afterChunk: async () => {},
  }).go();
  return result;
}
