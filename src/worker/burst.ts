// One burst of the automatic backend choice: train the run's own model for a fraction of a
// second on one backend and count the steps. Used by backend.ts on the training thread (the
// CPU candidates) and by gpuBurst.worker.ts (WebGL and WebGPU, which can be stopped there).

import type { Config } from '../core/config/fields';
import type { Dataset } from '../core/data/dataset';
import { engineOf } from '../core/engine/engine';
import { Trainer } from '../core/train/trainer';
import type { BackendFigure, BackendName } from './protocol';

/** Timed part of a burst, after two warm-up steps. */
export const BURST_WINDOW_MS = 250;

/** Resolves true when `p` settles within `ms`, false otherwise (p is then abandoned, its rejection swallowed). */
export function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  p.catch(() => {});
  if (ms <= 0) return Promise.resolve(false);
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.then(() => true, () => true),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** An upper bound on a capped burst's speed: it had not finished `done + 1` steps after `ms`. */
export const slowerThan = (done: number, ms: number) => ((done + 1) * 1000) / ms;

/**
 * Time `config`'s model on one backend: start it, build a Trainer, two warm-up steps, then
 * steps for BURST_WINDOW_MS, waiting for the backend (trainer.sync) before stopping the
 * clock; never longer than capMs in all (as far as the backend yields: WebGL compiles its
 * shaders synchronously, which is why the GPU bursts run in a worker of their own).
 * `onSteps` hears every completed step count (warm-up included).
 */
export async function burst(
  name: BackendName,
  threads: number | undefined,
  config: Config,
  data: Dataset,
  capMs: number,
  start: () => Promise<boolean>,
  onSteps?: (done: number) => void,
): Promise<BackendFigure> {
  const figure: BackendFigure = { backend: name, ...(threads ? { threads } : {}) };
  const started = performance.now();
  const left = () => started + capMs - performance.now();
  // Not raced against the cap: a tf.setBackend left running would switch the backend under a later burst.
  if (!(await start().catch(() => false))) return { ...figure, skipped: 'failed to start' };
  let trainer: Trainer | null = null;
  let done = 0;
  const capped = (): BackendFigure => ({ ...figure, slowerThan: slowerThan(done, performance.now() - started) });
  const completed = (n: number) => { done += n; onSteps?.(done); };
  try {
    trainer = new Trainer(config, data, engineOf(name));
    for (let i = 0; i < 2; i++) {
      trainer.train(1);
      if (!(await within(trainer.sync(), left()))) return capped();
      completed(1);
    }
    const t0 = performance.now();
    let steps = 0;
    let chunk = 1;
    while (performance.now() - t0 < BURST_WINDOW_MS) {
      trainer.train(chunk);
      if (!(await within(trainer.sync(), left()))) return capped();
      steps += chunk;
      completed(chunk);
      const elapsed = performance.now() - t0;
      const msPerStep = elapsed / steps;
      // Chunks of ~25 ms, none running far past the window.
      chunk = Math.max(1, Math.min(256, Math.ceil(25 / msPerStep), Math.ceil((BURST_WINDOW_MS - elapsed) / msPerStep)));
    }
    return { ...figure, stepsPerSecond: (steps * 1000) / (performance.now() - t0) };
  } catch {
    return { ...figure, skipped: 'failed while training' };
  } finally {
    try { trainer?.dispose(); } catch { /* a backend that failed mid-burst */ }
  }
}

/** The training worker asks a GPU burst worker for one burst... */
export interface GpuBurstRequest {
  backend: 'webgl' | 'webgpu';
  config: Config;
  data: Dataset;
  capMs: number;
}

/** ...which reports its step count as it goes (so a burst stopped at the cap still has a bound), then the figure. */
export type GpuBurstReply = { type: 'steps'; done: number } | { type: 'figure'; figure: BackendFigure };
