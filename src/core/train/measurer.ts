// Measuring a run, apart from training it. A snapshot has two halves:
//  - capture (on the training thread, cheap): the step's numbers and, when measuring
//    happens elsewhere, a copy of every tensor;
//  - measure (anywhere): the loss gradients on the last batch and their ranks, the test
//    pass and the float64 spectra of every weight matrix, into a Snapshot.
// The Trainer does both in turn (CLI, tests); the page's training worker hands the
// capture to a measuring worker on the second core, so training never waits on an SVD.

import type { Dataset } from '../data/dataset';
import type { NamedTensor, TrainingEngine } from '../engine/engine';
import type { Architecture } from '../models/architecture';
import { factoredSingularValues, meanRank, measureLayer, numericalRank, singularValues, type GradientFactors } from '../spectra';
import { gradientRankBound } from '../theory';
import { collapseReason } from './collapse';
import type { LayerSnapshot, Snapshot } from './snapshot';

/** What the training thread hands over for one snapshot. Plain data: it crosses a postMessage. */
export interface SnapshotCapture {
  step: number;
  epoch: number;
  trainLoss: number;
  /** The hyperparameters in force for the last step before this snapshot. */
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  momentum: number;
  eps: number;
  initialisationWeight: number;
  /** The batch of the latest step (null before any): its gradient's rank is reported. */
  lastBatch: Int32Array | null;
  /** Every tensor (Trainer.readTensors) when the measuring engine is not the training one. */
  tensors?: NamedTensor[];
  /** Milliseconds the training thread spent capturing. */
  captureMs: number;
}

/** ||values||_2 in float64 (a loop: spreading 100k values into Math.hypot overflows a browser's stack). */
export function frobeniusNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

export class Measurer {
  /** ||W_0||_F of every measured layer, from the architecture's initial values. */
  private readonly initialNorms: number[];

  /**
   * `engine` evaluates and takes gradients: the training engine itself, or a copy that receives the
   * captured tensors. `pausePoint` is called between pieces of the work (each layer's spectra, the
   * test pass): a measuring worker waits there while the page draws.
   */
  constructor(readonly architecture: Architecture, private readonly data: Dataset, private readonly engine: TrainingEngine, private readonly pausePoint: () => void = () => {}) {
    this.initialNorms = architecture.layers.map((l) => frobeniusNorm(architecture.params[l.param].initial));
  }

  /**
   * numericalRank of a measured layer's gradient: from its factors where the engine gives them
   * (B x B work), else from the spectrum of the formed gradient.
   */
  private gradientRank(i: number, g: GradientFactors | Float32Array): number {
    const l = this.architecture.layers[i];
    const [rows, cols] = [l.shape[1], l.shape[0]];
    const sv = g instanceof Float32Array ? singularValues(g, rows, cols) : factoredSingularValues(g, rows, cols);
    if (!sv) throw new Error(`${l.name}: the engine gave factors for a batch not smaller than the layer`);
    return numericalRank(sv, rows, cols);
  }

  async measure(c: SnapshotCapture): Promise<Snapshot> {
    const started = performance.now();
    if (c.tensors) this.engine.writeTensors(c.tensors);
    const weights = await this.engine.readWeights();
    const engine = this.engine;
    const gradients = !c.lastBatch ? null : engine.gradientFactors ? await engine.gradientFactors(c.lastBatch) : await engine.gradients(c.lastBatch);
    const layers: LayerSnapshot[] = this.architecture.layers.map((l, i) => {
      this.pausePoint();
      // Stored row-major, every measured tensor is the transpose of the authors' [dOut, dIn] matrix: a dense
      // weight is [dIn, dOut]; a [k,k,Cin,Cout] kernel is (k*k*Cin) x Cout, its rows a permutation of the
      // authors' (Cin*k*k) columns, which changes no singular value.
      const [rows, cols] = [l.shape[1], l.shape[0]];
      const spectrum = measureLayer(l.name, weights[i], rows, cols, c.eps);
      return {
        ...spectrum,
        shape: l.shape,
        positionsPerSample: l.positionsPerSample,
        gradientRank: gradients ? this.gradientRank(i, gradients[i]) : null,
        gradientRankBound: gradientRankBound(c.lastBatch?.length ?? c.batchSize, l.shape, l.positionsPerSample),
        normRatio: spectrum.frobeniusNorm / this.initialNorms[i],
        initialisationShare: spectrum.frobeniusNorm > 0 ? (c.initialisationWeight * this.initialNorms[i]) / spectrum.frobeniusNorm : NaN,
      };
    });
    this.pausePoint();
    const { testAccuracy, testLoss } = await this.engine.evaluate();
    return {
      step: c.step,
      epoch: c.epoch,
      trainLoss: c.trainLoss,
      testAccuracy,
      testLoss,
      learningRate: c.learningRate,
      weightDecay: c.weightDecay,
      batchSize: c.batchSize,
      momentum: c.momentum,
      layers,
      meanRank: meanRank(layers),
      initialisationWeight: c.initialisationWeight,
      collapse: collapseReason(testAccuracy, layers, this.data.numClasses),
      measureMs: c.captureMs + performance.now() - started,
    };
  }
}
