// One entry point from a config's (dataset, seed) to a Dataset, for the worker and
// the CLI alike. How the MNIST bytes are obtained is passed in (fetchMnist in the
// browser, readMnist from src/node/mnistFile.ts in Node), so this module stays free
// of both `fetch` URLs and `fs`.

import type { Dataset, DatasetName } from './dataset';
import { mnistFromBinary } from './loadMnist';
import { teacherDataset } from './teacher';

/**
 * The Dataset for `name` and `seed`. `loadMnistBinary` is called only for 'mnist'
 * (the teacher task is generated from the seed and needs no file).
 */
export async function datasetFor(
  name: DatasetName,
  seed: number,
  loadMnistBinary: () => Promise<ArrayBuffer>,
): Promise<Dataset> {
  switch (name) {
    case 'mnist':
      return mnistFromBinary(await loadMnistBinary(), seed);
    case 'teacher':
      return teacherDataset(seed);
    default: {
      const unknown: never = name;
      throw new Error(`Unknown dataset '${String(unknown)}'`);
    }
  }
}
