// A training run: the network, the data on the backend, the sampler and the update
// rule. Hyperparameters may change between any two steps; nothing else does
// (a new model, dataset or seed means a new Trainer).

import * as tf from '../tf';
import { RUN_ADJUSTABLE_FIELDS, type Config, type RunAdjustments } from '../config/fields';
import { inputSize, type Dataset } from '../data/dataset';
import { createModel, type BatchMoments, type Model } from '../models';
import { variableFrom } from '../models/layers';
import { meanRank, measureLayer, numericalRank, singularValues } from '../spectra';
import { decayPerStep, gradientRankBound } from '../theory';
import { BatchSampler } from './sampler';
import { collapseReason } from './collapse';
import { Sgd } from './sgd';
import type { Divergence, LayerSnapshot, Snapshot } from './snapshot';

/** Learning rate in force at `step` (0-based count of completed steps) under the config's schedule. */
export function scheduledLearningRate(config: Pick<Config, 'lrSchedule' | 'lrDecaySteps' | 'lrDecayFactor'>, base: number, step: number): number {
  if (config.lrSchedule !== 'step') return base;
  const passed = config.lrDecaySteps.filter((s) => s <= step).length;
  return base * config.lrDecayFactor ** passed;
}

export class Trainer {
  readonly model: Model;
  private readonly sampler: BatchSampler;
  private readonly sgd: Sgd;
  /** Every trainable tensor, in the order the optimiser holds them. */
  private readonly variables: tf.Variable[];
  private readonly trainX: tf.Tensor2D;
  private readonly trainY: tf.Tensor2D;
  private readonly testX: tf.Tensor2D;
  private readonly testLabels: tf.Tensor1D;
  /** Sum of the training losses since the last snapshot, kept on the backend so no step waits for a read-back. */
  private lossSum: tf.Variable;
  private stepsSinceSnapshot = 0;
  step = 0;
  lastGoodStep = 0;
  /** The batch of the latest step: a snapshot reports the rank of this batch's gradient (at the current weights). */
  private lastBatch: Int32Array | null = null;
  /** log of prod_t (1 - 2*mu_t*lambda_t): how much weight the initialisation keeps. */
  private logInitialisationWeight = 0;
  /** ||W_0||_F of every measured layer: kept on the backend at creation, read at the first snapshot (no synchronous read-back, which WebGPU cannot afford). */
  private initialNormTensors: tf.Tensor[] | null;
  private initialNorms: number[] = [];
  /** When an array, every step's batch (indices into the training set) is appended: a run can then be replayed elsewhere. */
  batchLog: Int32Array[] | null = null;

  /** The run's settings; eps, steps and snapshotEvery may be adjusted while it runs. */
  config: Config;

  constructor(config: Config, readonly data: Dataset) {
    this.config = config;
    tf.assertGradientsRegistered();
    const d = inputSize(data);
    this.trainX = tf.tensor2d(data.trainX, [data.trainY.length, d]);
    this.trainY = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.trainY, 'int32'), data.numClasses), 'float32')) as tf.Tensor2D;
    this.testX = tf.tensor2d(data.testX, [data.testY.length, d]);
    this.testLabels = tf.tensor1d(data.testY, 'int32');
    this.model = createModel(config, data);
    this.variables = this.model.params.map((p) => p.variable);
    this.sgd = new Sgd(this.variables);
    this.sampler = new BatchSampler(data.trainY.length, config.seed);
    this.lossSum = variableFrom(tf.scalar(0), false);
    this.initialNormTensors = this.model.layers.map((l) => tf.tidy(() => tf.norm(l.param.variable)));
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
    this.batchLog?.push(batch);
    const vars = this.variables;
    const moments: BatchMoments[] = [];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(this.batchLoss(batch, moments), vars);
      const learningRate = scheduledLearningRate(this.config, this.config.learningRate, this.step);
      this.logInitialisationWeight += Math.log(Math.abs(decayPerStep({ learningRate, weightDecay: this.config.weightDecay })));
      this.sgd.apply(vars.map((v) => grads[v.name]), { ...this.config, learningRate });
      this.lossSum.assign(tf.add(this.lossSum, value));
    });
    if (moments.length) {
      this.model.updateRunningStats(moments);
      for (const m of moments) { m.mean.dispose(); m.variance.dispose(); }
    }
    this.lastBatch = batch;
    this.samplesSeen += batch.length;
    this.step++;
    this.stepsSinceSnapshot++;
  }

  /**
   * The training loss on one batch, BatchNorm in training mode, as a function for
   * tf.variableGrads. Call inside tf.tidy (it gathers the batch). With `moments`, the
   * BatchNorm statistics of the pass are reported there.
   */
  private batchLoss(batch: Int32Array, moments?: BatchMoments[]): () => tf.Scalar {
    const idx = tf.tensor1d(batch, 'int32');
    const x = tf.gather(this.trainX, idx);
    const y = tf.gather(this.trainY, idx);
    return () => {
      if (moments) moments.length = 0; // the tape may call f once; keep only this pass's statistics
      return tf.losses.softmaxCrossEntropy(y, this.model.forward(x, 'train', moments)) as tf.Scalar;
    };
  }

  /**
   * Each measured layer's gradient on the latest batch, at the current weights (just after
   * that batch's update), in the same layout as its weights. Its rank obeys the same
   * bound as the update's. Null before any step.
   */
  private async lastBatchGradients(): Promise<Float32Array[] | null> {
    const batch = this.lastBatch;
    if (!batch) return null;
    const weights = this.model.layers.map((l) => l.param.variable);
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(this.batchLoss(batch), weights);
      return weights.map((w) => g[w.name]);
    });
    const data = await Promise.all(grads.map((g) => g.data()));
    grads.forEach((g) => g.dispose());
    return data as Float32Array[];
  }

  /** Wait until the backend has run every queued step (reads back one scalar the step writes). */
  async sync(): Promise<void> {
    await this.lossSum.data();
  }

  /** Mean training loss since the last read (NaN if no step was taken); starts a new sum. */
  async readTrainLoss(): Promise<number> {
    const total = (await this.lossSum.data())[0];
    const mean = this.stepsSinceSnapshot ? total / this.stepsSinceSnapshot : NaN;
    tf.tidy(() => this.lossSum.assign(tf.scalar(0)));
    this.stepsSinceSnapshot = 0;
    return mean;
  }

  /** Loss and accuracy on the held-out set, BatchNorm in eval mode. */
  private async evaluate(): Promise<{ testAccuracy: number; testLoss: number }> {
    const [acc, loss] = tf.tidy(() => {
      const logits = this.model.forward(this.testX, 'eval');
      const correct = tf.equal(tf.argMax(logits, 1), this.testLabels);
      const oneHot = tf.oneHot(this.testLabels, this.data.numClasses);
      return [tf.mean(tf.cast(correct, 'float32')), tf.losses.softmaxCrossEntropy(oneHot, logits)];
    });
    const [a, l] = await Promise.all([acc.data(), loss.data()]);
    acc.dispose(); loss.dispose();
    return { testAccuracy: a[0], testLoss: l[0] };
  }

  /**
   * Measure the run: read every weight matrix back, compute its full spectrum in
   * float64, evaluate on the test set. Returns a Divergence instead if the loss
   * since the last snapshot was not finite.
   */
  async snapshot(): Promise<Snapshot | Divergence> {
    const started = performance.now();
    const hadSteps = this.stepsSinceSnapshot > 0;
    const trainLoss = await this.readTrainLoss();
    if (hadSteps && !Number.isFinite(trainLoss)) {
      const h = this.config;
      return {
        step: this.step,
        lastGoodStep: this.lastGoodStep,
        reason: `Training diverged: the loss became ${Number.isNaN(trainLoss) ? 'NaN' : 'infinite'} between step ${this.lastGoodStep} and step ${this.step} ` +
          `(learning rate ${h.learningRate}, weight decay ${h.weightDecay}, batch size ${h.batchSize}). Lower the learning rate and start again.`,
      };
    }
    if (this.initialNormTensors) {
      const tensors = this.initialNormTensors;
      this.initialNorms = (await Promise.all(tensors.map((t) => t.data()))).map((d) => d[0]);
      tensors.forEach((t) => t.dispose());
      this.initialNormTensors = null;
    }
    const weights = await Promise.all(this.model.layers.map((l) => l.param.variable.data()));
    const gradients = await this.lastBatchGradients();
    const initialisationWeight = Math.exp(this.logInitialisationWeight);
    const layers: LayerSnapshot[] = this.model.layers.map((l, i) => {
      // Stored row-major, every measured tensor is the transpose of the authors' [dOut, dIn] matrix: a dense
      // weight is [dIn, dOut]; a [k,k,Cin,Cout] kernel is (k*k*Cin) x Cout, its rows a permutation of the
      // authors' (Cin*k*k) columns, which changes no singular value.
      const [rows, cols] = [l.shape[1], l.shape[0]];
      const spectrum = measureLayer(l.name, weights[i] as Float32Array, rows, cols, this.config.eps);
      return {
        ...spectrum,
        shape: l.shape,
        positionsPerSample: l.positionsPerSample,
        gradientRank: gradients ? numericalRank(singularValues(gradients[i], rows, cols), rows, cols) : null,
        gradientRankBound: gradientRankBound(this.lastBatch?.length ?? this.config.batchSize, l.shape, l.positionsPerSample),
        normRatio: spectrum.frobeniusNorm / this.initialNorms[i],
        initialisationShare: spectrum.frobeniusNorm > 0 ? (initialisationWeight * this.initialNorms[i]) / spectrum.frobeniusNorm : NaN,
      };
    });
    const { testAccuracy, testLoss } = await this.evaluate();
    this.lastGoodStep = this.step;
    const collapse = collapseReason(testAccuracy, layers, this.data.numClasses);
    const h = this.config;
    return {
      step: this.step,
      epoch: this.epoch,
      trainLoss,
      testAccuracy,
      testLoss,
      learningRate: scheduledLearningRate(this.config, h.learningRate, Math.max(0, this.step - 1)),
      weightDecay: h.weightDecay,
      batchSize: h.batchSize,
      momentum: h.momentum,
      layers,
      meanRank: meanRank(layers),
      initialisationWeight,
      collapse,
      measureMs: performance.now() - started,
    };
  }

  dispose(): void {
    this.model.dispose();
    this.sgd.dispose();
    for (const t of [this.trainX, this.trainY, this.testX, this.testLabels, this.lossSum, ...(this.initialNormTensors ?? [])]) t.dispose();
  }
}

/** A measurement (or a pair of them) or the reason there is none. */
export const isDivergence = <T extends object>(s: T | Divergence): s is Divergence => 'reason' in s;
