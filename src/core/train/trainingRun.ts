// A run as every driver sees it (the CLI, the page's worker, a sweep's cell): the main
// training and, when the run has one, its comparison, trained in lockstep on the same batches
// and measured at the same steps. The comparison's settings are built here and nowhere else.

import type { Config, RunAdjustments } from '../config/fields';
import { parseConfig } from '../config/parse';
import type { Dataset } from '../data/dataset';
import type { EngineName } from '../engine/engine';
import { captureBoth, Lockstep, measureBoth } from './lockstep';
import { Trainer } from './trainer';

/** A comparison's settings: the main run's, with what the comparison overrides. */
export const comparisonConfig = (config: Config, overrides: Partial<Config>): Config => parseConfig({ ...config, ...overrides }).config;

export class TrainingRun {
  private readonly lockstep: Lockstep | null;

  /** `overrides`: what the comparison changes (null: no comparison). */
  constructor(readonly main: Trainer, readonly comparison: Trainer | null = null, readonly overrides: Partial<Config> | null = null) {
    this.lockstep = comparison ? new Lockstep(main, comparison) : null;
  }

  /** The run for `config` (and its comparison, when `overrides` change something) on `data`. */
  static build(config: Config, data: Dataset, engine: EngineName, overrides: Partial<Config> | null = null): TrainingRun {
    const main = new Trainer(config, data, engine);
    const compared = overrides && Object.keys(overrides).length ? overrides : null;
    return new TrainingRun(main, compared ? new Trainer(comparisonConfig(config, compared), data, engine) : null, compared);
  }

  get step(): number {
    return this.main.step;
  }

  /** Train `steps` steps (both runs, on the same batches, when there is a comparison). */
  train(steps: number): void {
    if (this.lockstep) this.lockstep.train(steps);
    else this.main.train(steps);
  }

  /** New hyperparameters from the next step; the comparison keeps what it overrides. */
  adjust(changes: Partial<RunAdjustments>): void {
    this.main.adjust(changes);
    this.comparison?.adjust({ ...changes, ...(this.overrides ?? {}) } as Partial<RunAdjustments>);
  }

  /** The training thread's half of a snapshot of both runs (see measurer.ts). */
  capture(copyTensors: boolean) {
    return captureBoth(this.main, this.comparison, copyTensors);
  }

  /** Capture and measure both runs here. */
  measure() {
    return measureBoth(this.main, this.comparison);
  }

  dispose(): void {
    this.main.dispose();
    this.comparison?.dispose();
  }
}
