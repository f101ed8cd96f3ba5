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
  /**
   * The value most inputs hold, if there is one (a blank MNIST pixel after normalisation): the
   * SIMD engine's test pass multiplies only the inputs that differ from it.
   */
  background?: number;
}

export const inputSize = (d: Pick<Dataset, 'inputShape'>) =>
  d.inputShape[0] * d.inputShape[1] * d.inputShape[2];

/**
 * Throws if a Dataset's arrays disagree with each other (lengths, label range,
 * source indices). Cheap (one pass over labels and indices): call it where a
 * Dataset crosses a boundary, e.g. after a worker receives one.
 */
export function assertValidDataset(d: Dataset): void {
  const size = inputSize(d);
  const nTrain = d.trainY.length;
  const nTest = d.testY.length;
  const problems: string[] = [];
  if (!(size > 0)) problems.push(`inputShape ${JSON.stringify(d.inputShape)} is empty`);
  if (d.trainX.length !== nTrain * size) problems.push(`trainX has ${d.trainX.length} values, expected ${nTrain} x ${size}`);
  if (d.testX.length !== nTest * size) problems.push(`testX has ${d.testX.length} values, expected ${nTest} x ${size}`);
  if (d.trainSourceIndex.length !== nTrain) problems.push(`trainSourceIndex has ${d.trainSourceIndex.length} entries, expected ${nTrain}`);
  if (d.testSourceIndex.length !== nTest) problems.push(`testSourceIndex has ${d.testSourceIndex.length} entries, expected ${nTest}`);
  const badLabel = (ys: Int32Array) => ys.findIndex((y) => !(y >= 0 && y < d.numClasses));
  const badTrain = badLabel(d.trainY);
  if (badTrain >= 0) problems.push(`trainY[${badTrain}] = ${d.trainY[badTrain]} is not in 0..${d.numClasses - 1}`);
  const badTest = badLabel(d.testY);
  if (badTest >= 0) problems.push(`testY[${badTest}] = ${d.testY[badTest]} is not in 0..${d.numClasses - 1}`);
  if (problems.length > 0) throw new Error(`Invalid ${d.name} dataset: ${problems.join('; ')}`);
}
