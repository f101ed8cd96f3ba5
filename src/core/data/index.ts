// Public surface of the data layer. Browser/worker code imports from here;
// Node code that reads the file from disk uses src/cli/readMnist.ts (kept out of
// this barrel so the browser bundle never imports `fs`).

import type { DatasetName } from './dataset';

export type { Dataset, DatasetName } from './dataset';
export { assertValidDataset, inputSize } from './dataset';
export {
  MNIST_FORMAT_VERSION,
  MNIST_MAGIC,
  MNIST_MISSING_MESSAGE,
  hasMnistMagic,
  parseMnistBinary,
  type MnistBinary,
} from './mnistFormat';
export {
  MNIST_MEAN,
  MNIST_NORMALIZED_LUT,
  MNIST_NUM_CLASSES,
  MNIST_STD,
  MNIST_TEST_FRACTION,
  mnistFromBinary,
  normalizeMnistByte,
  stratifiedSplit,
  stratifiedTestCounts,
  type SplitIndices,
} from './loadMnist';
export { MNIST_BIN_PATH, fetchMnist } from './fetchMnist';
export { datasetFor } from './forConfig';
export {
  TEACHER_HIDDEN,
  TEACHER_RANK,
  TEACHER_TEST_SIZE,
  TEACHER_TRAIN_SIZE,
  teacherDataset,
  teacherHiddenMatrix,
  teacherWeights,
  type TeacherWeights,
} from './teacher';

export const DATASET_INFO: Record<DatasetName, { label: string; description: string }> = {
  mnist: {
    label: 'MNIST (10k digits)',
    description:
      '10,000 handwritten 28×28 digits, split per class 80/20 into 8000 train / 2000 test by the seed; ' +
      'pixels normalised as (p/255 − 0.1307) / 0.3081.',
  },
  teacher: {
    label: 'Low-rank teacher',
    description:
      'Synthetic: 784-dim Gaussian inputs labelled by a random network W2·relu(U Vᵀx) whose first layer ' +
      'has planted rank 4, so the labels depend on only 4 directions; 8000 train / 2000 test from the seed.',
  },
};
