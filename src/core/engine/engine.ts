// One interface for the engines that train a network: tfjs on any of its backends
// (WebGPU first on a GPU) and RankLab's own WebAssembly SIMD kernels (a CPU). The
// Trainer above it owns everything that is the same for both: the sampler, the
// schedule, the snapshot and its spectra. Every engine must pass the same PyTorch
// replay fixtures and paper-claim tests (see *.test.ts next to the Trainer).

import type { Architecture } from '../models/architecture';
import type { GradientFactors } from '../spectra/factored';
import type { SgdHyperparameters } from '../train/sgd';

export const ENGINE_NAMES = ['simd', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engine behind a backend name: 'simd' is its own engine, every other name is a tfjs backend. */
export const engineOf = (backend: string): EngineName => (backend === 'simd' ? 'simd' : 'tfjs');

/** A tensor by its architecture name, in the tfjs layout (see ParamSpec.shape). */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface TrainingEngine {
  readonly name: EngineName;
  readonly architecture: Architecture;
  /**
   * One SGD step on a batch (indices into the training set) with the paper's update,
   * BatchNorm in training mode and its running statistics updated. Enqueues work
   * only: it never waits for a value from the backend. The batch's mean loss is
   * added to a running sum on the backend.
   */
  step(batch: Int32Array, h: SgdHyperparameters): void;
  /** The running loss sum (waits for every queued step), then starts a new sum. */
  takeLossSum(): Promise<number>;
  /** Resolves when every queued step has run. */
  sync(): Promise<void>;
  /** The measured layers' weights (architecture.layers order, tfjs layout). */
  readWeights(): Promise<Float32Array[]>;
  /** The measured layers' loss gradients on a batch at the current weights; no weight or statistic changes. */
  gradients(batch: Int32Array): Promise<Float32Array[]>;
  /**
   * Optional, where an engine has them at hand: the same gradients, a dense layer's as its factors
   * X^T D (its inputs and output gradients over the batch) when the batch is smaller than both of
   * its sides, so its rank costs B x B work instead of a spectrum of the whole matrix; every other
   * layer's formed, as gradients() gives it. One backward pass.
   */
  gradientFactors?(batch: Int32Array): Promise<(GradientFactors | Float32Array)[]>;
  /** Loss and accuracy on the held-out set, BatchNorm in eval mode. */
  evaluate(): Promise<{ testAccuracy: number; testLoss: number }>;
  /** Every parameter, then every BatchNorm running statistic (names from the architecture): fresh copies the caller owns. */
  readTensors(): Promise<NamedTensor[]>;
  /** Overwrite tensors by name (e.g. a stored run's weights); names the architecture does not have are an error. */
  writeTensors(tensors: NamedTensor[]): void;
  /**
   * torch.optim.SGD's momentum buffers, one per parameter (architecture.params order), or null
   * before the first step with momentum: with readTensors, what a resumed run needs to go on exactly.
   */
  readMomentum(): Promise<Float32Array[] | null>;
  /** Resume with these buffers (null: none yet, so the next step with momentum starts them). */
  writeMomentum(buffers: Float32Array[] | null): void;
  /** Optional: whether a second thread now shares this engine's steps (the SIMD engine's helper), so both cores train. */
  usesHelperThread?(): boolean;
  /** Takes one step (as step()) and returns how many backend operations (kernel dispatches or calls) it issued. */
  countDispatches(batch: Int32Array, h: SgdHyperparameters): Promise<number>;
  dispose(): void;
}
