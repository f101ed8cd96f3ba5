// Connects the store to the training worker: user actions become protocol
// commands, worker events become state. Also keeps the URL in step with the
// controls and brings the worker back if it dies.

import { FIELD_NAMES, isRunAdjustable, type Config, type RunAdjustments } from '../core/config/fields';
import { defaultConfig, parseConfig } from '../core/config/parse';
import { createTrainingWorker, type TrainingWorker, type TrainingWorkerFactory } from '../worker/client';
import { drawingSignalBuffer } from './drawing';
import { readBackendCache, rememberMeasurement } from '../worker/backendCache';
import type { BackendChoice, WorkerEvent } from '../worker/protocol';
import type { Snapshot } from '../core/train/snapshot';
import { lab, type LabState } from './store';
import { writeLink as writeLinkOf } from './url';
import type { LinkContent, TimeAxis } from '../core/config/link';
import type { SweepLink } from '../core/sweep/link';
import { findPreset, presetConfig } from '../core/config/presets';
import { runFile, type RunFile } from '../core/export/runFile';
import type { RunCheckpoint } from '../core/train/checkpoint';
import { adoptRun, findResumable, forgetRun, keepCheckpoint, recordChanged, reportUnreadable, runIdentity, runStore, saveNow } from './runKeeping';
import type { SavedRun } from './savedRuns';
import { estimateFor, slowRunWarning, timeRates } from './slowRun';

let worker: TrainingWorker | null = null;
let createWorker: TrainingWorkerFactory = createTrainingWorker;

/** What a link to the screen holds, from the store. */
export function currentLink(playing = lab.get().status === 'running'): LinkContent {
  const { config, backendChoice, compare, presetId, timeAxis, sweep, presenting } = lab.get();
  return { config, backendChoice, play: playing, compare, preset: presetId, timeAxis, sweep, present: presenting };
}

/** Rewrite the address bar from the store: always a link to exactly what is on screen. */
function writeLink(playing?: boolean) {
  writeLinkOf(currentLink(playing));
}

export function setTimeAxis(timeAxis: TimeAxis) {
  lab.set({ timeAxis });
  writeLink();
}

/** The current run as run.json holds it (the CLI's format, src/core/export/runFile.ts). */
export function currentRunFile(): RunFile {
  const { config, compare, backend, stepsPerSecond } = lab.get();
  const record = lab.recorded();
  return runFile({
    config, backend: backend?.name ?? 'unknown', stepsPerSecond, divergence: record.divergence, writtenBy: 'page',
    snapshots: [...record.main], compare, comparison: compare ? [...record.comparison] : undefined,
  });
}

/** Presentation mode on or off: the link follows, and the lab view opens with it. */
export function setPresenting(presenting: boolean) {
  lab.set({ presenting, ...(presenting ? { sweep: { ...lab.get().sweep, view: 'lab' as const } } : {}) });
  writeLink();
}

/** Open the lab or the sweeps, or change the sweep's definition: the link follows. */
export function setSweep(change: Partial<SweepLink>) {
  lab.set({ sweep: { ...lab.get().sweep, ...change } });
  writeLink();
}
/** Settings before the latest live change, for "back to the last good settings" after a divergence. */
let configBeforeChange: Config | null = null;
/**
 * The id of the run the page last asked for (each reset asks for a new one): events of any other
 * run, such as the old run's snapshots still in flight after a reset, are dropped.
 */
let runId = 0;
/** Play was pressed and neither Pause, Step, Reset nor the run's end has come since. */
let wantsToPlay = false;
/** The run's newest checkpoint from the worker: where a new worker goes on if this one dies. */
let lastCheckpoint: RunCheckpoint | null = null;
/** The settings on screen would build a run slow enough to ask first (slowRun.ts); nothing is built until the person says. */
let askingAboutSlowRun = false;
/** The slow run (runIdentity) the person said to train: built without asking again. */
let slowRunAgreed: string | null = null;
/** The settings of the run last built: what "Back" returns to from a slow run's question. */
let lastBuilt: Pick<LabState, 'config' | 'compare' | 'presetId'> | null = null;

/** One collapse notice for both runs; cleared when neither is collapsed, left alone when unchanged. */
function showCollapse(main: Snapshot, comparison?: Snapshot) {
  const said = [main.collapse, comparison?.collapse && `Comparison run: ${comparison.collapse}`].filter(Boolean).join(' ');
  const text = said && `${said} Lower the weight decay or the learning rate.`;
  const shown = lab.get().notices.find((n) => n.kind === 'collapse');
  if (!text) lab.clearNotices('collapse');
  else if (shown?.text !== text) lab.notify('collapse', text);
}

function handle(e: WorkerEvent) {
  if (e.type !== 'backend' && e.type !== 'refused' && e.runId !== runId) return;
  switch (e.type) {
    case 'backend':
      lab.set({ backend: e.backend });
      rememberMeasurement(e.backend); // a fresh speed measurement, kept for the next start on this device
      return;
    case 'status':
      if (e.reset) {
        // A fresh run (also when a stored one could not be restored): kept apart from any stored run.
        forgetRun();
        lastCheckpoint = null;
        lab.clearRun();
        // Warnings about the old run go with it.
        lab.clearNotices('collapse');
        lab.clearNotices('diverged');
        lab.set({ lastGoodConfig: null });
      }
      if (e.status === 'finished' || e.status === 'diverged' || e.status === 'failed') wantsToPlay = false;
      if (e.status === 'running' || e.reset) lab.clearNotices('error'); // recovered: "Training stopped" is no longer true
      lab.set({ status: e.status, step: Math.max(e.step, e.reset ? 0 : lab.get().step) });
      if (e.status !== 'running' && e.status !== 'loading') lab.showLatest();
      writeLink(e.status === 'running');
      recordChanged();
      return;
    case 'progress':
      lab.set({ step: e.step, epoch: e.epoch, stepsPerSecond: e.stepsPerSecond });
      return;
    case 'checkpoint':
      lastCheckpoint = e.checkpoint;
      keepCheckpoint(e.checkpoint);
      return;
    case 'snapshot':
      timeRates(lab.get().config, lab.get().compare, e.stepsPerSecond, e.snapshot);
      lab.addSnapshot(e.snapshot, e.stepsPerSecond, e.measuredEvery, e.comparison);
      showCollapse(e.snapshot, e.comparison);
      recordChanged();
      return;
    case 'diverged': {
      const current = lab.get().config;
      // If a live change preceded the divergence, go back to before it; if the run diverged with the
      // settings it started with, there were no good ones: offer the default hyperparameters on the same network.
      const d = defaultConfig();
      const lastGood = configBeforeChange ?? { ...current, learningRate: d.learningRate, weightDecay: d.weightDecay, batchSize: d.batchSize, momentum: d.momentum };
      lab.set({ lastGoodConfig: lastGood });
      lab.recordDivergence(e.divergence);
      lab.notify('diverged', `${e.divergence.reason} Lower the learning rate and start again.`);
      return;
    }
    case 'refused':
      // The page sends only valid commands: this is a fault of the page's own, said rather than hidden.
      lab.notify('error', `The training worker refused a command: ${e.reason}. The run goes on with the settings it had.`);
      return;
    case 'error':
      if (e.phase === 'device-lost') {
        // The GPU went away with the run's tensors: WebAssembly needs no device.
        lab.set({ backendChoice: 'simd', backend: null });
        goOnAfterFault(`The GPU device was lost (${e.message}).`, "RankLab's WebAssembly engine");
        return;
      }
      if (e.phase === 'restore') {
        lab.notify('restored', `The stored run could not be continued (${e.message}), so it starts again from step 0 with its settings.`);
        return;
      }
      lab.notify('error', e.phase === 'backend' ? `The ${lab.get().backendChoice} backend could not start: ${e.message}`
        : e.phase === 'data' ? e.message : `Training stopped (${e.phase}): ${e.message}`);
      return;
  }
}

/**
 * The worker's progress and snapshots reach the store at most this often. A fast run posts
 * dozens of them a second; applied one by one, each is a React commit on the main thread
 * (measured: ~30 commits/s kept the main thread ~45% busy with the charts idle). Applied in
 * one task, React batches them into a single commit. Every snapshot still lands in the history.
 */
const EVENT_BATCH_MS = 250;
let queued: WorkerEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let lastFlush = -Infinity;

function flushQueued() {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  lastFlush = performance.now();
  const batch = queued;
  queued = [];
  for (const e of batch) handle(e);
}

function receive(e: WorkerEvent) {
  failedStarts = 0; // a worker that speaks has started
  if (e.type === 'progress' || e.type === 'snapshot') {
    queued.push(e);
    const wait = EVENT_BATCH_MS - (performance.now() - lastFlush);
    if (wait <= 0) flushQueued();
    else flushTimer ??= setTimeout(flushQueued, wait);
    return;
  }
  flushQueued(); // in order: a status or an error comes after the snapshots before it
  handle(e);
}

/**
 * Workers that died in a row without a word: one whose script cannot load dies at once, and
 * starting the next one at once asked the server ~28 times a second. The first retry is at once,
 * then after 1, 2, 4 ... s (at most 30 s), and the page says it is waiting.
 */
let failedStarts = 0;
/** Counts worker starts, so a retry scheduled for an earlier worker does nothing (Playground's generation counter). */
let workerGeneration = 0;
export const retryDelayMs = (failures: number) => (failures <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 2)));

function startWorker() {
  worker?.terminate();
  queued = []; // a dead worker's last numbers do not belong to the new one's run
  const generation = ++workerGeneration;
  worker = createWorker(receive, (message) => {
    if (generation !== workerGeneration) return;
    const delay = retryDelayMs(++failedStarts);
    if (delay > 0) {
      worker?.terminate();
      worker = null;
      lab.notify('crash', `The training worker could not start (${message}). Trying again in ${Math.round(delay / 1000)} s.`);
      setTimeout(() => { if (generation === workerGeneration) recover(message); }, delay);
      return;
    }
    recover(message);
  });
  const drawing = drawingSignalBuffer();
  if (drawing) worker.send({ type: 'drawing-signal', buffer: drawing });
}

/**
 * Automatic recovery: a new worker goes on from the run's last checkpoint (its history kept),
 * or, before the first one, starts the run again.
 */
function recover(message: string) {
  startWorker();
  goOnAfterFault(`The training worker stopped (${message}).`, 'A new one');
}

/** After a fault that lost the run's state: on from its last checkpoint (its history kept), or, before the first one, afresh. */
function goOnAfterFault(what: string, who: string) {
  const wasRunning = wantsToPlay;
  const checkpoint = lastCheckpoint;
  if (checkpoint) {
    lab.notify('crash', `${what} ${who} goes on from step ${checkpoint.main.step}, the run's last checkpoint; the history up to there is kept.`);
    lab.truncateRecord(checkpoint.main.step);
    resumeFrom(checkpoint, wasRunning);
    return;
  }
  lab.notify('crash', `${what} ${who} starts the run again from step 0 with the same settings.`);
  reset();
  if (wasRunning) play();
}

/** `create`: the page's Worker; the tests pass one end of a MessageChannel instead. */
export async function initController(autoplay: boolean, create: TrainingWorkerFactory = createTrainingWorker) {
  createWorker = create;
  writeLink(autoplay); // the address bar shows the repaired link at once
  startWorker();
  // The run this page last showed with these settings (a reload, a closed tab) goes on where it was.
  if (typeof indexedDB !== 'undefined') {
    const { config, compare } = lab.get();
    // A store that does not answer (another tab blocking it) costs at most a few seconds, then a fresh run.
    const saved = await Promise.race([findResumable(config, compare).catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    if (saved && runIdentity(lab.get().config, lab.get().compare) === runIdentity(config, compare)) {
      openSavedRun(saved, autoplay, `Restored this run from ${new Date(saved.summary.savedAt).toLocaleString()} at step ${saved.checkpoint.main.step}. Reset (R) starts it afresh.`);
      return;
    }
  }
  reset();
  if (autoplay) play();
}

/** The worker goes on from `checkpoint` with the settings on screen (the history stays as it is). */
function resumeFrom(checkpoint: RunCheckpoint, playing: boolean) {
  runId++;
  configBeforeChange = null;
  const { config, backendChoice, compare } = lab.get();
  worker?.send({ type: 'resume', runId, config, backend: backendChoice, compare, backendCache: readBackendCache(), checkpoint });
  wantsToPlay = playing;
  if (playing) send('start');
  writeLink(playing);
}

/** A stored run on screen: its settings, its record, and the worker continuing it from its checkpoint. */
function openSavedRun(saved: SavedRun, playing: boolean, notice: string) {
  const { summary } = saved;
  lab.set({ config: summary.config, compare: summary.compare, presetId: summary.presetId, lastGoodConfig: null });
  if (summary.compare) lab.setReference(null);
  lab.clearNotices('collapse');
  lab.clearNotices('diverged');
  const upTo = saved.checkpoint.main.step; // a snapshot past the checkpoint is of steps the run trains again
  lab.loadRecord(saved.snapshots.filter((s) => s.step <= upTo), saved.comparison.filter((s) => s.step <= upTo), summary.divergence, upTo);
  adoptRun(saved);
  lastCheckpoint = saved.checkpoint;
  lab.notify('restored', notice);
  resumeFrom(saved.checkpoint, playing && saved.checkpoint.main.step < summary.config.steps);
}

/** Recent runs: continue a stored run here (paused where it was). */
export async function openStoredRun(id: string): Promise<void> {
  const store = await runStore();
  if (!store) return;
  await saveNow(); // the run on screen is kept before another replaces it
  try {
    const saved = await store.load(id);
    openSavedRun(saved, false, `Opened the run stored ${new Date(saved.summary.savedAt).toLocaleString()}, at step ${saved.checkpoint.main.step}.`);
  } catch (err) {
    await reportUnreadable(store, [{ id, reason: (err as Error).message }]);
  }
}

/** Recent runs: draw a stored run as the dashed comparison of the run on screen (which must have no comparison run of its own). */
export async function compareWithStoredRun(id: string): Promise<void> {
  const store = await runStore();
  if (!store || lab.get().compare) return;
  try {
    const saved = await store.load(id);
    lab.setReference({ id, config: saved.summary.config }, saved.snapshots);
  } catch (err) {
    await reportUnreadable(store, [{ id, reason: (err as Error).message }]);
  }
}

export function dropReference() {
  lab.setReference(null);
}

const send = (type: 'start' | 'step' | 'reset') => {
  const { config, backendChoice, compare } = lab.get();
  worker?.send({ type, runId, config, backend: backendChoice, compare, backendCache: readBackendCache() });
};

/** Play; on a finished run, the run again from step 0 (a demo replayed, as a media player does). */
export function play() {
  if (lab.get().status === 'finished') reset();
  wantsToPlay = true;
  if (askingAboutSlowRun) return void askAboutSlowRun(); // plays once the person says to train it
  send('start');
}
/**
 * Pause acts within a second even inside a step that takes longer (width 1024 x depth 12 at batch
 * size 512 takes 1.2 s a step here, and the worker hears Pause only between steps): for a run of
 * steps that long, if it is still going after PAUSE_GRACE_MS, its worker is replaced and the run
 * goes on from its last checkpoint (taken after every step that long), paused. The step in
 * progress is dropped; Play trains it again on the same batch. A run of shorter steps is left to
 * pause between them: on a busy machine its word can take longer than the grace to arrive, and
 * replacing its worker would cost far more than the wait.
 */
export const PAUSE_GRACE_MS = 300;
/** Runs slower than this (steps of half a second or more) are paused by replacing their worker. */
const LONG_STEPS_PER_SECOND = 2;
/** Counts Pause presses: a grace timer from an earlier press does nothing. */
let pauseGeneration = 0;

export function pause() {
  wantsToPlay = false;
  worker?.send({ type: 'pause' });
  const generation = ++pauseGeneration;
  const { status, stepsPerSecond, config, compare } = lab.get();
  // The speed on screen, or before the first measure of it, the estimate the slow-run question uses.
  if (status !== 'running' || (stepsPerSecond || estimateFor(config, compare).stepsPerSecond) >= LONG_STEPS_PER_SECOND) return;
  setTimeout(() => {
    if (generation !== pauseGeneration || wantsToPlay || lab.get().status !== 'running') return;
    const checkpoint = lastCheckpoint;
    startWorker();
    // Said at once; the record cut back (every chart redrawn) and the new worker told in the next task, after the screen shows it.
    lab.set({ status: 'paused' });
    lab.notify('info', checkpoint
      ? `Paused inside a long step, which was dropped: the run is at step ${checkpoint.main.step}, its last checkpoint, and Play trains on from there on the same batches.`
      : 'Paused inside the first step, which was dropped: the run is at step 0.');
    setTimeout(() => {
      if (!checkpoint) return reset(); // inside the run's first step: the run is its settings
      lab.truncateRecord(checkpoint.main.step);
      resumeFrom(checkpoint, false);
    }, 0);
  }, PAUSE_GRACE_MS);
}
export function stepOnce() {
  wantsToPlay = false;
  if (askingAboutSlowRun) return void askAboutSlowRun();
  send('step');
}
export function reset() {
  wantsToPlay = false;
  configBeforeChange = null;
  lastCheckpoint = null;
  forgetRun();
  runId++;
  lab.clearRun();
  if (askAboutSlowRun()) return;
  const { config, compare, presetId } = lab.get();
  lastBuilt = { config, compare, presetId };
  send('reset');
}

/**
 * True when the settings on screen would build a run slow enough here to ask first: the question
 * is on screen, the old run is paused, and nothing is built until trainSlowRun or backFromSlowRun.
 */
function askAboutSlowRun(): boolean {
  const { config, compare } = lab.get();
  const estimate = estimateFor(config, compare);
  askingAboutSlowRun = estimate.slow && slowRunAgreed !== runIdentity(config, compare);
  if (!askingAboutSlowRun) {
    lab.clearNotices('slow');
    return false;
  }
  worker?.send({ type: 'pause' });
  lab.set({ status: 'idle', step: 0 });
  lab.clearNotices('reset'); // "training restarted" is not yet true
  lab.notify('slow', slowRunWarning(config, compare, estimate));
  return true;
}

/** The person read the estimate and wants the slow run: built now, and played if Play was pressed meanwhile. */
export function trainSlowRun() {
  const { config, compare } = lab.get();
  slowRunAgreed = runIdentity(config, compare);
  const playing = wantsToPlay;
  reset();
  if (playing) play();
}

/** What backFromSlowRun goes back to, in words for its button. */
export const backFromSlowRunLabel = () => (lastBuilt ? 'Back to the network before' : 'Use the default network');

/** The person would rather not: the settings of the run before (the defaults on a page opened with the slow one). */
export function backFromSlowRun() {
  lab.set(lastBuilt ?? { config: defaultConfig(), compare: null, presetId: null });
  reset();
  writeLink(false);
}

/** A fresh run with the store's settings (after `change`), still playing if it was; the link follows. */
function restart(change: () => void) {
  // What the person asked for, not the status on screen: a second change right after a first one
  // comes while the worker still reports the first restart's paused step 0.
  const wasRunning = wantsToPlay;
  change();
  reset();
  if (wasRunning) play();
  writeLink(wasRunning);
}

/**
 * Apply new control values. Run-adjustable ones (mu, lambda, B, momentum, eps,
 * steps, snapshot interval) go to the running training; anything else starts a
 * new run, and the page says so.
 */
export function applyConfig(next: Partial<Config>) {
  const { config: previous } = lab.get();
  const { config, problems } = parseConfig({ ...previous, ...next });
  lab.set({ config });
  if (problems.length) lab.notify('info', problems.map((p) => p.message).join('; '));
  const changed = FIELD_NAMES.filter((f) => JSON.stringify(config[f]) !== JSON.stringify(previous[f]));
  if (!changed.length) return;
  const resetting = changed.filter((f) => !isRunAdjustable(f));
  if (resetting.length) {
    lab.notify('reset', `Changed ${resetting.join(', ')}: that is a different network or data, so training restarted from step 0.`);
    restart(() => lab.set({ presetId: null }));
    return;
  }
  configBeforeChange = previous;
  if (changed.includes('eps')) lab.recountRanks();
  const changes: Partial<RunAdjustments> = {};
  for (const f of changed) if (isRunAdjustable(f)) (changes as Record<string, unknown>)[f] = config[f];
  worker?.send({ type: 'update', changes });
  writeLink();
}

export function chooseBackend(choice: BackendChoice) {
  restart(() => lab.set({ backendChoice: choice, backend: null }));
}

/** The MNIST file cannot be had: train on the synthetic data set (the teacher network's), which needs no download. */
export function switchToSyntheticData() {
  lab.clearNotices('error');
  applyConfig({ dataset: 'teacher' });
}

/** After a divergence: the last good settings, on a fresh run. */
export function restoreLastGood() {
  const good = lab.get().lastGoodConfig;
  if (!good) return;
  lab.set({ config: good, lastGoodConfig: null });
  lab.clearNotices('diverged');
  reset();
  writeLink(false);
}

/** Load a demo: its settings, its comparison run (if any), a fresh run. */
export function applyPreset(id: string) {
  const preset = findPreset(id);
  const config = presetConfig(id);
  if (!preset || !config) return;
  restart(() => {
    if (preset.compare) lab.setReference(null); // the demo brings its own comparison run
    lab.set({ config, compare: preset.compare ?? null, presetId: id });
    lab.clearNotices('reset');
  });
}
