// Which backend the worker trains on. tfjs' WebGPU when a hardware adapter exists;
// a software adapter (SwiftShader) is a CPU pretending to be a GPU, so then (or with
// no adapter) RankLab's own WebAssembly SIMD engine, which on a CPU is several times
// faster than tfjs' WASM backend (see npm run bench); tfjs' WASM, WebGL and CPU
// backends are the fallbacks. A forced choice that fails to start falls back to the
// automatic one and says so.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients'; // the core trains with these
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendWasm, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendInfo, BackendName } from './protocol';
import { prepareKernels } from '../core/engine/simd/kernels';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

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
 * Start tfjs' WASM backend with `threads` threads.
 *
 * Why tfjs reported one thread on a 2-core machine: tfjs-backend-wasm 4.22's C++ side
 * (backend.cc) caps the XNNPACK pool at navigator.hardwareConcurrency / 2 ("many x86-64
 * processors have 2 threads per core"), a value it reads once when its module starts;
 * setThreadsCount(2) became min(2, 2/2) = 1, and its 8 pre-spawned pthread workers sat idle.
 * So while the module starts, this worker's navigator reports twice its cores (the real
 * value comes back at once after): the cap is then the real core count.
 */
async function startWasm(threads: number): Promise<boolean> {
  const nav = globalThis.navigator as Navigator & { hardwareConcurrency: number };
  const real = cores();
  const ownProperty = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  if (maxWasmThreads() > 1) Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * real, configurable: true });
  try {
    setThreadsCount(threads);
    return await tf.setBackend('wasm');
  } finally {
    if (ownProperty) Object.defineProperty(nav, 'hardwareConcurrency', ownProperty);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'simd') {
      await prepareKernels(); // rejects where WebAssembly SIMD is missing
      return true;
    }
    const ok = name === 'wasm' && !tf.findBackend('wasm') ? await startWasm(maxWasmThreads()) : await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** The WASM backend's thread pool (the threaded build is only used on a cross-origin-isolated page). */
function wasmThreads(): number {
  if (!isolated()) return 1;
  const wasm = (tf.findBackend('wasm') as BackendWasm | null)?.wasm;
  return wasm ? Math.max(1, wasm.tfjs.getThreadsCount()) : 1;
}

function describe(name: BackendName, adapter: string, reason: string): BackendInfo {
  return { name, adapter, reason, threads: name === 'wasm' ? wasmThreads() : undefined };
}

export async function startBackend(choice: BackendChoice): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  const adapter = probe.available ? probe.description : '';
  let note = '';
  if (choice !== 'auto') {
    if (await tryBackend(choice)) return describe(choice, choice === 'webgpu' ? adapter : '', `${choice} chosen by you`);
    note = `${choice} failed to start (${choice === 'webgpu' ? probe.description : 'not supported here'}); `;
  }
  if (probe.available && !probe.software && (await tryBackend('webgpu'))) {
    return describe('webgpu', adapter, `${note}hardware WebGPU adapter (${adapter}): using WebGPU`);
  }
  const why = probe.available ? `WebGPU adapter is software (${probe.description})` : `${probe.description}`;
  for (const fallback of ['simd', 'wasm', 'webgl', 'cpu'] as const) {
    const what = fallback === 'simd' ? "RankLab's WebAssembly SIMD engine" : `tfjs ${fallback.toUpperCase()}`;
    if (await tryBackend(fallback)) return describe(fallback, adapter, `${note}${why}: using ${what}`);
  }
  throw new Error(`${note}no backend could start (tried WebGPU, SIMD, WASM, WebGL, CPU)`);
}
