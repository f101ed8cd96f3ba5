// MNIST Dataset from the compact binary (see mnistFormat.ts): a deterministic,
// seeded, class-stratified train/test split plus the usual pixel normalisation.
// Pure TS: runs in a Web Worker and in Node. Getting the bytes is someone else's
// job: fetchMnist.ts (browser) or src/node/mnistFile.ts (Node).

import { createRandom, shuffleInPlace } from '../random';
import type { Dataset } from './dataset';
import { parseMnistBinary } from './mnistFormat';

/** Mean and standard deviation of MNIST pixel intensities in [0, 1] (the customary values). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;
/** Fraction of every class that goes to the test set. */
export const MNIST_TEST_FRACTION = 0.2;
export const MNIST_NUM_CLASSES = 10;

/**
 * Training input for a raw pixel byte: x = (byte/255 - MNIST_MEAN) / MNIST_STD,
 * computed in float64 and stored as float32. Replay scripts must use the same formula.
 */
export const normalizeMnistByte = (byte: number): number => (byte / 255 - MNIST_MEAN) / MNIST_STD;

/** normalizeMnistByte for all 256 byte values, as float32 (what ends up in trainX/testX). */
export const MNIST_NORMALIZED_LUT: Float32Array = (() => {
  const lut = new Float32Array(256);
  for (let b = 0; b < 256; b++) lut[b] = normalizeMnistByte(b);
  return lut;
})();

/**
 * How many of each class go to the test set: quota_c = count_c * testFraction,
 * rounded by the largest-remainder method so the total is exactly
 * round(total * testFraction). Every class gets floor(quota_c) or ceil(quota_c);
 * the leftover units go to the largest fractional parts (ties: lower class first).
 */
export function stratifiedTestCounts(classCounts: readonly number[], testFraction: number): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const target = Math.round(total * testFraction);
  const quotas = classCounts.map((n) => n * testFraction);
  const counts = quotas.map((q) => Math.floor(q));
  let left = target - counts.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, c) => ({ c, frac: q - Math.floor(q) }))
    .sort((a, b) => b.frac - a.frac || a.c - b.c);
  for (let k = 0; left > 0 && k < order.length; k++, left--) counts[order[k].c]++;
  return counts;
}

export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Seeded class-stratified split of source indices 0..labels.length-1.
 *
 * With r = createRandom(seed, 'split'): for class c = 0, 1, ..., numClasses-1 in
 * turn, the source indices of class c (ascending) are shuffled with
 * shuffleInPlace(_, r); the first testCount_c of them (stratifiedTestCounts) go to
 * test, the rest to train. Then both sets are put in a seeded random order with
 * r2 = createRandom(seed, 'split-order'): shuffleInPlace(train, r2) and then
 * shuffleInPlace(test, r2). A shuffled order (rather than classes in blocks)
 * means any prefix of the train or test set is a fair sample.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  testFraction: number,
  seed: number,
): SplitIndices {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < numClasses && Number.isInteger(y))) {
      throw new Error(`label #${i} is ${y}, expected an integer in 0..${numClasses - 1}`);
    }
    byClass[y].push(i);
  }
  const testCounts = stratifiedTestCounts(byClass.map((ix) => ix.length), testFraction);
  const random = createRandom(seed, 'split');
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const ix = byClass[c];
    shuffleInPlace(ix, random);
    for (let k = 0; k < ix.length; k++) (k < testCounts[c] ? test : train).push(ix[k]);
  }
  const trainIx = Int32Array.from(train);
  const testIx = Int32Array.from(test);
  const order = createRandom(seed, 'split-order');
  shuffleInPlace(trainIx, order);
  shuffleInPlace(testIx, order);
  return { train: trainIx, test: testIx };
}

function gather(
  pixels: Uint8Array,
  labels: Uint8Array,
  size: number,
  indices: Int32Array,
): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * size;
    const dst = k * size;
    for (let p = 0; p < size; p++) x[dst + p] = MNIST_NORMALIZED_LUT[pixels[src + p]];
    y[k] = labels[indices[k]];
  }
  return { x, y };
}

/**
 * The MNIST Dataset for `seed` from the bytes of public/data/mnist.bin: with the
 * 10,000 digits of the `mnist` package this is exactly 8000 train / 2000 test,
 * each class split 80/20 (±1 example), see stratifiedSplit for the exact recipe.
 */
export function mnistFromBinary(buffer: ArrayBuffer, seed: number): Dataset {
  const { pixels, labels, rows, cols } = parseMnistBinary(buffer);
  if (rows !== 28 || cols !== 28) throw new Error(`MNIST binary has ${rows}x${cols} images, expected 28x28`);
  const split = stratifiedSplit(labels, MNIST_NUM_CLASSES, MNIST_TEST_FRACTION, seed);
  const size = rows * cols;
  const train = gather(pixels, labels, size, split.train);
  const test = gather(pixels, labels, size, split.test);
  return {
    name: 'mnist',
    inputShape: [rows, cols, 1],
    numClasses: MNIST_NUM_CLASSES,
    trainX: train.x,
    trainY: train.y,
    testX: test.x,
    testY: test.y,
    trainSourceIndex: split.train,
    testSourceIndex: split.test,
    background: MNIST_NORMALIZED_LUT[0],
  };
}
