// The training worker's state and behaviour, in one object: the backend, the run (and its
// lockstep comparison), the training loop and the snapshots. It trains in short chunks and
// yields to its event loop between them, so commands (pause, new hyperparameters) take effect
// on the next step; it posts snapshots without ever waiting for the page. What it needs from
// its surroundings (posting events, starting a backend, the MNIST bytes, a measuring worker)
// is passed in, so it runs in a Worker in the page and over a MessageChannel in the tests.

import { FIELD_NAMES, isRunAdjustable, type Config } from '../core/config/fields';
import { datasetFor } from '../core/data/forConfig';
import type { Dataset } from '../core/data/dataset';
import { engineOf } from '../core/engine/engine';
import { SnapshotCost, measuringBudget, snapshotInterval } from '../core/train/measureBudget';

import type { SnapshotCapture } from '../core/train/measurer';
import { checkpointBuffers, type RunCheckpoint } from '../core/train/checkpoint';
import type { Snapshot } from '../core/train/snapshot';
import { isDivergence, type Trainer } from '../core/train/trainer';
import { TrainingRun } from '../core/train/trainingRun';
import { RunLoop, type LoopPolicy } from '../core/train/runLoop';
import { DrawingSignal } from './drawingSignal';
import type { BackendCache, BackendChoice, BackendInfo, Command, MeasureRequest, RunStatus, WorkerEvent } from './protocol';
import { StepRate } from './stepRate';
import { within } from './burst';
import { checkCommand, updateProblems } from './checkCommand';

/** Aim for chunks of ~30 ms so a command never waits long for the loop to notice it. */
const CHUNK_MS = 30;
/**
 * On the CPU engines a chunk is trained in slices of ~10 ms, with a look at the page's drawing
 * signal between them, so training stands aside soon after the page starts drawing. (Yielding
 * to the event loop every 10 ms instead cost the default model ~12% of its speed in the page.)
 */
const SLICE_MS = 10;
/** How long a failed GPU run waits to learn whether its device was lost (the loss is reported just after the failed read). */
const DEVICE_LOSS_GRACE_MS = 500;
/**
 * A checkpoint for the page after the run's first chunk, then at most this often while training,
 * and whenever the run stops: a worker that dies costs at most this much training, trained again
 * (the same batches, so the same run). Not more often: with one a second, the page (receiving and
 * storing them) lost ~7% of MLP-BN-10-100's steps/s and had 10 main-thread tasks over 50 ms in
 * 80 s against 3 (same-run A/B, 4 pages of 20 s each).
 */
export const CHECKPOINT_MS = 4000;
/**
 * Steps at least this long are checkpointed after every chunk (one step each): Pause inside such a
 * step replaces the worker (the page's controller), and then only the step in progress is lost.
 * Taking one measured 24 ms for 784-512x3-10 with momentum, 2% of a 1.2 s step.
 */
const LONG_STEP_MS = 500;

/** What the session needs of a measuring worker (measuringClient.ts). */
export interface Measuring {
  readonly usable: boolean;
  measure(run: MeasureRequest['run'], config: Config, capture: SnapshotCapture): Promise<Snapshot>;
  shareDrawingSignal(buffer: SharedArrayBuffer): void;
}

export interface SessionDeps {
  /** `transfer`: buffers to move rather than copy (a checkpoint's). */
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  /** Start a backend (backend.ts's startBackend), and the key that says when to choose again (choiceKey). */
  backends: {
    start(choice: BackendChoice, ctx: { config: Config; data: () => Promise<Dataset>; cache?: BackendCache }): Promise<BackendInfo>;
    key(choice: BackendChoice, config: Config): string;
    /** On a GPU backend, why its device was lost once it is (backend.ts's deviceLoss); null elsewhere. */
    deviceLoss?(): Promise<string> | null;
  };
  /** The MNIST file's bytes (fetched once by the caller's cache). */
  loadMnist(): Promise<ArrayBuffer>;
  /** A measuring worker on the second core, or null (then snapshots are measured here). */
  measuring: Measuring | null;
  /** Let queued messages through (a macrotask). */
  yieldToEvents(): Promise<void>;
}

/** Model, data, seed, schedule and the comparison define a run; the run-adjustable fields can change while it goes on. */
const runKey = (c: Config, compare: Partial<Config> | null) =>
  JSON.stringify([FIELD_NAMES.filter((f) => !isRunAdjustable(f)).map((f) => c[f]), compare]);

export class TrainingSession {
  private backend: BackendInfo | null = null;
  private backendChoice: BackendChoice | null = null;
  /** The choice and, where it is measured, the run's shape it was measured for (see choiceKey). */
  private backendKey: string | null = null;
  /** The run and its comparison, if any (the same TrainingRun the CLI and the sweeps drive). */
  private run: TrainingRun | null = null;
  private dataCache: { key: string; data: Dataset } | null = null;
  private status: RunStatus = 'idle';
  /** The page's id of the current run (see protocol.ts): set when a command builds a run. */
  private runId = 0;
  /** The running training loop, awaited before its Trainer is replaced. */
  private looping: Promise<void> | null = null;
  /** The one loop (RunLoop) driving the current run: its chunk timing, last measured step and Step budget. */
  private loop: RunLoop | null = null;
  private snapshotCost = new SnapshotCost();
  private lastProgressPost = 0;
  private lastCheckpoint = 0;
  private readonly stepRate = new StepRate();
  /** The snapshot being measured by the measuring worker, if any: at most one at a time. */
  private inFlight: Promise<void> | null = null;
  /** Set by the page when it is cross-origin isolated: training waits while the page draws. */
  private drawing: DrawingSignal | null = null;
  /** Commands received so far, and the number of the latest Pause: a Pause overrides a Play sent before it, even one still loading. */
  private received = 0;
  private pausedAt = 0;
  /** On WebGPU: settles with the reason if the backend's device is lost. */
  private deviceLoss: Promise<string> | null = null;
  /** Serialises commands: each runs after the previous one finished. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SessionDeps) {}

  /** A message from the page: acted on if it is a valid command (checkCommand.ts), otherwise refused with the reason. */
  receive(message: unknown): void {
    const checked = checkCommand(message);
    const refusal = 'refused' in checked ? checked.refused
      : checked.command.type === 'update' && this.run ? updateProblems(this.run.main.config, checked.command.changes).join('; ') : '';
    if (refusal || 'refused' in checked) {
      console.warn(`training worker: refused ${refusal}`);
      this.deps.post({ type: 'refused', reason: refusal });
      return;
    }
    const cmd = checked.command;
    if (cmd.type === 'drawing-signal') { void this.handle(cmd); return; }
    const seq = ++this.received;
    if (cmd.type === 'pause') this.pausedAt = seq;
    // 'pause' and 'update' act at once, so they reach a running loop before its next chunk; they are
    // queued as well, so that a start or reset still waiting in the queue (with the settings of the
    // moment it was sent) cannot undo them. Both are idempotent, so acting twice is harmless.
    if (cmd.type === 'pause' || cmd.type === 'update') void this.handle(cmd);
    this.queue = this.queue.then(() => this.handle(cmd, seq));
  }

  /** `id`: the run the failure is about (a command's, when building its run failed). */
  fail(phase: 'backend' | 'data' | 'training', err: unknown, id = this.runId): void {
    if (this.loop) this.loop.budget = null;
    this.runId = id;
    this.setStatus('failed');
    this.deps.post({ type: 'error', runId: id, phase, message: err instanceof Error ? err.message : String(err) });
  }

  /** Steps/s for the page: wall-clock, once a second has passed; until then the training time per step. */
  private shownRate(step: number): number {
    const msPerStep = this.loop?.msPerStep ?? 0;
    return this.stepRate.update(step, performance.now(), msPerStep > 0 ? 1000 / msPerStep : 0);
  }

  private setStatus(next: RunStatus, reset = false) {
    this.status = next;
    this.deps.post({ type: 'status', runId: this.runId, status: next, step: this.trainer?.step ?? 0, reset });
  }

  private get trainer(): Trainer | null {
    return this.run?.main ?? null;
  }

  private disposeRuns() {
    this.run?.dispose();
    this.run = null;
    this.loop = null;
  }

  /** Stop the loop and wait until it has let go of the trainer (and its last snapshot is measured). */
  private async stopLoop() {
    if (this.status === 'running') this.status = 'paused';
    await this.looping;
    await this.inFlight;
  }

  private async ensureBackend(choice: BackendChoice, config: Config, cache: BackendCache | undefined) {
    const key = this.deps.backends.key(choice, config);
    if (this.backend && this.backendKey === key) return;
    await this.stopLoop();
    this.disposeRuns();
    // The automatic choice times short bursts of this run's model on its data.
    const backend = await this.deps.backends.start(choice, { config, data: () => this.loadData(config), cache });
    this.backend = backend;
    this.backendChoice = choice;
    this.backendKey = key;
    this.deps.post({ type: 'backend', backend });
    // (tfjs keeps its WebGPU backend registered under the SIMD engine, which needs none: only a run on WebGPU watches its device.)
    this.deviceLoss = backend.name === 'webgpu' ? this.deps.backends.deviceLoss?.() ?? null : null;
    void this.deviceLoss?.then((reason) => { if (this.backend === backend) this.deviceLost(reason); });
  }

  /**
   * The GPU device is gone, and the run's tensors with it: nothing of the run can be read back.
   * The backend is dropped (the next command starts one afresh) and the page is told, so it can go
   * on from the last checkpoint it holds on another backend.
   */
  private deviceLost(reason: string) {
    if (this.loop) this.loop.budget = null;
    try { this.disposeRuns(); } catch { /* its tensors are already gone */ }
    // A read from the lost device may never settle: the loop and the measurement waiting on one are
    // abandoned, not awaited, so the page's next command is not stuck behind them.
    this.looping = null;
    this.inFlight = null;
    this.backend = null;
    this.backendKey = null;
    // Said by the error alone, not a 'failed' status: the page goes on at once, still playing if it was.
    this.status = 'failed';
    this.deps.post({ type: 'error', runId: this.runId, phase: 'device-lost', message: reason });
  }

  private async loadData(c: Config): Promise<Dataset> {
    const key = `${c.dataset}:${c.seed}`;
    if (this.dataCache?.key !== key) this.dataCache = { key, data: await datasetFor(c.dataset, c.seed, () => this.deps.loadMnist()) };
    return this.dataCache.data;
  }

  /** Make sure a run for `config` exists; rebuild it when a defining setting changed. */
  private async ensureRun(id: number, config: Config, choice: BackendChoice | undefined, forceReset: boolean, compare: Partial<Config> | null, cache?: BackendCache, checkpoint?: RunCheckpoint) {
    const wanted = choice ?? this.backendChoice ?? 'auto';
    if (this.run && !forceReset && wanted === this.backendChoice && runKey(this.run.main.config, this.run.compare) === runKey(config, compare && Object.keys(compare).length ? compare : null)) {
      this.run.adjust(config);
      return;
    }
    await this.stopLoop();
    this.disposeRuns();
    // While the backend starts and the data loads (seconds on a first visit), the page says so.
    this.runId = id;
    this.setStatus('loading');
    await this.ensureBackend(wanted, config, cache); // only for a new run: a live batch-size change keeps its backend
    const data = await this.loadData(config);
    const engine = engineOf(this.backend!.name);
    let restoreError: unknown = null;
    if (checkpoint) {
      try {
        if (runKey(checkpoint.main.config, compare) !== runKey(config, compare)) throw new Error('the stored run is of another network, data set or seed than its settings say');
        this.run = TrainingRun.restore(checkpoint, data, engine, compare);
      } catch (err) {
        restoreError = err;
      }
    }
    this.run ??= TrainingRun.build(config, data, engine, compare);
    this.runId = id;
    this.stepRate.restart(this.run.step, performance.now()); // a new run's first snapshot has no speed yet
    // A new model is timed afresh (its first chunk is one step, not one sized for the last model).
    const restored = this.run.step > 0;
    this.loop = new RunLoop(this.run, this.policyFor(this.run), restored ? this.run.step : -1);
    this.snapshotCost = new SnapshotCost(); // and pays its own warm-up
    this.lastCheckpoint = -Infinity; // the first chunk's end is checkpointed: a run is never lost whole
    if (restored) {
      this.setStatus('paused'); // the page shows the stored history: nothing to measure
      return;
    }
    this.setStatus('paused', true);
    if (restoreError) {
      this.deps.post({ type: 'error', runId: id, phase: 'restore', message: restoreError instanceof Error ? restoreError.message : String(restoreError) });
    }
    await this.measureAndPost(true); // step 0: the spectrum of the initialisation
  }

  /** Send the page the run's state now (see checkpoint.ts); never while a step is half done. */
  private async postCheckpoint(run: TrainingRun, id: number): Promise<void> {
    this.lastCheckpoint = performance.now();
    if (run.step === 0) return; // a fresh run is its settings
    const checkpoint = await run.checkpoint();
    this.deps.post({ type: 'checkpoint', runId: id, checkpoint }, checkpointBuffers(checkpoint));
  }

  /**
   * Snapshot the run (and its comparison). The training thread only captures: with a
   * measuring worker, the tensors go there and training goes on at once (the snapshot is
   * posted when it comes back; `wait` waits for it); without one, it is measured here.
   * False when the run diverged.
   */
  private async measureAndPost(wait = false): Promise<boolean> {
    if (!this.run) return false;
    const [run, id] = [this.run, this.runId];
    const [t, p] = [run.main, run.comparison];
    const measuring = this.deps.measuring;
    const remote = measuring?.usable ?? false;
    const stepsPerSecond = this.shownRate(t.step);
    const captured = await run.capture(remote);
    if (isDivergence(captured)) {
      if (this.loop) this.loop.budget = null;
      this.setStatus('diverged');
      this.deps.post({ type: 'diverged', runId: id, divergence: captured });
      return false;
    }
    if (this.loop) this.loop.lastMeasured = t.step;
    const measureOne = (run: 'main' | 'comparison', owner: Trainer, c: SnapshotCapture) =>
      remote ? measuring!.measure(run, owner.config, c) : owner.measure(c);
    const measured = Promise.all([measureOne('main', t, captured.main), p && captured.comparison ? measureOne('comparison', p, captured.comparison) : undefined])
      .then(([s, c]) => {
        this.snapshotCost.record(s.measureMs + (c?.measureMs ?? 0));
        this.deps.post({ type: 'snapshot', runId: id, snapshot: s, comparison: c, stepsPerSecond, measuredEvery: this.currentInterval() });
      });
    if (!remote) {
      await measured; // a failure here stops the run, as any training error does
      return true;
    }
    // Elsewhere, a failed measurement costs one snapshot (the client falls back to measuring here).
    const landing: Promise<void> = measured
      .catch((err) => console.warn(`the snapshot at step ${captured.main.step} was not measured: ${err instanceof Error ? err.message : err}`))
      .finally(() => { if (this.inFlight === landing) this.inFlight = null; });
    this.inFlight = landing;
    if (wait) await landing;
    return true;
  }

  /**
   * Steps between snapshots: measuring in place may cost the training thread ~10% of its time;
   * a measuring worker may keep the second core 15% busy (the page's main thread needs the rest),
   * or 10% when the engine's helper thread trains on that core too (measuringBudget); a short
   * run asks for MIN_SNAPSHOTS_PER_RUN snapshots whatever they cost.
   */
  private currentInterval(): number {
    if (!this.trainer) return 1;
    const budget = measuringBudget({ measuringWorker: this.deps.measuring?.usable ?? false, helperThread: this.trainer.engine.usesHelperThread?.() ?? false });
    return snapshotInterval(this.trainer.config.snapshotEvery, this.loop?.msPerStep ?? 0, this.snapshotCost.ms, budget, this.trainer.config.steps);
  }

  private startLoop() {
    if (this.looping) return; // a start that arrives while the previous loop is winding down restarts it afterwards
    const looping: Promise<void> = this.runLoop().finally(() => {
      if (this.looping !== looping) return; // abandoned (its device was lost): nothing of it is current
      this.looping = null;
      if (this.status === 'running') this.startLoop();
    });
    this.looping = looping;
  }

  private async runLoop() {
    const loop = this.loop;
    if (!loop) return;
    this.stepRate.restart(loop.run.step, performance.now());
    const id = this.runId;
    try {
      const end = await loop.go();
      // Where the run stopped (not a diverged run: its weights are no use), for the page to keep.
      if (end !== 'diverged' && this.run === loop.run) await this.postCheckpoint(loop.run, id);
      if (end === 'finished') this.setStatus('finished');
      else if (end === 'budget-spent') this.setStatus('paused');
      // 'diverged': measureAndPost said so; 'stopped': a command changed the status.
    } catch (err) {
      if (this.loop !== loop) return;
      // On WebGPU a failed read is often the first sign of a lost device: that is said as such
      // (deviceLost; the page goes on elsewhere), not as a training error.
      if (this.deviceLoss && (await within(this.deviceLoss, DEVICE_LOSS_GRACE_MS))) return;
      this.fail('training', err);
    }
  }

  /** How this session drives the one loop (RunLoop): chunks of ~30 ms, measurements spaced by a budget, progress and yields between chunks. */
  private policyFor(run: TrainingRun): LoopPolicy {
    const onGpu = () => this.backend?.name === 'webgpu' || this.backend?.name === 'webgl';
    return {
      interval: () => this.currentInterval(),
      // Until a step has been timed, train one at a time: on a slow backend a blind chunk could take seconds.
      chunkCap: (msPerStep) => (msPerStep > 0 ? Math.ceil(CHUNK_MS / msPerStep) : 1),
      train: async (steps) => {
        const msPerStep = this.loop?.msPerStep ?? 0;
        const perSlice = onGpu() || msPerStep <= 0 ? Infinity : Math.ceil(SLICE_MS / msPerStep);
        this.drawing?.waitWhileDrawing();
        let waited = 0;
        for (let done = 0; done < steps;) {
          const slice = Math.min(steps - done, perSlice);
          run.train(slice);
          done += slice;
          if (done < steps) waited += this.drawing?.waitWhileDrawing() ?? 0;
        }
        if (onGpu()) await run.main.sync(); // keep the GPU queue short
        return waited;
      },
      measure: (last) => this.measureAndPost(last),
      inFlight: () => this.inFlight,
      going: () => this.status === 'running' && this.run === run,
      afterChunk: async () => {
        if (performance.now() - this.lastProgressPost > 100) {
          this.lastProgressPost = performance.now();
          this.deps.post({ type: 'progress', runId: this.runId, step: run.step, epoch: run.main.epoch, stepsPerSecond: this.shownRate(run.step) });
        }
        if (performance.now() - this.lastCheckpoint > CHECKPOINT_MS || (this.loop?.msPerStep ?? 0) >= LONG_STEP_MS) await this.postCheckpoint(run, this.runId);
        await this.deps.yieldToEvents();
      },
    };
  }

  private async handle(cmd: Command, seq = 0) {
    switch (cmd.type) {
      case 'start':
      case 'step': {
        try {
          // A diverged network has NaN weights: Play after a divergence starts a fresh run (with whatever the sliders now say).
          await this.ensureRun(cmd.runId, cmd.config, cmd.backend, this.status === 'diverged', cmd.compare ?? null, cmd.backendCache);
        } catch (err) {
          return this.fail(this.backend ? 'data' : 'backend', err, cmd.runId);
        }
        // Paused while the run was being built (the data file loading): it stays paused.
        if (this.pausedAt > seq) return this.setStatus('paused');
        const t = this.trainer;
        if (!t || t.step >= t.config.steps) return this.setStatus('finished');
        this.loop!.budget = cmd.type === 'step' ? Math.max(1, this.currentInterval() - (t.step - this.loop!.lastMeasured)) : null;
        this.setStatus('running');
        this.startLoop();
        return;
      }
      case 'resume':
        if (this.loop) this.loop.budget = null;
        try {
          await this.ensureRun(cmd.runId, cmd.config, cmd.backend, true, cmd.compare ?? null, cmd.backendCache, cmd.checkpoint);
        } catch (err) {
          return this.fail(this.backend ? 'data' : 'backend', err, cmd.runId);
        }
        return;
      case 'pause':
        if (this.loop) this.loop.budget = null;
        if (this.status === 'running') this.setStatus('paused');
        return;
      case 'reset':
        if (this.loop) this.loop.budget = null;
        try {
          await this.ensureRun(cmd.runId, cmd.config, cmd.backend, true, cmd.compare ?? null, cmd.backendCache);
        } catch (err) {
          return this.fail(this.backend ? 'data' : 'backend', err, cmd.runId);
        }
        return;
      case 'update':
        this.run?.adjust(cmd.changes);
        return;
      case 'drawing-signal':
        this.drawing = new DrawingSignal(cmd.buffer);
        this.deps.measuring?.shareDrawingSignal(cmd.buffer);
        return;
    }
  }
}
