// Spectra of weight matrices: singular values and the rank measures built on them.
// Pure TypeScript: runs in the training worker and in Node alike.

export { singularValues } from './singularValues';
export { rankEps, stableRank, normalisedSpectrum, measureLayer, meanRank, numericalRank } from './rank';
export type { LayerSpectrum } from './rank';
