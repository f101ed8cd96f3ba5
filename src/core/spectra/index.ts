// Spectra of weight matrices: singular values and the rank measures built on them.
// TypeScript and WebAssembly SIMD (compiled in, see gram.ts): runs in the training
// worker and in Node alike.

export { singularValues, singularValuesExact } from './singularValues';
export { spectraKernelsName } from './gram';
export type { SpectraKernelsName } from './gram';
export { rankEps, stableRank, normalisedSpectrum, measureLayer, meanRank, numericalRank } from './rank';
export type { LayerSpectrum } from './rank';
export { factoredSingularValues } from './factored';
export type { GradientFactors } from './factored';
