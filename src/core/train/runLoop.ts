// The one training loop: train a TrainingRun in chunks up to its next measurement, measure,
// and go on until its last step. The CLI and the sweeps (runToCompletion) and the page's worker
// (TrainingSession) drive it; what differs between them is passed in as a policy: how far apart
// measurements are, how big a chunk is, how a measurement is taken, and what happens between chunks.

import type { TrainingRun } from './trainingRun';

export interface LoopPolicy {
  /** Steps between measurements now: the config's snapshotEvery (CLI), or spaced by a budget (page). */
  interval(): number;
  /** Most steps in one chunk (Infinity: up to the next measurement). */
  chunkCap(msPerStep: number): number;
  /** Train `steps` steps of the run; returns milliseconds spent waiting rather than training. */
  train(steps: number): number | Promise<number>;
  /**
   * Measure the run at its current step. `last`: the final measurement of the run or of a Step,
   * which must land after the ones before it. False when the run diverged.
   */
  measure(last: boolean): Promise<boolean>;
  /** A measurement still being taken elsewhere (the page's measuring worker), if any: no new one starts meanwhile. */
  inFlight(): Promise<void> | null;
  /** Whether to go on (the page: still running, not paused). */
  going(): boolean;
  /** After each chunk: report progress, let commands in. */
  afterChunk(): Promise<void>;
}

export type LoopEnd = 'finished' | 'budget-spent' | 'stopped' | 'diverged';

export class RunLoop {
  /** Smoothed training time per step (ms), from the chunks so far: sizes the next chunk. */
  msPerStep = 0;
  /** The step of the last measurement. */
  lastMeasured: number;
  /** Steps to go before stopping on its own (a Step command); null = to the end of the run. */
  budget: number | null = null;

  constructor(readonly run: TrainingRun, private readonly policy: LoopPolicy, lastMeasured = run.step) {
    this.lastMeasured = lastMeasured;
  }

  /** Train until the run's last step (measured), the budget is spent, the policy stops it, or the run diverges. */
  async go(): Promise<LoopEnd> {
    const { run, policy } = this;
    while (policy.going()) {
      const steps = run.main.config.steps;
      const untilEnd = steps - run.step;
      if (untilEnd <= 0) { // the end was moved below the current step while running
        await policy.inFlight();
        if (this.lastMeasured < run.step && !(await this.measure(true))) return 'diverged';
        return 'finished';
      }
      // While a measurement is taken elsewhere, training goes on in full chunks.
      const untilMeasure = policy.inFlight() ? Infinity : this.lastMeasured + policy.interval() - run.step;
      const chunk = Math.max(1, Math.min(untilMeasure, untilEnd, this.budget ?? Infinity, policy.chunkCap(this.msPerStep)));
      const started = performance.now();
      const waited = await policy.train(chunk);
      const elapsed = performance.now() - started - waited;
      this.msPerStep = this.msPerStep ? 0.8 * this.msPerStep + 0.2 * (elapsed / chunk) : elapsed / chunk;
      if (this.budget !== null) this.budget -= chunk;
      const finished = run.step >= run.main.config.steps;
      if (finished || this.budget === 0) {
        await policy.inFlight(); // the last measurement lands after the ones before it
        if (!(await this.measure(true))) return 'diverged';
      } else if (run.step - this.lastMeasured >= policy.interval() && !policy.inFlight()) {
        if (!(await this.measure(false))) return 'diverged';
      }
      if (finished) return 'finished';
      if (this.budget === 0) { this.budget = null; return 'budget-spent'; }
      await policy.afterChunk();
    }
    return 'stopped';
  }

  private async measure(last: boolean): Promise<boolean> {
    const ok = await this.policy.measure(last);
    if (ok) this.lastMeasured = this.run.step;
    return ok;
  }
}
