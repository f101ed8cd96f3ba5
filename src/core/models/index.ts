import type { Architecture } from './architecture';
import { createCnn } from './cnn';
import { createMlp } from './mlp';
import type { Model } from './model';

export type { Model, Param, MeasuredLayer, BatchMoments } from './model';
export { architectureFor, type Architecture } from './architecture';

/** The tfjs realisation of an architecture. Needs an initialised tfjs backend. */
export const createTfjsModel = (arch: Architecture): Model => (arch.kind === 'cnn' ? createCnn(arch) : createMlp(arch));
