// The one message protocol between the page and the training worker. The page
// sends Commands; the worker answers with Events. Both are plain structured-clone
// data: no tensors ever cross this line. The worker checks each command on arrival
// (checkCommand.ts) and refuses what this file and the settings table do not allow.

import type { Config, RunAdjustments } from '../core/config/fields';
import type { Divergence, Snapshot } from '../core/train/snapshot';
import type { SnapshotCapture } from '../core/train/measurer';
import type { RunCheckpoint } from '../core/train/checkpoint';
import type { SweepCell } from '../core/sweep/cells';
import type { CellResult } from '../core/sweep/result';

import type { BackendChoice, BackendName } from '../core/engine/backendChoice';

export { BACKEND_CHOICES, type BackendChoice, type BackendName } from '../core/engine/backendChoice';

/**
 * Commands that may build a run carry the id the page gives it; every event about a run carries
 * the id of the run it is about. A run keeps its id until a command builds a new one, and the page
 * drops events of any run but the one it last asked for (a reset's stale snapshots, say).
 */
export type Command =
  /**
   * Build (or rebuild, if model, data or seed changed) the run for `config` and train until paused
   * or finished. With `compare`, a second run ({...config, ...compare}) trains in lockstep on the same batches.
   */
  | { type: 'start'; runId: number; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null; backendCache?: BackendCache }
  | { type: 'pause' }
  /** Train one snapshot interval, then pause. */
  | { type: 'step'; runId: number; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null; backendCache?: BackendCache }
  /** Throw the run away and build a fresh one for `config`, paused at step 0. */
  | { type: 'reset'; runId: number; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null; backendCache?: BackendCache }
  /**
   * Continue a stored run (the page's IndexedDB): its run rebuilt from the checkpoint, paused at the
   * checkpoint's step, with nothing measured (the page has the history). If the checkpoint cannot be
   * restored, a fresh run for `config` as after a reset, and an error with phase 'restore'.
   */
  | { type: 'resume'; runId: number; config: Config; backend?: BackendChoice; compare?: Partial<Config> | null; backendCache?: BackendCache; checkpoint: RunCheckpoint }
  /** New mu, lambda, B, momentum (from the next step), eps, steps or snapshot interval; no reset. */
  | { type: 'update'; changes: Partial<RunAdjustments> }
  /** The page's drawing signal (see drawingSignal.ts): training waits while the page draws. */
  | { type: 'drawing-signal'; buffer: SharedArrayBuffer };

export interface BackendInfo {
  name: BackendName;
  /** e.g. "swiftshader (Google)" for a WebGPU adapter; "" when there is none. */
  adapter: string;
  /** Why this backend, in words for the page ("WebGPU adapter is software (SwiftShader): using WASM"). */
  reason: string;
  /** WASM only: threads in use (1 without cross-origin isolation). */
  threads?: number;
  /**
   * How the choice was timed: the automatic choice (and a forced WASM's thread count) is the fastest
   * of short training bursts on each candidate, or the page's cached result of such a measurement.
   * The page stores a fresh one (cached = false) under its key.
   */
  measurement?: BackendMeasurement;
}

/** One candidate's burst: steps per second of the run's own model and batch size, or why there is no figure. */
export interface BackendFigure {
  backend: BackendName;
  /** WASM only: the thread count this figure was measured with. */
  threads?: number;
  stepsPerSecond?: number;
  /** The burst hit its time cap: at most this many steps per second (warm-up included). */
  slowerThan?: number;
  /** Why it was not timed ("no adapter", "failed to start", "at most 2 x 104 < 1480"...). */
  skipped?: string;
}

export interface BackendMeasurement {
  /** Device (cores, WebGPU adapter, isolation, user agent), shape (model, depth, width, BatchNorm, batch-size bucket) and choice. */
  key: string;
  figures: BackendFigure[];
  /** The fastest figure's backend and thread count. */
  backend: BackendName;
  threads?: number;
  /** When it was measured (ms since the epoch) and how long the bursts took. */
  measuredAt: number;
  ms: number;
  /** True when the page's cache supplied it and nothing was timed now. */
  cached: boolean;
}

/** The page's stored measurements by key (the worker has no localStorage). */
export type BackendCache = Record<string, BackendMeasurement>;

/** 'loading': a run is being built (the data file fetched, the backend started and timed). */
export type RunStatus = 'idle' | 'loading' | 'running' | 'paused' | 'finished' | 'diverged' | 'failed';

export type WorkerEvent =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'status'; runId: number; status: RunStatus; step: number; reset: boolean }
  | {
      type: 'snapshot';
      runId: number;
      snapshot: Snapshot;
      /** The lockstep comparison run's measurement at the same step, when there is one. */
      comparison?: Snapshot;
      /** Steps per second of wall-clock time over the last second (stepRate.ts): waits, captures and yields included. */
      stepsPerSecond: number;
      /** Steps between measurements now in force: config.snapshotEvery, or more to keep measuring within its budget (the requested interval keeps its name in the config). */
      measuredEvery: number;
    }
  /** Cheap and frequent (about 10 per second while running): the step counter between snapshots. */
  | { type: 'progress'; runId: number; step: number; epoch: number; stepsPerSecond: number }
  | { type: 'diverged'; runId: number; divergence: Divergence }
  /**
   * The run's state (checkpoint.ts), every few seconds while it trains and whenever it stops, so the
   * page can keep it (a reload, a closed tab, a worker that dies). Its buffers are transferred.
   */
  | { type: 'checkpoint'; runId: number; checkpoint: RunCheckpoint }
  /** 'device-lost': the GPU device went away mid-run; the run's tensors went with it (the page goes on from its last checkpoint elsewhere). */
  | { type: 'error'; runId: number; message: string; phase: 'backend' | 'data' | 'training' | 'restore' | 'device-lost' }
  /** A message the worker did not act on (checkCommand.ts): not a command, or settings outside the table. */
  | { type: 'refused'; reason: string };

// Between the training worker and its measuring worker (measuring.worker.ts), which
// measures captured runs on the second core.

/** Measure one captured run; `run` names it ('main' or 'comparison') so each keeps its own measurer. */
export interface MeasureRequest {
  type: 'measure';
  id: number;
  run: 'main' | 'comparison';
  config: Config;
  capture: SnapshotCapture;
}

/**
 * What the measuring worker receives: requests; once, the page's drawing signal (it pauses while
 * the page draws); and once, the MNIST file the training worker fetched (it fetches none of its own).
 */
export type MeasuringMessage = MeasureRequest | { type: 'drawing-signal'; buffer: SharedArrayBuffer } | { type: 'mnist'; buffer: ArrayBuffer };

export type MeasureReply = { id: number; snapshot: Snapshot } | { id: number; error: string };

// Between the page and a sweep worker (sweep.worker.ts), one of a pool that runs a sweep's cells.

export type SweepCommand = { type: 'cell'; cell: SweepCell; points: number };
export type SweepReply = { type: 'result'; result: CellResult } | { type: 'error'; index: number; message: string };
