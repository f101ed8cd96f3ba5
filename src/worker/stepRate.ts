// The speed the page shows: steps over wall-clock time, in windows of about a second. Time
// spent yielding, waiting for the page to draw and capturing snapshots counts, so the figure
// is the rate at which the step counter actually moves (the per-chunk training time the
// worker sizes its chunks by leaves those out).

const WINDOW_MS = 1000;

export class StepRate {
  private fromStep = 0;
  private fromTime = 0;
  private rate = 0;

  /** Start measuring afresh (a run starts or resumes at `step`). */
  restart(step: number, now: number): void {
    this.fromStep = step;
    this.fromTime = now;
    this.rate = 0;
  }

  /** The rate over the last full window; `fallback` until one has passed. */
  update(step: number, now: number, fallback: number): number {
    if (now - this.fromTime >= WINDOW_MS && step > this.fromStep) {
      this.rate = ((step - this.fromStep) * 1000) / (now - this.fromTime);
      this.fromStep = step;
      this.fromTime = now;
    }
    return this.rate > 0 ? this.rate : fallback;
  }
}
