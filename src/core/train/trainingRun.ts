// A run as every driver sees it (the CLI, the page's worker, a sweep's cell): the main
// training and, when the run has one, its comparison, trained in lockstep on the same batches
// and measured at the same steps. The comparison's settings are built here and nowhere else.

import type { Config, RunAdjustments } from '../config/fields';
import { parseConfig } from '../config/parse';
import type { Dataset } from '../data/dataset';
import type { EngineName } from '../engine/engine';
import { captureBoth, Lockstep, measureBoth } from './lockstep';
import { Trainer } from './trainer';
import { CHECKPOINT_VERSION, type RunCheckpoint } from './checkpoint';

/** A comparison's settings: the main run's, with what the comparison overrides. */
export const comparisonConfig = (config: Config, overrides: Partial<Config>): Config => parseConfig({ ...config, ...overrides }).config;

export class TrainingRun {
  private readonly lockstep: Lockstep | null;

  /** `compare`: what the comparison changes (null: no comparison). */
  constructor(readonly main: Trainer, readonly comparison: Trainer | null = null, readonly compare: Partial<Config> | null = null) {
    this.lockstep = comparison ? new Lockstep(main, comparison) : null;
  }

  /** The run for `config` (and its comparison, when `compare` changes something) on `data`. */
  static build(config: Config, data: Dataset, engine: EngineName, compare: Partial<Config> | null = null): TrainingRun {
    const main = new Trainer(config, data, engine);
    const changes = compare && Object.keys(compare).length ? compare : null;
    return new TrainingRun(main, changes ? new Trainer(comparisonConfig(config, changes), data, engine) : null, changes);
  }

  /**
   * The run (and its comparison) for a checkpoint taken from a run of these settings: it trains on
   * from the checkpoint's step exactly as that run would have. Throws if the checkpoint does not fit.
   */
  static restore(checkpoint: RunCheckpoint, data: Dataset, engine: EngineName, compare: Partial<Config> | null = null): TrainingRun {
    const run = TrainingRun.build(checkpoint.main.config, data, engine, compare);
    try {
      if (!run.comparison !== !checkpoint.comparison) throw new Error(checkpoint.comparison ? 'the checkpoint has a comparison run this run has not' : 'the checkpoint has no comparison run');
      // The comparison must be the one asked for: what it overrides, it has.
      const differs = Object.entries(run.compare ?? {}).filter(([f, v]) => JSON.stringify(checkpoint.comparison!.config[f as keyof Config]) !== JSON.stringify(v));
      if (differs.length) throw new Error(`the stored comparison run has another ${differs.map(([f]) => f).join(', ')}`);
      run.main.restore(checkpoint.main);
      if (run.comparison) run.comparison.restore(checkpoint.comparison!);
      if (run.lockstep) run.lockstep.skipSamples(checkpoint.samplesDrawn);
      else run.main.skipSamples(checkpoint.samplesDrawn);
    } catch (err) {
      run.dispose();
      throw err;
    }
    return run;
  }

  /** The run's state now (see checkpoint.ts); take it between steps, best right after a capture. */
  async checkpoint(): Promise<RunCheckpoint> {
    const [main, comparison] = await Promise.all([this.main.state(), this.comparison?.state() ?? null]);
    return { version: CHECKPOINT_VERSION, samplesDrawn: this.lockstep ? this.lockstep.samplesDrawn : this.main.samplesDrawn, main, comparison };
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
    this.comparison?.adjust({ ...changes, ...(this.compare ?? {}) } as Partial<RunAdjustments>);
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
