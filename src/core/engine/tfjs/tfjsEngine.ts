// The tfjs engine: the network as tfjs variables on the current backend (WebGPU,
// WASM, WebGL or CPU). A training step is the hand-derived backward pass with fused
// operations and RankLab's kernels (handStep.ts); tfjs' tape with the update from
// sgd.ts stays available as the reference ({ backward: 'tape' }) and computes the
// gradients a snapshot measures.

import * as tf from '../../tf';
import type { Dataset } from '../../data/dataset';
import { createTfjsModel, type Architecture, type BatchMoments, type Model } from '../../models';
import { stateNames } from '../../models/architecture';
import { variableFrom } from '../../models/layers';
import { Sgd, type SgdHyperparameters } from '../../train/sgd';
import type { NamedTensor, TrainingEngine } from '../engine';
import { HandStep } from './handStep';
import { acquireDeviceData, releaseDeviceData, type DeviceData } from './deviceData';
import { kernelOps, opsForBackend, tfOps } from './ops';

export interface TfjsEngineOptions {
  /** 'hand' (default): the hand-derived step; 'tape': tfjs' tape and sgd.ts, the reference. */
  backward?: 'hand' | 'tape';
  /** Hand-derived step only: 'auto' (default) uses RankLab's kernels where the backend has them, 'tfjs' composes tfjs ops. */
  ops?: 'auto' | 'kernels' | 'tfjs';
  /**
   * WebGPU only: steps encoded into one queue submission (default 4; 0 keeps tfjs' own rule,
   * a submission every 15 dispatches). A read-back submits whatever is queued.
   */
  stepsPerSubmission?: number;
}

/** The WebGPU backend's calls that end a command buffer and submit it (public in @tensorflow/tfjs-backend-webgpu). */
interface WebGpuQueue {
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** A larger count of steps per submission keeps more steps' intermediate buffers alive until the GPU has them. */
const STEPS_PER_SUBMISSION = 4;

export class TfjsEngine implements TrainingEngine {
  readonly name = 'tfjs' as const;
  readonly model: Model;
  private readonly sgd: Sgd;
  /** The hand-derived step; null when the engine trains with the tape. */
  private readonly hand: HandStep | null;
  /** Every trainable tensor, in the order the optimiser holds them. */
  private readonly variables: tf.Variable[];
  /** The data set on the backend, shared with any other engine on the same data (deviceData.ts). */
  private readonly device: DeviceData;
  /** Sum of the training losses since the last read, kept on the backend so no step waits for a read-back. */
  private lossSum: tf.Variable;
  /** WebGPU with steps per submission: the backend, and the steps encoded since the last submission. */
  private readonly queue: WebGpuQueue | null = null;
  private readonly stepsPerSubmission: number = 0;
  private unsubmitted = 0;

  constructor(readonly architecture: Architecture, private readonly data: Dataset, options: TfjsEngineOptions = {}) {
    tf.assertGradientsRegistered();
    this.device = acquireDeviceData(data);
    this.model = createTfjsModel(architecture);
    this.variables = this.model.params.map((p) => p.variable);
    this.sgd = new Sgd(this.variables);
    this.lossSum = variableFrom(tf.zeros([1]), false);
    const ops = options.ops === 'kernels' ? kernelOps : options.ops === 'tfjs' ? tfOps : opsForBackend();
    this.hand = options.backward === 'tape' ? null : new HandStep(architecture, this.model, ops);
    const stepsPerSubmission = options.stepsPerSubmission ?? STEPS_PER_SUBMISSION;
    if (tf.getBackend() === 'webgpu' && stepsPerSubmission > 0) {
      // tfjs submits every 15 dispatches by default; this engine submits every few steps instead
      // (the flag is global: every tfjs user of the backend then submits at its read-backs).
      tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number.MAX_SAFE_INTEGER);
      this.queue = tf.backend() as unknown as WebGpuQueue;
      this.stepsPerSubmission = stepsPerSubmission;
    }
  }

  step(batch: Int32Array, h: SgdHyperparameters): void {
    this.enqueueStep(batch, h);
    if (this.queue && ++this.unsubmitted >= this.stepsPerSubmission) {
      this.queue.ensureCommandEncoderReady();
      this.queue.endComputePassEncoder();
      this.queue.submitQueue();
      this.unsubmitted = 0;
    }
  }

  private enqueueStep(batch: Int32Array, h: SgdHyperparameters): void {
    const hand = this.hand;
    if (hand) {
      tf.tidy(() => {
        const idx = tf.tensor1d(batch, 'int32');
        hand.step(tf.gather(this.device.trainX, idx), tf.gather(this.device.trainY, idx), h, this.lossSum);
      });
      return;
    }
    const vars = this.variables;
    const moments: BatchMoments[] = [];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(this.batchLoss(batch, moments), vars);
      this.sgd.apply(vars.map((v) => grads[v.name]), h);
      this.lossSum.assign(tf.add(this.lossSum, value));
    });
    if (moments.length) {
      this.model.updateRunningStats(moments);
      for (const m of moments) { m.mean.dispose(); m.variance.dispose(); }
    }
  }

  readMomentum(): Promise<Float32Array[] | null> {
    return this.hand ? this.hand.readMomentum() : this.sgd.readMomentum();
  }

  writeMomentum(buffers: Float32Array[] | null): void {
    if (this.hand) this.hand.writeMomentum(buffers);
    else this.sgd.writeMomentum(buffers);
  }

  async countDispatches(batch: Int32Array, h: SgdHyperparameters): Promise<number> {
    return (await tf.profile(() => this.step(batch, h))).kernels.length;
  }

  /**
   * The training loss on one batch, BatchNorm in training mode, as a function for
   * tf.variableGrads. Call inside tf.tidy (it gathers the batch). With `moments`, the
   * BatchNorm statistics of the pass are reported there.
   */
  private batchLoss(batch: Int32Array, moments?: BatchMoments[]): () => tf.Scalar {
    const idx = tf.tensor1d(batch, 'int32');
    const x = tf.gather(this.device.trainX, idx);
    const y = tf.gather(this.device.trainY, idx);
    return () => {
      if (moments) moments.length = 0; // the tape may call f once; keep only this pass's statistics
      return tf.losses.softmaxCrossEntropy(y, this.model.forward(x, 'train', moments)) as tf.Scalar;
    };
  }

  async gradients(batch: Int32Array): Promise<Float32Array[]> {
    const weights = this.model.layers.map((l) => l.param.variable);
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(this.batchLoss(batch), weights);
      return weights.map((w) => g[w.name]);
    });
    const data = await Promise.all(grads.map((g) => g.data()));
    grads.forEach((g) => g.dispose());
    return data as Float32Array[];
  }

  async sync(): Promise<void> {
    await this.lossSum.data();
  }

  async takeLossSum(): Promise<number> {
    const total = (await this.lossSum.data())[0];
    tf.tidy(() => this.lossSum.assign(tf.zeros([1])));
    return total;
  }

  async readWeights(): Promise<Float32Array[]> {
    return (await Promise.all(this.model.layers.map((l) => l.param.variable.data()))) as Float32Array[];
  }

  async evaluate(): Promise<{ testAccuracy: number; testLoss: number }> {
    const [acc, loss] = tf.tidy(() => {
      const logits = this.model.forward(this.device.testX, 'eval');
      const correct = tf.equal(tf.argMax(logits, 1), this.device.testLabels);
      const oneHot = tf.oneHot(this.device.testLabels, this.data.numClasses);
      return [tf.mean(tf.cast(correct, 'float32')), tf.losses.softmaxCrossEntropy(oneHot, logits)];
    });
    const [a, l] = await Promise.all([acc.data(), loss.data()]);
    acc.dispose(); loss.dispose();
    return { testAccuracy: a[0], testLoss: l[0] };
  }

  async readTensors(): Promise<NamedTensor[]> {
    const names = [...this.architecture.params.map((p) => p.name), ...stateNames(this.architecture)];
    const variables = [...this.variables, ...this.model.state.map((s) => s.variable)];
    // Copies: the CPU backend's data() is its own storage, which a transfer to another worker would detach.
    return Promise.all(variables.map(async (v, i) => ({ name: names[i], shape: [...v.shape], data: ((await v.data()) as Float32Array).slice() })));
  }

  writeTensors(tensors: NamedTensor[]): void {
    const names = [...this.architecture.params.map((p) => p.name), ...stateNames(this.architecture)];
    const variables = [...this.variables, ...this.model.state.map((s) => s.variable)];
    for (const t of tensors) {
      const v = variables[names.indexOf(t.name)];
      if (!v || v.size !== t.data.length) throw new Error(`cannot write ${t.name} (${t.data.length} values) into this network`);
      tf.tidy(() => v.assign(tf.tensor(t.data, v.shape)));
    }
  }

  dispose(): void {
    this.model.dispose();
    this.sgd.dispose();
    this.hand?.dispose();
    releaseDeviceData(this.data, this.device);
    this.lossSum.dispose();
  }
}
