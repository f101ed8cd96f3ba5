// A run's state between two steps, complete enough that a run restored from it trains on
// exactly as the run it was taken from would have (the same batches, the same arithmetic):
// the tensors, the momentum buffers, the counters and how many samples the batch sampler has
// handed out. The page keeps one per stored run (a reload, a closed tab, a worker that died);
// plain data, so it crosses to the worker and into IndexedDB by structured clone.
//
// Taken at any step: the training loss summed since the last snapshot goes with it, so the
// next snapshot's loss covers the same steps, resumed or not.

import { parseConfig } from '../config/parse';
import type { Config } from '../config/fields';
import type { NamedTensor } from '../engine/engine';

export const CHECKPOINT_VERSION = 1;

/** One trainer's state (a run's main training, or its comparison). */
export interface TrainerState {
  /** Its settings with every live adjustment so far. */
  config: Config;
  step: number;
  lastGoodStep: number;
  samplesSeen: number;
  logInitialisationWeight: number;
  /** The training loss summed over the steps since the last snapshot, and how many. */
  lossSinceSnapshot: { sum: number; steps: number };
  /** Every parameter and BatchNorm statistic (readTensors). */
  tensors: NamedTensor[];
  /** One momentum buffer per parameter, or null before the first step with momentum. */
  momentum: Float32Array[] | null;
}

export interface RunCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  /** Samples the run's batch sampler has handed out (the shared one, in lockstep). */
  samplesDrawn: number;
  main: TrainerState;
  comparison: TrainerState | null;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function checkTrainerState(value: unknown, where: string): TrainerState {
  const s = value as Partial<TrainerState> | null;
  if (!s || typeof s !== 'object') throw new Error(`${where} is missing`);
  const { config, problems } = parseConfig(s.config);
  if (problems.length) throw new Error(`${where}'s settings are not valid: ${problems[0].message}`);
  if (!isCount(s.step) || !isCount(s.lastGoodStep) || !isCount(s.samplesSeen)) throw new Error(`${where}'s step counters are not whole numbers`);
  if (typeof s.logInitialisationWeight !== 'number' || Number.isNaN(s.logInitialisationWeight)) throw new Error(`${where}'s decay record is not a number`);
  const loss = s.lossSinceSnapshot;
  if (!loss || typeof loss.sum !== 'number' || !isCount(loss.steps)) throw new Error(`${where}'s loss record is damaged`);
  const tensors = s.tensors;
  if (!Array.isArray(tensors) || !tensors.every((t) => t && typeof t.name === 'string' && Array.isArray(t.shape) && t.data instanceof Float32Array &&
    t.shape.reduce((a: number, b: number) => a * b, 1) === t.data.length)) {
    throw new Error(`${where}'s tensors are damaged`);
  }
  const momentum = s.momentum ?? null;
  if (momentum !== null && !(Array.isArray(momentum) && momentum.every((m) => m instanceof Float32Array))) throw new Error(`${where}'s momentum buffers are damaged`);
  return { config, step: s.step, lastGoodStep: s.lastGoodStep, samplesSeen: s.samplesSeen, logInitialisationWeight: s.logInitialisationWeight, lossSinceSnapshot: { sum: loss.sum, steps: loss.steps }, tensors, momentum };
}

/**
 * A stored checkpoint, checked: the version, every counter and every tensor's length against
 * its shape. Whether the tensors fit the network is checked when they are written into it.
 * Throws with what is wrong.
 */
export function checkCheckpoint(value: unknown): RunCheckpoint {
  const c = value as Partial<RunCheckpoint> | null;
  if (!c || typeof c !== 'object') throw new Error('the checkpoint is not an object');
  if (c.version !== CHECKPOINT_VERSION) throw new Error(`the checkpoint is version ${String(c.version)}, this lab reads version ${CHECKPOINT_VERSION}`);
  if (!isCount(c.samplesDrawn)) throw new Error('the checkpoint\'s sample count is not a whole number');
  const main = checkTrainerState(c.main, 'the run');
  const comparison = c.comparison == null ? null : checkTrainerState(c.comparison, 'the comparison run');
  if (comparison && comparison.step !== main.step) throw new Error('the run and its comparison are at different steps');
  return { version: CHECKPOINT_VERSION, samplesDrawn: c.samplesDrawn, main, comparison };
}

/** The buffers a checkpoint holds, for transferring it to another thread without a copy. */
export function checkpointBuffers(c: RunCheckpoint): ArrayBuffer[] {
  const arrays = [c.main, c.comparison].flatMap((s) => (s ? [...s.tensors.map((t) => t.data), ...(s.momentum ?? [])] : []));
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
