// The page's sweep as it runs: its spec, the cells' results as they arrive, progress and
// status. The definition (axes, seeds, basis) lives in the lab store, because it is in the
// link; this store holds what a run of it produced. No tfjs here: the pool's workers train.

import { create } from 'zustand';
import { type SweepSpec, specProblems, sweepCells } from '../core/sweep/cells';
import { sweepFile, type CellResult, type SweepFile } from '../core/sweep/result';
import { architectureFor } from '../core/models/architecture';
import { secondsLeft } from '../core/sweep/runCell';
import { SweepPool, type SweepWorkerLike } from './sweepPool';

export type SweepStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface SweepRunState {
  status: SweepStatus;
  spec: SweepSpec | null;
  total: number;
  results: CellResult[];
  layers: string[];
  startedAt: number;
  /** When it ended (done, cancelled or failed). */
  finishedAt: number;
  /** Why the sweep stopped (failed) or could not start. */
  error: string | null;
}

export const useSweepRun = create<SweepRunState>()(() => ({
  status: 'idle', spec: null, total: 0, results: [], layers: [], startedAt: 0, finishedAt: 0, error: null,
}));

let pool: SweepPool | null = null;
/** Counts sweeps, so that a cancelled sweep's callbacks cannot touch the next one. */
let generation = 0;

/** Start a sweep (cancelling one that is running). `createWorker` is for tests. */
export function startSweep(spec: SweepSpec, createWorker?: () => SweepWorkerLike, size?: number): void {
  cancelSweep();
  const problems = specProblems(spec);
  if (problems.length) {
    useSweepRun.setState({ status: 'failed', spec, total: 0, results: [], error: problems.join('; ') });
    return;
  }
  const cells = sweepCells(spec);
  // The layers' names depend on the network alone (MNIST's shape stands in for the data's).
  const layers = architectureFor(spec.base, { inputShape: [28, 28, 1], numClasses: 10 }).layers.map((l) => l.name);
  const mine = ++generation;
  useSweepRun.setState({ status: 'running', spec, total: cells.length, results: [], layers, startedAt: performance.now(), error: null });
  try {
    pool = new SweepPool(createWorker, size);
  } catch (err) {
    useSweepRun.setState({ status: 'failed', error: `the sweep workers could not start: ${err instanceof Error ? err.message : String(err)}`, finishedAt: performance.now() });
    return;
  }
  pool.run(cells, spec.points, {
    onResult: (r) => { if (mine === generation) useSweepRun.setState((s) => ({ results: [...s.results, r] })); },
    onError: (message) => { if (mine === generation) useSweepRun.setState({ status: 'failed', error: message, finishedAt: performance.now() }); },
    onDone: () => { if (mine === generation) useSweepRun.setState({ status: 'done', finishedAt: performance.now() }); },
  });
}

export function cancelSweep(): void {
  if (!pool) return;
  pool.cancel();
  pool = null;
  generation++;
  if (useSweepRun.getState().status === 'running') useSweepRun.setState({ status: 'cancelled', finishedAt: performance.now() });
}

/** Seconds left, from the cells done so far (null before the first). */
export function sweepSecondsLeft(s: SweepRunState, now = performance.now()): number | null {
  return secondsLeft(s.results.length, s.total, (now - s.startedAt) / 1000);
}

/** The sweep as the CLI writes it (the cells done so far, in cell order). */
export function currentSweepFile(s: SweepRunState): SweepFile | null {
  return s.spec ? sweepFile(s.spec, s.layers, s.results) : null;
}
