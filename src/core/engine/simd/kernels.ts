// Loads RankLab's WebAssembly SIMD kernels (assembly/kernels.ts, compiled at install
// time into kernels.generated.ts). The module is compiled once; every engine gets its
// own instance and memory.

import { KERNELS_WASM_BASE64 } from './kernels.generated';

/** The exports of assembly/kernels.ts; every pointer is a byte offset into the engine's memory. */
export interface Kernels {
  heapBase(): number;
  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number): void;
  gemmNT(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number): void;
  biasAct(src: number, dst: number, bias: number, rows: number, cols: number, act: number): void;
  actBackward(grad: number, out: number, n: number, act: number): void;
  columnSums(x: number, rows: number, cols: number, out: number): void;
  softmaxCrossEntropy(logits: number, labels: number, rows: number, cols: number, grad: number, scale: number, correct: number): number;
  batchNormTrain(x: number, rows: number, cols: number, gamma: number, beta: number, eps: number, xhat: number, y: number, mean: number, variance: number, invStd: number): void;
  batchNormEval(x: number, rows: number, cols: number, gamma: number, beta: number, runMean: number, runVar: number, eps: number, y: number): void;
  batchNormBackward(dy: number, xhat: number, rows: number, cols: number, gamma: number, invStd: number, dx: number, dGamma: number, dBeta: number): void;
  batchNormRunning(runMean: number, runVar: number, mean: number, variance: number, cols: number, count: number, m: number): void;
  sgdStep(w: number, g: number, n: number, rho: number, mu: number): void;
  sgdMomentumStep(w: number, g: number, v: number, n: number, mu: number, decay2: number, m: number, first: number): void;
  im2col(x: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, cols: number): void;
  col2im(cols: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, dx: number): void;
}

let compiled: Promise<WebAssembly.Module> | null = null;

function decodeBase64(text: string): Uint8Array {
  if (typeof atob === 'function') return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Compile the kernels once (async: browsers refuse large synchronous compiles). Rejects where WebAssembly SIMD is missing. */
export function loadKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64) as BufferSource);
  return compiled;
}

let ready: WebAssembly.Module | null = null;
/** Call (and await) before creating a SimdEngine. */
export async function prepareKernels(): Promise<void> {
  ready = await loadKernels();
}

/** A fresh instance on its own memory; prepareKernels() must have finished. */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  if (!ready) throw new Error('the SIMD kernels are not loaded: await prepareKernels() first');
  const instance = new WebAssembly.Instance(ready, { env: { memory, abort: () => { throw new Error('kernel abort'); } } });
  return instance.exports as unknown as Kernels;
}
