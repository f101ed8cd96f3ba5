/// <reference lib="webworker" />
// The training worker: owns the tfjs backend and every tensor. It trains in short
// chunks and yields to its event loop between them, so commands (pause, new
// hyperparameters) take effect on the next step; it posts snapshots without ever
// waiting for the page.

import { FIELD_NAMES, isRunAdjustable, type Config } from '../core/config/fields';
import { datasetFor } from '../core/data/forConfig';
import { fetchMnist, MNIST_BIN_PATH } from '../core/data/fetchMnist';
import type { Dataset } from '../core/data/dataset';
import { MEASURE_BUDGET, MEASURING_WORKER_BUDGET, SnapshotCost, snapshotInterval } from '../core/train/measureBudget';
import { isDivergence, Trainer } from '../core/train/trainer';
import { captureBoth, Lockstep } from '../core/train/lockstep';
import type { SnapshotCapture } from '../core/train/measurer';
import { MeasuringClient } from './measuringClient';
import { DrawingSignal } from './drawingSignal';
import { StepRate } from './stepRate';
import { parseConfig } from '../core/config/parse';
import { engineOf } from '../core/engine/engine';
import { choiceKey, startBackend } from './backend';
import type { BackendCache, BackendChoice, BackendInfo, Command, RunStatus, WorkerEvent } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent) => scope.postMessage(event);

/** Aim for chunks of ~30 ms so a command never waits long for the loop to notice it. */
const CHUNK_MS = 30;
/**
 * On the CPU engines a chunk is trained in slices of ~10 ms, with a look at the page's drawing
 * signal between them, so training stands aside soon after the page starts drawing. (Yielding
 * to the event loop every 10 ms instead cost the default model ~12% of its speed in the page.)
 */
const SLICE_MS = 10;

let backend: BackendInfo | null = null;
let backendChoice: BackendChoice | null = null;
/** The choice and, where it is measured, the run's shape it was measured for (see choiceKey). */
let backendKey: string | null = null;
let trainer: Trainer | null = null;
/** The lockstep comparison run and what it overrides (null without a comparison). */
let partner: Trainer | null = null;
let compareOverrides: Partial<Config> | null = null;
let lockstep: Lockstep | null = null;
let dataCache: { key: string; data: Dataset } | null = null;
let status: RunStatus = 'idle';
/** Steps to go before pausing on its own (Step command); null = run to the end. */
let stepBudget: number | null = null;
/** The running training loop, awaited before its Trainer is replaced. */
let looping: Promise<void> | null = null;
let msPerStep = 0;
let snapshotCost = new SnapshotCost();
let lastSnapshotStep = -1;
let lastProgressPost = 0;
const stepRate = new StepRate();
/** Steps/s for the page: wall-clock, once a second has passed; until then the training time per step. */
const shownRate = (step: number) => stepRate.update(step, performance.now(), msPerStep > 0 ? 1000 / msPerStep : 0);
/** Measures captured runs on the second core; null on one core (then snapshots are measured here). */
const measuring = (globalThis.navigator?.hardwareConcurrency ?? 1) > 1 ? startMeasuring() : null;
/** The snapshot being measured there, if any: at most one at a time. */
let inFlight: Promise<void> | null = null;
/** Set by the page when it is cross-origin isolated: training waits while the page draws. */
let drawing: DrawingSignal | null = null;

function startMeasuring(): MeasuringClient | null {
  try {
    return new MeasuringClient();
  } catch (err) {
    console.warn(`no measuring worker, measuring on the training thread: ${err instanceof Error ? err.message : err}`);
    return null;
  }
}

/** Serialises commands: each runs after the previous one finished. */
let queue: Promise<void> = Promise.resolve();

// A macrotask yield that is not clamped like nested setTimeout(0).
const channel = new MessageChannel();
const pending: (() => void)[] = [];
channel.port1.onmessage = () => pending.shift()?.();
const yieldToEvents = () => new Promise<void>((resolve) => { pending.push(resolve); channel.port2.postMessage(0); });

function setStatus(next: RunStatus, reset = false) {
  status = next;
  post({ type: 'status', status: next, step: trainer?.step ?? 0, reset });
}

/** Model, data, seed, schedule and the comparison define a run; the run-adjustable fields can change while it goes on. */
const runKey = (c: Config, compare: Partial<Config> | null) =>
  JSON.stringify([FIELD_NAMES.filter((f) => !isRunAdjustable(f)).map((f) => c[f]), compare]);

/** The comparison's own settings: the main run's, except what the comparison overrides. */
const partnerChanges = (changes: Partial<Config>): Partial<Config> => ({ ...changes, ...(compareOverrides ?? {}) });

function disposeRuns() {
  trainer?.dispose();
  partner?.dispose();
  trainer = partner = lockstep = null;
}

/** Stop the loop and wait until it has let go of the trainer (and its last snapshot is measured). */
async function stopLoop() {
  if (status === 'running') status = 'paused';
  await looping;
  await inFlight;
}

async function ensureBackend(choice: BackendChoice, config: Config, cache: BackendCache | undefined) {
  const key = choiceKey(choice, config);
  if (backend && backendKey === key) return;
  await stopLoop();
  disposeRuns();
  // The automatic choice times short bursts of this run's model on its data.
  backend = await startBackend(choice, { config, data: () => loadData(config), cache });
  backendChoice = choice;
  backendKey = key;
  post({ type: 'backend', backend });
}

async function loadData(c: Config): Promise<Dataset> {
  const key = `${c.dataset}:${c.seed}`;
  if (dataCache?.key !== key) {
    const url = new URL(`${import.meta.env.BASE_URL}${MNIST_BIN_PATH}`, scope.location.origin);
    dataCache = { key, data: await datasetFor(c.dataset, c.seed, () => fetchMnist(url)) };
  }
  return dataCache.data;
}

/** Make sure a run for `config` exists; rebuild it when a defining setting changed. */
async function ensureRun(config: Config, choice: BackendChoice | undefined, forceReset: boolean, compare: Partial<Config> | null, cache?: BackendCache) {
  const wanted = choice ?? backendChoice ?? 'auto';
  if (trainer && !forceReset && wanted === backendChoice && runKey(trainer.config, compareOverrides) === runKey(config, compare)) {
    trainer.adjust(config);
    partner?.adjust(partnerChanges(config));
    return;
  }
  await stopLoop();
  disposeRuns();
  await ensureBackend(wanted, config, cache); // only for a new run: a live batch-size change keeps its backend
  const data = await loadData(config);
  const engine = engineOf(backend!.name);
  trainer = new Trainer(config, data, engine);
  compareOverrides = compare && Object.keys(compare).length ? compare : null;
  if (compareOverrides) {
    partner = new Trainer(parseConfig({ ...config, ...compareOverrides }).config, data, engine);
    lockstep = new Lockstep(trainer, partner);
  }
  lastSnapshotStep = -1;
  msPerStep = 0; // a new model is timed afresh (its first chunk is one step, not one sized for the last model)
  snapshotCost = new SnapshotCost(); // and pays its own warm-up
  setStatus('paused', true);
  await measureAndPost(true); // step 0: the spectrum of the initialisation
}

/**
 * Snapshot the run (and its comparison). The training thread only captures: with a
 * measuring worker, the tensors go there and training goes on at once (the snapshot is
 * posted when it comes back; `wait` waits for it); without one, it is measured here.
 * False when the run diverged.
 */
async function measureAndPost(wait = false): Promise<boolean> {
  if (!trainer) return false;
  const [t, p] = [trainer, partner];
  const remote = measuring?.usable ?? false;
  const stepsPerSecond = shownRate(t.step);
  const captured = await captureBoth(t, p, remote);
  if (isDivergence(captured)) {
    stepBudget = null;
    setStatus('diverged');
    post({ type: 'diverged', divergence: captured });
    return false;
  }
  lastSnapshotStep = t.step;
  const measureOne = (run: 'main' | 'comparison', owner: Trainer, c: SnapshotCapture) =>
    remote ? measuring!.measure(run, owner.config, c) : owner.measure(c);
  const measured = Promise.all([measureOne('main', t, captured.main), p && captured.comparison ? measureOne('comparison', p, captured.comparison) : undefined])
    .then(([s, c]) => {
      snapshotCost.record(s.measureMs + (c?.measureMs ?? 0));
      post({ type: 'snapshot', snapshot: s, comparison: c, stepsPerSecond, snapshotEvery: currentInterval() });
    });
  if (!remote) {
    await measured; // a failure here stops the run, as any training error does
    return true;
  }
  // Elsewhere, a failed measurement costs one snapshot (the client falls back to measuring here).
  const landing: Promise<void> = measured
    .catch((err) => console.warn(`the snapshot at step ${captured.main.step} was not measured: ${err instanceof Error ? err.message : err}`))
    .finally(() => { if (inFlight === landing) inFlight = null; });
  inFlight = landing;
  if (wait) await landing;
  return true;
}

/**
 * Steps between snapshots: measuring in place may cost the training thread ~10% of its time;
 * a measuring worker may keep the second core 30% busy (the page's main thread needs the rest).
 */
const currentInterval = () => (trainer
  ? snapshotInterval(trainer.config.snapshotEvery, msPerStep, snapshotCost.ms, measuring?.usable ? MEASURING_WORKER_BUDGET : MEASURE_BUDGET)
  : 1);

function loop() {
  // A start that arrives while the previous loop is winding down restarts it afterwards.
  looping ??= runLoop().finally(() => {
    looping = null;
    if (status === 'running') loop();
  });
}

async function runLoop() {
  if (trainer) stepRate.restart(trainer.step, performance.now());
  try {
    while (status === 'running' && trainer) {
      const t = trainer;
      // While a snapshot is being measured on the other core, training goes on in full chunks.
      const untilSnapshot = inFlight ? Infinity : lastSnapshotStep + currentInterval() - t.step;
      const untilEnd = t.config.steps - t.step;
      if (untilEnd <= 0) { // steps was lowered below the current step while running
        await inFlight;
        if (lastSnapshotStep < t.step && !(await measureAndPost(true))) break;
        setStatus('finished');
        break;
      }
      // Until a step has been timed, train one at a time: on a slow backend a blind chunk could take seconds.
      const onGpu = backend?.name === 'webgpu' || backend?.name === 'webgl';
      const perChunk = msPerStep > 0 ? Math.ceil(CHUNK_MS / msPerStep) : 1;
      const perSlice = onGpu || msPerStep <= 0 ? Infinity : Math.ceil(SLICE_MS / msPerStep);
      const chunk = Math.max(1, Math.min(untilSnapshot, untilEnd, stepBudget ?? Infinity, perChunk));
      drawing?.waitWhileDrawing();
      let waited = 0;
      const started = performance.now();
      for (let done = 0; done < chunk;) {
        const slice = Math.min(chunk - done, perSlice);
        if (lockstep) lockstep.train(slice);
        else t.train(slice);
        done += slice;
        if (done < chunk) waited += drawing?.waitWhileDrawing() ?? 0;
      }
      if (onGpu) await t.sync(); // keep the GPU queue short
      const elapsed = performance.now() - started - waited;
      msPerStep = msPerStep ? 0.8 * msPerStep + 0.2 * (elapsed / chunk) : elapsed / chunk;
      if (stepBudget !== null) stepBudget -= chunk;
      if (performance.now() - lastProgressPost > 100) {
        lastProgressPost = performance.now();
        post({ type: 'progress', step: t.step, epoch: t.epoch, stepsPerSecond: shownRate(t.step) });
      }
      const finished = t.step >= t.config.steps;
      if (finished || stepBudget === 0) {
        await inFlight; // the last snapshot of a run or a Step lands after the ones before it
        if (!(await measureAndPost(true))) break;
      } else if (t.step - lastSnapshotStep >= currentInterval() && !inFlight) {
        if (!(await measureAndPost())) break;
      }
      if (finished) setStatus('finished');
      else if (stepBudget === 0) { stepBudget = null; setStatus('paused'); }
      await yieldToEvents();
    }
  } catch (err) {
    fail('training', err);
  }
}

function fail(phase: 'backend' | 'data' | 'training', err: unknown) {
  stepBudget = null;
  setStatus('failed');
  post({ type: 'error', phase, message: err instanceof Error ? err.message : String(err) });
}

async function handle(cmd: Command) {
  switch (cmd.type) {
    case 'start':
    case 'step': {
      try {
        // A diverged network has NaN weights: Play after a divergence starts a fresh run (with whatever the sliders now say).
        await ensureRun(cmd.config, cmd.backend, status === 'diverged', cmd.compare ?? null, cmd.backendCache);
      } catch (err) {
        return fail(backend ? 'data' : 'backend', err);
      }
      if (!trainer || trainer.step >= trainer.config.steps) return setStatus('finished');
      stepBudget = cmd.type === 'step' ? Math.max(1, currentInterval() - (trainer.step - lastSnapshotStep)) : null;
      setStatus('running');
      loop();
      return;
    }
    case 'pause':
      stepBudget = null;
      if (status === 'running') setStatus('paused');
      return;
    case 'reset':
      stepBudget = null;
      try {
        await ensureRun(cmd.config, cmd.backend, true, cmd.compare ?? null, cmd.backendCache);
      } catch (err) {
        return fail(backend ? 'data' : 'backend', err);
      }
      return;
    case 'update':
      trainer?.adjust(cmd.changes);
      partner?.adjust(partnerChanges(cmd.changes));
      return;
    case 'crash':
      setTimeout(() => { throw new Error('crash requested'); });
      return;
    case 'drawing-signal':
      drawing = new DrawingSignal(cmd.buffer);
      measuring?.shareDrawingSignal(cmd.buffer);
      return;
  }
}

scope.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  if (cmd.type === 'crash' || cmd.type === 'drawing-signal') { void handle(cmd); return; }
  // 'pause' and 'update' act at once, so they reach a running loop before its next chunk; they are
  // queued as well, so that a start or reset still waiting in the queue (with the settings of the
  // moment it was sent) cannot undo them. Both are idempotent, so acting twice is harmless.
  if (cmd.type === 'pause' || cmd.type === 'update') void handle(cmd);
  queue = queue.then(() => handle(cmd));
};

scope.addEventListener('unhandledrejection', (e) => fail('training', (e as PromiseRejectionEvent).reason));
