import type { Config } from '../config/fields';
import type { Dataset } from '../data/dataset';
import { inputSize } from '../data/dataset';
import { createCnn } from './cnn';
import { createMlp } from './mlp';
import type { Model } from './model';

export type { Model, Param, MeasuredLayer, BatchMoments } from './model';

/** Build the network a config describes, for the data it will see. Needs an initialised tfjs backend. */
export function createModel(config: Config, data: Pick<Dataset, 'inputShape' | 'numClasses'>): Model {
  if (config.model === 'cnn') {
    return createCnn({
      inputShape: data.inputShape, numClasses: data.numClasses, convLayers: config.depth,
      channels: config.width, batchNorm: config.batchNorm, activation: config.activation, seed: config.seed,
    });
  }
  return createMlp({
    inputSize: inputSize(data), numClasses: data.numClasses, depth: config.depth, width: config.width,
    batchNorm: config.batchNorm, activation: config.activation, seed: config.seed,
  });
}
