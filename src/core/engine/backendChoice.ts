// The backends a run may train on, by name: the page's choice (its backend select, a link's
// backend=) and the worker's. 'simd' is RankLab's own WebAssembly SIMD engine
// (src/core/engine/simd); the others are tfjs backends. Here, in the core, so that the link codec
// (core/config/link.ts) checks a link's backend with the same list the worker uses.

export const BACKEND_CHOICES = ['auto', 'simd', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;
