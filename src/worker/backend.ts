// Which backend the worker trains on. The automatic choice is measured: a short training
// burst of the run's own model and batch size on every candidate (RankLab's SIMD engine,
// tfjs WASM with one thread and with every core, WebGL, and WebGPU when an adapter
// exists, software or not), the fastest wins. The page caches the result per device and
// shape, so a reload starts at once. A forced choice is used as it is (a forced WASM
// still times one thread against every core). A choice that fails to start falls back
// to the automatic one and says so.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients'; // the core trains with these
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendWasm, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendCache, BackendChoice, BackendFigure, BackendInfo, BackendMeasurement, BackendName } from './protocol';
import type { Config } from '../core/config/fields';
import type { Dataset } from '../core/data/dataset';
import { prepareKernels } from '../core/engine/simd/kernels';
import { useTwoThreadsWherePossible } from './kernelHelper';
import { burst, slowerThan, type GpuBurstReply, type GpuBurstRequest } from './burst';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** No burst takes longer than this, start-up and warm-up included (WebGPU shader compiles on SwiftShader take seconds). */
const BURST_CAP_MS = 2000;
/** All bursts together (data loading aside): the first chart must not wait much longer than this. */
const MEASURE_BUDGET_MS = 2200;
/** A burst with less time than this left in the budget is not started. */
const MIN_BURST_MS = 250;
/** What a CPU burst (start-up, two warm-up steps and the window) takes here; kept free for the CPU candidates still to come. */
const CPU_BURST_MS = 450;

interface AdapterProbe {
  available: boolean;
  software: boolean;
  description: string;
}

/** Ask for a WebGPU adapter and tell a hardware one from SwiftShader or a fallback adapter. */
export async function probeWebGpu(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { available: false, software: false, description: 'no navigator.gpu' };
  type Adapter = { info?: Record<string, string>; isFallbackAdapter?: boolean };
  const adapter = (await gpu.requestAdapter().catch(() => null)) as Adapter | null;
  if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter' };
  const info = adapter.info ?? {};
  const text = [info.architecture, info.description, info.vendor, info.device].filter(Boolean).join(' ');
  const software = Boolean(adapter.isFallbackAdapter || (info as { isFallbackAdapter?: boolean }).isFallbackAdapter) || /swiftshader|llvmpipe|software|microsoft basic/i.test(text);
  return { available: true, software, description: text || 'unnamed adapter' };
}

const isolated = () => Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
const cores = () => Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
/** The most WASM threads worth trying: every core (at most 4), and only where SharedArrayBuffer exists. */
const maxWasmThreads = () => (isolated() ? Math.min(4, cores()) : 1);

/**
 * Start tfjs' WASM backend with one thread (the second never won a burst on the 2-core
 * machine: a contended core stalls every parallel op); wasmThreads() can widen its pool.
 *
 * Why tfjs reported one thread on a 2-core machine: tfjs-backend-wasm 4.22's C++ side
 * (backend.cc) caps the XNNPACK pool at navigator.hardwareConcurrency / 2 ("many x86-64
 * processors have 2 threads per core"), a value it reads once when its module starts;
 * setThreadsCount(2) became min(2, 2/2) = 1, and its 8 pre-spawned pthread workers sat idle.
 * So while the module starts, this worker's navigator reports twice its cores (the real
 * value comes back at once after): the cap is then the real core count.
 */
async function startWasm(): Promise<boolean> {
  const nav = globalThis.navigator as Navigator & { hardwareConcurrency: number };
  const real = cores();
  const ownProperty = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  if (maxWasmThreads() > 1) Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * real, configurable: true });
  try {
    setThreadsCount(1);
    return await tf.setBackend('wasm');
  } finally {
    if (ownProperty) Object.defineProperty(nav, 'hardwareConcurrency', ownProperty);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * A pool with more than one thread takes pthread workers from Emscripten's 8 pre-spawned
 * ones and never gives them back (tfjs cannot destroy a pool, only start another); once
 * they are gone, the next pool hangs the worker waiting for a thread that cannot start
 * while it waits. So this worker starts at most one such pool, and WASM's thread count is
 * settled for its lifetime once one thread and every core have both been timed.
 */
let multiThreadPoolStarted = false;
let wasmThreadsSettled: number | null = null;

/** The WASM backend's thread pool now; with `threads`, a new pool of that size first where that is allowed (see above). */
function wasmThreads(threads?: number): number {
  if (!isolated()) return 1; // the plain SIMD build: no pool
  const wasm = (tf.findBackend('wasm') as BackendWasm | null)?.wasm;
  if (!wasm) return 1;
  if (threads !== undefined && wasm.tfjs.getThreadsCount() !== threads && (threads === 1 || !multiThreadPoolStarted)) {
    wasm.tfjs.initWithThreadsCount(threads); // the old pool's threads stay parked
    multiThreadPoolStarted ||= threads > 1;
  }
  return Math.max(1, wasm.tfjs.getThreadsCount());
}

async function tryBackend(name: BackendName, threads?: number): Promise<boolean> {
  try {
    if (name === 'simd') {
      await prepareKernels(); // rejects where WebAssembly SIMD is missing
      await useTwoThreadsWherePossible();
      return true;
    }
    const ok = name === 'wasm' && !tf.findBackend('wasm') ? await startWasm() : await tf.setBackend(name);
    if (ok) await tf.ready();
    // Without a thread count the pool stays as it is: one thread unless a measurement said otherwise.
    if (ok && name === 'wasm' && threads !== undefined) wasmThreads(threads);
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * When tfjs runs on WebGPU: a promise of why its device was lost (a driver reset, the GPU
 * taken away, the tab's device destroyed), which settles only if it is; null on other backends.
 */
export function deviceLoss(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  return device ? device.lost.then((info) => info.message || `reason: ${info.reason}`) : null;
}

function describe(name: BackendName, adapter: string, reason: string, measurement?: BackendMeasurement): BackendInfo {
  return { name, adapter, reason, threads: name === 'wasm' ? wasmThreads() : undefined, measurement };
}

const WHAT: Record<BackendName, string> = {
  simd: "RankLab's WebAssembly SIMD engine",
  webgpu: 'tfjs WebGPU',
  wasm: 'tfjs WASM',
  webgl: 'tfjs WebGL',
  cpu: 'tfjs CPU',
};

/** What a burst measures: the run's model and batch size. */
export interface MeasureContext {
  config: Config;
  /** The run's data (loaded on demand: a cached choice needs none). */
  data: () => Promise<Dataset>;
  /** The page's stored measurements. */
  cache?: BackendCache;
}

/** Batch sizes share a cached measurement within a power of two. */
const batchBucket = (b: number) => 2 ** Math.round(Math.log2(Math.max(1, b)));

/** Device, shape and choice: what a measurement holds for. */
export function measurementKey(choice: BackendChoice, c: Config, adapter: string): string {
  const device = `${cores()} cores, ${adapter || 'no WebGPU adapter'}, ${isolated() ? 'cross-origin isolated' : 'not isolated'}, ${globalThis.navigator?.userAgent ?? ''}`;
  const shape = `${c.model} ${c.depth}x${c.width}${c.batchNorm ? ' BN' : ''} B~${batchBucket(c.batchSize)}`;
  return `${choice} | ${shape} | ${device}`;
}

/**
 * A WebGL or WebGPU burst in a worker of its own (gpuBurst.worker.ts), terminated at the cap:
 * then "slower than" the steps it had finished. A browser without nested workers gets no figure.
 */
function gpuBurst(backend: 'webgl' | 'webgpu', config: Config, data: Dataset, capMs: number): Promise<BackendFigure> {
  const started = performance.now();
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./gpuBurst.worker.ts', import.meta.url), { type: 'module', name: `ranklab-burst-${backend}` });
    } catch {
      resolve({ backend, skipped: 'no nested worker' });
      return;
    }
    let done = 0;
    const finish = (figure: BackendFigure) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(figure);
    };
    // A little grace past the cap: the worker then reports its own bound.
    const timer = setTimeout(() => finish({ backend, slowerThan: slowerThan(done, performance.now() - started) }), capMs + 100);
    worker.onmessage = (e: MessageEvent<GpuBurstReply>) => {
      if (e.data.type === 'steps') done = e.data.done;
      else finish(e.data.figure);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      finish({ backend, skipped: 'failed to start' });
    };
    // The cap counts from here: starting the worker and copying the data are part of the burst.
    worker.postMessage({ backend, config, data, capMs: capMs - (performance.now() - started) } satisfies GpuBurstRequest);
  });
}

const rate = (f: BackendFigure) => f.stepsPerSecond ?? -1;

const isGpu = (b: BackendName) => b === 'webgl' || b === 'webgpu';

/**
 * Time every candidate within MEASURE_BUDGET_MS (data loading not counted). A hardware
 * WebGPU adapter goes first (on a real GPU it is the likely winner); then the CPU
 * candidates, which take a fraction of a second each; WebGL and a software WebGPU
 * adapter share what is left (their warm-up is mostly shader compilation, which on
 * SwiftShader alone takes longer than the whole budget: they are then "slower than" a bound).
 */
async function measure(choice: BackendChoice, probe: AdapterProbe, ctx: MeasureContext, key: string): Promise<BackendMeasurement | null> {
  // WASM's start-up (compiling its module, spawning its thread pool) overlaps loading the data.
  const [data] = await Promise.all([ctx.data(), tryBackend('wasm'), prepareKernels().then(useTwoThreadsWherePossible).catch(() => {})]);
  const started = performance.now();
  const manyThreads = maxWasmThreads();
  type Candidate = { backend: BackendName; threads?: number };
  const wasm: Candidate[] = wasmThreadsSettled !== null || manyThreads === 1 || multiThreadPoolStarted
    ? [{ backend: 'wasm', threads: wasmThreadsSettled ?? wasmThreads() }]
    : [{ backend: 'wasm', threads: 1 }, { backend: 'wasm', threads: manyThreads }];
  const hardware = probe.available && !probe.software;
  const plan: Candidate[] = choice === 'wasm'
    ? wasm
    : [...(hardware ? [{ backend: 'webgpu' as const }] : []), { backend: 'simd' }, ...wasm, { backend: 'webgl' }, ...(hardware ? [] : [{ backend: 'webgpu' as const }])];
  const figures: BackendFigure[] = [];
  for (const [i, { backend, threads }] of plan.entries()) {
    const best = Math.max(-1, ...figures.map(rate));
    const oneThread = figures.find((f) => f.backend === 'wasm' && f.threads === 1);
    if (backend === 'webgpu' && !probe.available) {
      figures.push({ backend, skipped: probe.description === 'no navigator.gpu' ? 'no WebGPU' : 'no adapter' });
      continue;
    }
    if (backend === 'wasm' && threads! > 1 && oneThread && choice !== 'wasm' && threads! * rate(oneThread) < best) {
      // n threads are at most n times as fast as one.
      figures.push({ backend, threads, skipped: `at most ${threads} x ${rate(oneThread).toFixed(0)} < ${best.toFixed(0)}` });
      continue;
    }
    const later = plan.slice(i + 1);
    // Kept for the CPU candidates still to come (not for WASM on every core: it is mostly skipped as unable to win).
    const reserve = CPU_BURST_MS * later.filter((c) => !isGpu(c.backend) && !(c.threads && c.threads > 1)).length;
    const gpusLeft = isGpu(backend) && !(backend === 'webgpu' && hardware) ? 1 + later.filter((c) => isGpu(c.backend) && (c.backend !== 'webgpu' || probe.available)).length : 1;
    const cap = Math.min(BURST_CAP_MS, (MEASURE_BUDGET_MS - (performance.now() - started) - reserve) / gpusLeft);
    if (cap < MIN_BURST_MS) figures.push({ backend, threads, skipped: 'no time left' });
    else if (isGpu(backend)) figures.push(await gpuBurst(backend as 'webgl' | 'webgpu', ctx.config, data, cap));
    else figures.push(await burst(backend, threads, ctx.config, data, cap, () => tryBackend(backend, threads)));
  }
  const timedWasm = figures.filter((f) => f.backend === 'wasm' && f.stepsPerSecond !== undefined);
  if (timedWasm.length > 1) {
    wasmThreadsSettled = timedWasm.reduce((a, b) => (rate(b) > rate(a) ? b : a)).threads ?? 1;
    wasmThreads(wasmThreadsSettled);
  }
  const winner = figures.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  if (rate(winner) <= 0) return null;
  return { key, figures, backend: winner.backend, threads: winner.threads, measuredAt: Date.now(), ms: Math.round(performance.now() - started), cached: false };
}

export async function startBackend(choice: BackendChoice, ctx?: MeasureContext): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  const adapter = probe.available ? probe.description : '';
  const adapterNote = !probe.available ? probe.description : probe.software ? `WebGPU adapter is software (${probe.description})` : `hardware WebGPU adapter (${probe.description})`;
  let note = '';
  if (choice !== 'auto') {
    if (choice === 'wasm' && ctx && maxWasmThreads() > 1 && wasmThreadsSettled === null) {
      // How many threads: one or every core, whichever is faster here for this model.
      const key = measurementKey(choice, ctx.config, adapter);
      const cached = ctx.cache?.[key];
      if (cached && (await tryBackend('wasm', cached.threads))) return describe('wasm', '', 'wasm chosen by you; thread count from a cached measurement', { ...cached, cached: true });
      const measured = await measure(choice, probe, ctx, key).catch(() => null);
      if (measured && (await tryBackend('wasm', measured.threads))) return describe('wasm', '', 'wasm chosen by you; thread count measured', measured);
    }
    const settled = choice === 'wasm' && wasmThreadsSettled !== null ? `; ${wasmThreadsSettled} thread${wasmThreadsSettled > 1 ? 's' : ''}, the faster when timed earlier in this session` : '';
    if (await tryBackend(choice)) return describe(choice, choice === 'webgpu' ? adapter : '', `${choice} chosen by you${settled}`);
    note = `${choice} failed to start (${choice === 'webgpu' ? probe.description : 'not supported here'}); `;
  }
  if (ctx) {
    const key = measurementKey('auto', ctx.config, adapter);
    const cached = ctx.cache?.[key];
    if (cached && (await tryBackend(cached.backend, cached.threads))) {
      return describe(cached.backend, adapter, `${note}${adapterNote}: using ${WHAT[cached.backend]}, the fastest when last measured here for this model and batch size`, { ...cached, cached: true });
    }
    const measured = await measure('auto', probe, ctx, key).catch(() => null);
    if (measured && (await tryBackend(measured.backend, measured.threads))) {
      return describe(measured.backend, adapter, `${note}${adapterNote}: using ${WHAT[measured.backend]}, the fastest measured for this model and batch size`, measured);
    }
    note += 'measuring failed; ';
  }
  // Without a measurement: WebGPU on a hardware adapter, else the SIMD engine, then the other fallbacks.
  if (probe.available && !probe.software && (await tryBackend('webgpu'))) {
    return describe('webgpu', adapter, `${note}${adapterNote}: using WebGPU`);
  }
  for (const fallback of ['simd', 'wasm', 'webgl', 'cpu'] as const) {
    if (await tryBackend(fallback)) return describe(fallback, adapter, `${note}${adapterNote}: using ${WHAT[fallback]}`);
  }
  throw new Error(`${note}no backend could start (tried WebGPU, SIMD, WASM, WebGL, CPU)`);
}

/** When the worker must choose again: another choice or, for a measured one, another shape (the device stays). */
export function choiceKey(choice: BackendChoice, c: Config): string {
  return choice === 'auto' || choice === 'wasm' ? measurementKey(choice, c, '') : choice;
}
