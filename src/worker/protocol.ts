// The one message protocol between the page and the training worker. The page
// sends Commands; the worker answers with Events. Both are plain structured-clone
// data: no tensors ever cross this line.

import type { Config, RunAdjustments } from '../core/config/fields';
import type { Divergence, Snapshot } from '../core/train/snapshot';

/** 'simd' is RankLab's own WebAssembly SIMD engine (src/core/engine/simd); the others are tfjs backends. */
export const BACKEND_CHOICES = ['auto', 'simd', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export type Command =
  /**
   * Build (or rebuild, if model, data or seed changed) the run for `config` and train until paused
   * or finished. With `compare`, a second run ({...config, ...compare}) trains in lockstep on the same batches.
   */
  | { type: 'start'; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null }
  | { type: 'pause' }
  /** Train one snapshot interval, then pause. */
  | { type: 'step'; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null }
  /** Throw the run away and build a fresh one for `config`, paused at step 0. */
  | { type: 'reset'; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null }
  /** New mu, lambda, B, momentum (from the next step), eps, steps or snapshot interval; no reset. */
  | { type: 'update'; changes: Partial<RunAdjustments> }
  /** Throw an uncaught error inside the worker: lets tests (and the curious) check that the page recovers. */
  | { type: 'crash' };

export interface BackendInfo {
  name: BackendName;
  /** e.g. "swiftshader (Google)" for a WebGPU adapter; "" when there is none. */
  adapter: string;
  /** Why this backend, in words for the page ("WebGPU adapter is software (SwiftShader): using WASM"). */
  reason: string;
  /** WASM only: threads in use (1 without cross-origin isolation). */
  threads?: number;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'finished' | 'diverged' | 'failed';

export type WorkerEvent =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'status'; status: RunStatus; step: number; reset: boolean }
  | {
      type: 'snapshot';
      snapshot: Snapshot;
      /** The lockstep comparison run's measurement at the same step, when there is one. */
      comparison?: Snapshot;
      /** Training throughput over the last interval, measuring excluded. */
      stepsPerSecond: number;
      /** Snapshot interval now in force (may exceed config.snapshotEvery to keep measuring under ~10%). */
      snapshotEvery: number;
    }
  /** Cheap and frequent (about 10 per second while running): the step counter between snapshots. */
  | { type: 'progress'; step: number; epoch: number; stepsPerSecond: number }
  | { type: 'diverged'; divergence: Divergence }
  | { type: 'error'; message: string; phase: 'backend' | 'data' | 'training' };
