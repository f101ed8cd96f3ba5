// A training run: an engine that holds the network and takes SGD steps, the sampler,
// the learning-rate schedule and the measurements. Hyperparameters may change between
// any two steps; nothing else does (a new model, dataset or seed means a new Trainer).

import { RUN_ADJUSTABLE_FIELDS, type Config, type RunAdjustments } from '../config/fields';
import type { Dataset } from '../data/dataset';
import type { EngineName, NamedTensor, TrainingEngine } from '../engine/engine';
import { SimdEngine } from '../engine/simd/simdEngine';
import { TfjsEngine } from '../engine/tfjs/tfjsEngine';
import { architectureFor, stateNames, type Architecture } from '../models/architecture';
import { decayPerStep } from '../theory';
import { Measurer, type SnapshotCapture } from './measurer';
import { BatchSampler } from './sampler';
import type { Divergence, Snapshot } from './snapshot';
import type { TrainerState } from './checkpoint';
import type { SgdHyperparameters } from './sgd';

/** Learning rate in force at `step` (0-based count of completed steps) under the config's schedule. */
export function scheduledLearningRate(config: Pick<Config, 'lrSchedule' | 'lrDecaySteps' | 'lrDecayFactor'>, base: number, step: number): number {
  if (config.lrSchedule !== 'step') return base;
  const passed = config.lrDecaySteps.filter((s) => s <= step).length;
  return base * config.lrDecayFactor ** passed;
}

export class Trainer {
  readonly engine: TrainingEngine;
  /** Its own batch sampler, made on first use: a trainer driven in lockstep (lockstep.ts) is handed its batches and has none. */
  private ownSampler: BatchSampler | null = null;
  private stepsSinceSnapshot = 0;
  /** Loss summed since the last snapshot that a checkpoint took off the engine (state()): still this interval's. */
  private carriedLossSum = 0;
  step = 0;
  lastGoodStep = 0;
  /** The batch of the latest step: a snapshot reports the rank of this batch's gradient (at the current weights). */
  private lastBatch: Int32Array | null = null;
  /** log of prod_t (1 - 2*mu_t*lambda_t): how much weight the initialisation keeps. */
  private logInitialisationWeight = 0;
  /** Measures this run with its own engine (Trainer.snapshot). */
  private readonly measurer: Measurer;
  /** When an array, every step's batch (indices into the training set) is appended: a run can then be replayed elsewhere. */
  batchLog: Int32Array[] | null = null;

  /** The run's settings; eps, steps and snapshotEvery may be adjusted while it runs. */
  config: Config;

  /** `engine`: 'simd' needs prepareKernels() to have finished; 'tfjs' trains on the current tfjs backend. */
  constructor(config: Config, readonly data: Dataset, engine: EngineName = 'tfjs') {
    this.config = config;
    const architecture = architectureFor(config, data);
    this.engine = engine === 'simd' ? new SimdEngine(architecture, data) : new TfjsEngine(architecture, data);
    this.measurer = new Measurer(architecture, data, this.engine);
  }

  private get sampler(): BatchSampler {
    return (this.ownSampler ??= new BatchSampler(this.data.trainY.length, this.config.seed));
  }

  /** The network's layers, tensors and shapes. */
  get architecture(): Architecture {
    return this.engine.architecture;
  }

  /** Takes effect on the next step (or snapshot, for eps); no reset. Values must already be validated. */
  adjust(changes: Partial<RunAdjustments>): void {
    const adjusted = { ...this.config };
    for (const field of RUN_ADJUSTABLE_FIELDS) if (changes[field] !== undefined) (adjusted as Record<string, unknown>)[field] = changes[field];
    this.config = adjusted;
  }

  /** Samples this run has trained on (its own count: in lockstep the sampler is shared). */
  samplesSeen = 0;

  get epoch(): number {
    return this.samplesSeen / this.data.trainY.length;
  }

  /** Run `count` SGD steps. Enqueues work only: it never reads a value back from the backend. */
  train(count: number): void {
    for (let i = 0; i < count; i++) {
      this.trainOneStep(this.sampler.next(this.config.batchSize));
    }
  }

  /** One step on the given batch (indices into the training set); exposed for lockstep comparisons and tests. */
  trainOneStep(batch: Int32Array): void {
    this.takeStep(batch, (h) => this.engine.step(batch, h));
  }

  /** Backend operations one step issues (it takes that step): what the benchmark prints. */
  async countDispatches(): Promise<number> {
    const batch = this.sampler.next(this.config.batchSize);
    let counted: Promise<number> = Promise.resolve(0);
    this.takeStep(batch, (h) => { counted = this.engine.countDispatches(batch, h); });
    return counted;
  }

  /** Book-keeping around one engine step (`run`) on `batch` with this step's hyperparameters. */
  private takeStep(batch: Int32Array, run: (h: SgdHyperparameters) => void): void {
    this.batchLog?.push(batch);
    const learningRate = scheduledLearningRate(this.config, this.config.learningRate, this.step);
    const h = { learningRate, weightDecay: this.config.weightDecay, momentum: this.config.momentum };
    this.logInitialisationWeight += Math.log(Math.abs(decayPerStep(h)));
    run(h);
    this.lastBatch = batch;
    this.samplesSeen += batch.length;
    this.step++;
    this.stepsSinceSnapshot++;
  }

  /** Wait until the backend has run every queued step. */
  async sync(): Promise<void> {
    await this.engine.sync();
  }

  /** Mean training loss since the last read (NaN if no step was taken); starts a new sum. */
  async readTrainLoss(): Promise<number> {
    const total = (await this.engine.takeLossSum()) + this.carriedLossSum;
    this.carriedLossSum = 0;
    const mean = this.stepsSinceSnapshot ? total / this.stepsSinceSnapshot : NaN;
    this.stepsSinceSnapshot = 0;
    return mean;
  }

  /** Samples this trainer's own sampler has handed out (none in lockstep, where the run's sampler is shared). */
  get samplesDrawn(): number {
    return this.ownSampler?.drawn ?? 0;
  }

  /** Everything a run restored from it needs to go on exactly as this one would (see checkpoint.ts). */
  async state(): Promise<TrainerState> {
    this.carriedLossSum += await this.engine.takeLossSum();
    const [tensors, momentum] = await Promise.all([this.engine.readTensors(), this.engine.readMomentum()]);
    return {
      config: this.config, step: this.step, lastGoodStep: this.lastGoodStep, samplesSeen: this.samplesSeen, logInitialisationWeight: this.logInitialisationWeight,
      lossSinceSnapshot: { sum: this.carriedLossSum, steps: this.stepsSinceSnapshot }, tensors, momentum,
    };
  }

  /**
   * Continue from `state` (taken from a trainer of the same network and seed): its tensors,
   * momentum, counters and live settings. The sampler is the run's to move on (TrainingRun.restore).
   * Throws if the tensors do not fit this network.
   */
  restore(state: TrainerState): void {
    // Every tensor, or the run would go on from a mix of stored and fresh values.
    const given = new Set(state.tensors.map((t) => t.name));
    const missing = [...this.architecture.params.map((p) => p.name), ...stateNames(this.architecture)].filter((n) => !given.has(n));
    if (missing.length) throw new Error(`the checkpoint lacks ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`);
    this.engine.writeTensors(state.tensors);
    this.engine.writeMomentum(state.momentum);
    this.config = state.config;
    this.step = state.step;
    this.lastGoodStep = state.lastGoodStep;
    this.samplesSeen = state.samplesSeen;
    this.logInitialisationWeight = state.logInitialisationWeight;
    this.stepsSinceSnapshot = state.lossSinceSnapshot.steps;
    this.carriedLossSum = state.lossSinceSnapshot.sum;
    this.lastBatch = null;
  }

  /** Move this trainer's own sampler on to `drawn` samples (a restored run without a lockstep comparison run). */
  skipSamples(drawn: number): void {
    this.sampler.skip(drawn);
  }

  /** Every parameter and BatchNorm statistic (tfjs layout), e.g. for export. */
  readTensors(): Promise<NamedTensor[]> {
    return this.engine.readTensors();
  }

  /**
   * The training thread's half of a snapshot: the loss since the last one and the step's
   * numbers (with `copyTensors`, a copy of every tensor for a measuring engine elsewhere).
   * A Divergence instead if that loss was not finite.
   */
  async capture(copyTensors = false): Promise<SnapshotCapture | Divergence> {
    const started = performance.now();
    const hadSteps = this.stepsSinceSnapshot > 0;
    const trainLoss = await this.readTrainLoss();
    const h = this.config;
    if (hadSteps && !Number.isFinite(trainLoss)) {
      return {
        step: this.step,
        lastGoodStep: this.lastGoodStep,
        reason: `Training diverged: the loss became ${Number.isNaN(trainLoss) ? 'NaN' : 'infinite'} between step ${this.lastGoodStep} and step ${this.step} ` +
          `(learning rate ${h.learningRate}, weight decay ${h.weightDecay}, batch size ${h.batchSize}).`, // what to do next is each surface's to say
      };
    }
    this.lastGoodStep = this.step;
    const tensors = copyTensors ? await this.readTensors() : undefined;
    return {
      step: this.step,
      epoch: this.epoch,
      trainLoss,
      learningRate: scheduledLearningRate(h, h.learningRate, Math.max(0, this.step - 1)),
      weightDecay: h.weightDecay,
      batchSize: h.batchSize,
      momentum: h.momentum,
      eps: h.eps,
      initialisationWeight: Math.exp(this.logInitialisationWeight),
      lastBatch: this.lastBatch,
      tensors,
      captureMs: performance.now() - started,
    };
  }

  /** Measure a capture of this run with its own engine (a capture's tensors are ignored: the engine holds the run). */
  measure(captured: SnapshotCapture): Promise<Snapshot> {
    return this.measurer.measure({ ...captured, tensors: undefined });
  }

  /**
   * Measure the run here: capture, then read every weight matrix back, compute its full
   * spectrum in float64, evaluate on the test set. A Divergence instead if the loss
   * since the last snapshot was not finite.
   */
  async snapshot(): Promise<Snapshot | Divergence> {
    const captured = await this.capture();
    return isDivergence(captured) ? captured : this.measure(captured);
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** A measurement (or a pair of them) or the reason there is none. */
export const isDivergence = <T extends object>(s: T | Divergence): s is Divergence => 'reason' in s;
