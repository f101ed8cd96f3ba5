// How often to measure so that measuring costs at most ~10% of the training time:
// a snapshot of cost m every K steps of cost s each spends m / (K*s) on measuring.

export const MEASURE_BUDGET = 0.1;
/**
 * With a measuring worker on the second core: measuring may take 15% of that core's time. The
 * page's main thread (~30% busy while training) and the browser's own processes need the rest,
 * or they spill onto the training core: at 30% the MLPs at B=32 trained ~9% slower in the page
 * (same-run A/B, 8 December), with measuring still ~5-15 times a second.
 */
export const MEASURING_WORKER_BUDGET = 0.15;

/**
 * The share of time measuring may take: in place, or in a measuring worker on the second core;
 * but when training already runs on both cores (the SIMD engine's helper thread), that core's
 * measuring time is taken from training itself, so it gets the in-place budget again. (A full-size
 * CNN in the page trained ~1.13x faster with measuring at 10% than at 30%: same-run page A/B.)
 */
export function measuringBudget(where: { measuringWorker: boolean; helperThread: boolean }): number {
  return where.measuringWorker && !where.helperThread ? MEASURING_WORKER_BUDGET : MEASURE_BUDGET;
}

/**
 * A run asks for at least this many snapshots, over budget if need be. A demo of 2000 steps now
 * trains in about a second, and at its budget `weight-decay-essential` was measured every 926
 * steps: its rank curve was 3 straight segments. One snapshot is measured at a time, so a run that
 * outpaces measuring gets what measuring can take (that demo 12-14 on this machine); over budget
 * for a run that short costs a second of the other core. A long run stays within its budget.
 */
export const MIN_SNAPSHOTS_PER_RUN = 40;

/**
 * The smallest interval >= the requested one that keeps measuring within budget, but no wider
 * than a run of `runSteps` steps measured MIN_SNAPSHOTS_PER_RUN times.
 */
export function snapshotInterval(requested: number, msPerStep: number, msPerSnapshot: number, budget = MEASURE_BUDGET, runSteps = Infinity): number {
  if (!(msPerStep > 0) || !(msPerSnapshot > 0)) return requested;
  const needed = Math.ceil(msPerSnapshot / (budget * msPerStep));
  return Math.max(requested, Math.min(needed, Math.ceil(runSteps / MIN_SNAPSHOTS_PER_RUN)));
}

/**
 * What one snapshot costs, for spacing the next ones. A run's first snapshot (step 0)
 * pays one-off costs: on WebGPU it compiles the evaluation shaders (7.5 s on SwiftShader
 * against 2.3 s for later snapshots), and on any backend the first gradient-rank pass
 * allocates. Budgeting from it would space the early snapshots several times too far
 * apart, which is exactly when a viewer waits for the first curve. So the first cost is
 * ignored, and the estimate is the cheapest of the last few: a one-off spike (a garbage
 * collection, a shader for a new batch size) never stretches the schedule for long.
 */
export class SnapshotCost {
  private recent: number[] = [];
  private seenFirst = false;

  constructor(private readonly window = 3) {}

  record(ms: number): void {
    if (!this.seenFirst) { this.seenFirst = true; return; }
    if (!(ms >= 0)) return;
    this.recent.push(ms);
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** Estimated ms per snapshot; 0 until a warm snapshot has been timed. */
  get ms(): number {
    return this.recent.length ? Math.min(...this.recent) : 0;
  }
}
