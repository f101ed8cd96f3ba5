// How often to measure so that measuring costs at most ~10% of the training time:
// a snapshot of cost m every K steps of cost s each spends m / (K*s) on measuring.

export const MEASURE_BUDGET = 0.1;

/** The smallest interval >= the requested one that keeps measuring within budget. */
export function snapshotInterval(requested: number, msPerStep: number, msPerSnapshot: number, budget = MEASURE_BUDGET): number {
  if (!(msPerStep > 0) || !(msPerSnapshot > 0)) return requested;
  const needed = Math.ceil(msPerSnapshot / (budget * msPerStep));
  return Math.max(requested, needed);
}
