// The paper's back-of-the-envelope theory, as numbers the lab can show next to
// the measurements. Unrolling n steps of W <- rho*W - mu*G gives
//   W_T = rho^n W_{T-n} - mu * sum_j rho^(j-1) G_{T-j},   rho = 1 - 2*mu*lambda,
// so after n_eps steps the old weights weigh less than eps/2 and W_T is (up to eps)
// a sum of n_eps updates of rank <= R*B each.

export interface TheoryInput {
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  eps: number;
}

/** Per-step decay factor rho = 1 - 2*mu*lambda. */
export const decayPerStep = (t: Pick<TheoryInput, 'learningRate' | 'weightDecay'>) => 1 - 2 * t.learningRate * t.weightDecay;

/**
 * Memory window n_eps = ceil(ln(eps/2) / ln(rho)): steps after which rho^n < eps/2.
 * Infinite without weight decay (rho = 1): the initialisation is never forgotten.
 * Null when rho <= 0 (mu*lambda >= 1/2): each step wipes or flips the weights, the theory does not apply.
 */
export function memoryWindow(t: TheoryInput): number | null {
  const rho = decayPerStep(t);
  if (rho >= 1) return Infinity;
  if (rho <= 0) return null;
  return Math.ceil(Math.log(t.eps / 2) / Math.log(rho));
}

/** Rank ceiling min(dOut, dIn, R*B*n_eps) of the paper's theorem; Infinity-free: with lambda = 0 there is none (null). */
export function rankCeiling(t: TheoryInput, shape: [number, number], positionsPerSample: number): number | null {
  const n = memoryWindow(t);
  if (n === null || n === Infinity) return null;
  return Math.min(shape[0], shape[1], positionsPerSample * t.batchSize * n);
}

/** Bound on the rank of one mini-batch gradient: min(B*R, dOut, dIn). */
export const gradientRankBound = (batchSize: number, shape: [number, number], positionsPerSample: number) =>
  Math.min(batchSize * positionsPerSample, shape[0], shape[1]);
