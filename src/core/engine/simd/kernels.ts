// Loads RankLab's WebAssembly SIMD kernels (assembly/kernels.ts, compiled at install
// time into kernels.generated.ts). The module is compiled once; every engine gets its
// own instance and memory.

import { KERNELS_FMA_SHARED_WASM_BASE64, KERNELS_FMA_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64, SHARED_MAXIMUM_PAGES } from './kernels.generated';

/** The exports of assembly/kernels.ts; every pointer is a byte offset into the engine's memory. */
export interface Kernels {
  heapBase(): number;
  setWorkspace(ptr: number, bytes: number): void;
  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number): void;
  gemmNT(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number): void;
  /** 1 when gemm and gemmNT pack B for this product (the products two threads can share; productThreads.ts). */
  packs(m: number, n: number, k: number): number;
  packB(n8: number, k: number, b: number, ldb: number): void;
  packBT(n8: number, k: number, b: number, ldb: number): void;
  packedRows(i0: number, i1: number, n8: number, k: number, a: number, aRow: number, aCol: number, c: number, ldc: number, alpha: number, beta: number, aBlock: number): void;
  /** Returns 0 (nothing computed) when at least half of A differs from z. */
  gemmSparseA(m: number, n: number, k: number, a: number, lda: number, z: number, b: number, ldb: number, c: number, ldc: number, work: number): number;
  gemmSparseAT(m: number, n: number, k: number, a: number, lda: number, z: number, b: number, ldb: number, c: number, ldc: number, alpha: number, beta: number, work: number): void;
  /** Each pair of rows' nonzero columns (for gemmZeroSkip). */
  listRowPairs(a: number, rows: number, cols: number, lists: number): void;
  /** Rows i0..i1-1 of A B over listRowPairs' lists; i0 even. */
  gemmZeroSkip(i0: number, i1: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, lists: number): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  applyGradient(w: number, g: number, n: number, alpha: number, beta: number): void;
  biasAct(src: number, dst: number, bias: number, rows: number, cols: number, act: number): void;
  actBackward(grad: number, out: number, n: number, act: number): void;
  columnSums(x: number, rows: number, cols: number, out: number): void;
  softmaxCrossEntropy(logits: number, labels: number, rows: number, cols: number, grad: number, scale: number, correct: number): number;
  batchNormTrain(x: number, rows: number, cols: number, gamma: number, beta: number, eps: number, y: number, mean: number, variance: number, invStd: number): void;
  batchNormEval(x: number, rows: number, cols: number, gamma: number, beta: number, runMean: number, runVar: number, eps: number, y: number): void;
  batchNormBackward(dy: number, x: number, rows: number, cols: number, gamma: number, eps: number, dx: number, dGamma: number, dBeta: number): void;
  batchNormRunning(runMean: number, runVar: number, mean: number, variance: number, cols: number, count: number, m: number): void;
  sgdStep(w: number, g: number, n: number, rho: number, mu: number): void;
  sgdMomentumStep(w: number, g: number, v: number, n: number, mu: number, decay2: number, m: number, first: number): void;
  im2col(x: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, cols: number): void;
  col2im(cols: number, batch: number, h: number, w: number, c: number, oh: number, ow: number, dx: number): void;
}

/** 'fma': built with relaxed SIMD, whose multiply-add is fused where the processor can; 'plain': SIMD only. */
export type KernelBuild = 'fma' | 'plain';

const BASE64 = {
  fma: { own: KERNELS_FMA_WASM_BASE64, shared: KERNELS_FMA_SHARED_WASM_BASE64 },
  plain: { own: KERNELS_WASM_BASE64, shared: KERNELS_SHARED_WASM_BASE64 },
} as const;
const bytesOf = (build: KernelBuild, shared = false) => decodeBase64(BASE64[build][shared ? 'shared' : 'own']);
const compiled = new Map<string, Promise<WebAssembly.Module>>();
const compile = (build: KernelBuild, shared: boolean) => {
  const key = `${build}${shared ? ' shared' : ''}`;
  if (!compiled.has(key)) compiled.set(key, WebAssembly.compile(bytesOf(build, shared) as BufferSource));
  return compiled.get(key)!;
};

function decodeBase64(text: string): Uint8Array {
  if (typeof atob === 'function') return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** The builds this runtime accepts, fastest first (relaxed SIMD: Chrome 114+, Node with --experimental-wasm-relaxed-simd). */
export function availableKernelBuilds(): KernelBuild[] {
  return (['fma', 'plain'] as const).filter((b) => WebAssembly.validate(bytesOf(b) as BufferSource));
}

let ready: { build: KernelBuild; module: WebAssembly.Module; shared: WebAssembly.Module | null } | null = null;

/**
 * Compile the kernels once (async: browsers refuse large synchronous compiles); call and
 * await before creating a SimdEngine. Without `build`, the fastest this runtime accepts.
 * Rejects where WebAssembly SIMD is missing.
 */
export async function prepareKernels(build?: KernelBuild): Promise<KernelBuild> {
  const chosen = build ?? availableKernelBuilds()[0];
  if (!chosen) throw new Error('this browser has no WebAssembly SIMD');
  ready = { build: chosen, module: await compile(chosen, false), shared: ready?.build === chosen ? ready.shared : null };
  return chosen;
}

/**
 * The prepared build again, importing a shared memory (for an engine whose products two threads
 * share); null where this runtime has no SharedArrayBuffer (a page that is not cross-origin isolated).
 */
export async function prepareSharedKernels(): Promise<WebAssembly.Module | null> {
  if (!ready) throw new Error('the SIMD kernels are not loaded: await prepareKernels() first');
  if (typeof SharedArrayBuffer === 'undefined') return null;
  ready.shared ??= await compile(ready.build, true);
  return ready.shared;
}

/** The shared build, once prepareSharedKernels() has compiled it. */
export const sharedKernelModule = (): WebAssembly.Module | null => ready?.shared ?? null;

/** A memory the shared build can import. */
export const sharedMemory = () => new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAXIMUM_PAGES, shared: true });

const isShared = (memory: WebAssembly.Memory) => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** A fresh instance on its own memory; prepareKernels() must have finished. */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  if (!ready) throw new Error('the SIMD kernels are not loaded: await prepareKernels() first');
  const module = isShared(memory) ? ready.shared : ready.module;
  if (!module) throw new Error('a shared memory needs the shared kernels: await prepareSharedKernels() first');
  const instance = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('kernel abort'); } } });
  return instance.exports as unknown as Kernels;
}
