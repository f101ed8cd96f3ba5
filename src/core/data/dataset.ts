// What every data source hands to the trainer: a fixed train/test split held
// in plain typed arrays (no tensors, so this module runs anywhere).

export type DatasetName = 'mnist' | 'teacher';

export interface Dataset {
  name: DatasetName;
  /** Image shape of one example, [height, width, channels]; MLPs flatten it. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Row-major [nTrain, height*width*channels], already normalised for training. */
  trainX: Float32Array;
  trainY: Int32Array;
  /** Row-major [nTest, height*width*channels]. */
  testX: Float32Array;
  testY: Int32Array;
  /**
   * Index of each train/test example in the source collection (e.g. the 10,000
   * MNIST digits in file order), so a run can be replayed elsewhere on the same split.
   */
  trainSourceIndex: Int32Array;
  testSourceIndex: Int32Array;
}

export const inputSize = (d: Pick<Dataset, 'inputShape'>) =>
  d.inputShape[0] * d.inputShape[1] * d.inputShape[2];
