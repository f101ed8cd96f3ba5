import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistDataset, readMnist } from '../../node/mnistFile';
import { assertValidDataset, type Dataset } from './dataset';
import {
  MNIST_MEAN,
  MNIST_NORMALIZED_LUT,
  MNIST_STD,
  mnistFromBinary,
  normalizeMnistByte,
  stratifiedSplit,
  stratifiedTestCounts,
} from './loadMnist';
import { parseMnistBinary } from './mnistFormat';

/** Bit-for-bit equality of typed arrays (vitest's deep equality is slow on millions of elements). */
const sameBits = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('stratifiedTestCounts', () => {
  it('uses largest remainders so the total is exact', () => {
    const mnist = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const counts = stratifiedTestCounts(mnist, 0.2);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2000);
    // floors 200 225 198 206 196 172 202 214 188 195 (=1996); +1 for the four largest remainders (.8 .8 .6 .6)
    expect(counts).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(stratifiedTestCounts([5, 5, 5], 0.5)).toEqual([3, 3, 2]); // ties go to the lower class
    expect(stratifiedTestCounts([10, 0, 3], 0.2)).toEqual([2, 0, 1]);
  });
});

describe('stratifiedSplit', () => {
  it('puts every index in exactly one set and is seeded', () => {
    const labels = Array.from({ length: 103 }, (_, i) => i % 4);
    const a = stratifiedSplit(labels, 4, 0.25, 5);
    expect(a.train.length + a.test.length).toBe(103);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
    expect(stratifiedSplit(labels, 4, 0.25, 5)).toEqual(a);
    expect(stratifiedSplit(labels, 4, 0.25, 6).test).not.toEqual(a.test);
    expect(() => stratifiedSplit([0, 4], 4, 0.25, 1)).toThrow(/label #1 is 4/);
  });
});

describe('normalisation', () => {
  it('is (byte/255 - 0.1307) / 0.3081', () => {
    expect(MNIST_MEAN).toBe(0.1307);
    expect(MNIST_STD).toBe(0.3081);
    expect(normalizeMnistByte(0)).toBeCloseTo(-0.424213, 5);
    expect(normalizeMnistByte(255)).toBeCloseTo(2.821487, 5);
    expect(normalizeMnistByte(128)).toBeCloseTo((128 / 255 - 0.1307) / 0.3081, 12);
    expect(MNIST_NORMALIZED_LUT.length).toBe(256);
    for (let b = 0; b < 256; b++) expect(MNIST_NORMALIZED_LUT[b]).toBe(Math.fround(normalizeMnistByte(b)));
  });
});

describe('mnistFromBinary', () => {
  let buffer: ArrayBuffer;
  let source: ReturnType<typeof parseMnistBinary>;
  let d: Dataset;
  beforeAll(() => {
    buffer = readMnist();
    source = parseMnistBinary(buffer);
    d = mnistFromBinary(buffer, 42);
  });

  it('has exactly 8000 train / 2000 test examples of shape 28x28x1', () => {
    expect(d.name).toBe('mnist');
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.numClasses).toBe(10);
    expect(d.trainY.length).toBe(8000);
    expect(d.testY.length).toBe(2000);
    expect(d.trainX.length).toBe(8000 * 784);
    expect(d.testX.length).toBe(2000 * 784);
    assertValidDataset(d);
  });

  it('is stratified: every class has 20% (±1 example) in test', () => {
    const total = new Array(10).fill(0);
    const test = new Array(10).fill(0);
    for (const y of source.labels) total[y]++;
    for (const y of d.testY) test[y]++;
    for (let c = 0; c < 10; c++) expect(Math.abs(test[c] - 0.2 * total[c])).toBeLessThanOrEqual(1);
  });

  it('has disjoint train/test source indices covering all 10,000 digits', () => {
    const seen = new Uint8Array(10000);
    for (const i of d.trainSourceIndex) seen[i]++;
    for (const i of d.testSourceIndex) seen[i]++;
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  it('rows, labels and source indices agree with the file, normalised', () => {
    for (const [x, y, ix] of [[d.trainX, d.trainY, d.trainSourceIndex], [d.testX, d.testY, d.testSourceIndex]] as const) {
      for (let k = 0; k < ix.length; k++) {
        expect(y[k]).toBe(source.labels[ix[k]]);
        if (k % 97 === 0) {
          for (let p = 0; p < 784; p++) {
            const expected = Math.fround((source.pixels[ix[k] * 784 + p] / 255 - 0.1307) / 0.3081);
            if (x[k * 784 + p] !== expected) throw new Error(`example ${k} pixel ${p}: ${x[k * 784 + p]} != ${expected}`);
          }
        }
      }
    }
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of d.trainX) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
    expect(min).toBeCloseTo(-0.4242, 4);
    expect(max).toBeCloseTo(2.8215, 4);
    expect(Math.abs(sum / d.trainX.length)).toBeLessThan(0.1); // mean near 0 after normalisation
  });

  it('orders both sets in a shuffled (not class-sorted) order', () => {
    let changes = 0;
    for (let k = 1; k < d.trainY.length; k++) if (d.trainY[k] !== d.trainY[k - 1]) changes++;
    expect(changes).toBeGreaterThan(6000);
    const sorted = Array.from(d.testSourceIndex).sort((a, b) => a - b);
    expect(Array.from(d.testSourceIndex)).not.toEqual(sorted);
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const again = mnistFromBinary(readMnist(), 42);
    expect(again.trainSourceIndex).toEqual(d.trainSourceIndex);
    expect(again.testSourceIndex).toEqual(d.testSourceIndex);
    expect(sameBits(again.trainX, d.trainX)).toBe(true);
    expect(sameBits(again.testX, d.testX)).toBe(true);
    expect(again.testY).toEqual(d.testY);
    const other = loadMnistDataset(43);
    expect(other.testSourceIndex).not.toEqual(d.testSourceIndex);
    const inOther = new Set(other.testSourceIndex);
    const overlap = Array.from(d.testSourceIndex).filter((i) => inOther.has(i)).length;
    expect(overlap).toBeLessThan(600); // ~20% of 2000 expected by chance
  });

  it('pins the split of seed 0 (replays must not drift)', () => {
    const d0 = mnistFromBinary(buffer, 0);
    let hash = 0;
    for (const i of d0.testSourceIndex) hash = (Math.imul(hash, 31) + i) >>> 0;
    expect({ first: Array.from(d0.testSourceIndex.subarray(0, 5)), hash }).toMatchInlineSnapshot(`
      {
        "first": [
          9067,
          8008,
          6455,
          2872,
          6182,
        ],
        "hash": 3936815699,
      }
    `);
  });
});
