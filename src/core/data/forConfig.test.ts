import { describe, expect, it, vi } from 'vitest';
import { readMnist } from '../../node/mnistFile';
import { assertValidDataset, type Dataset } from './dataset';
import { datasetFor } from './forConfig';

describe('datasetFor', () => {
  it('loads MNIST through the given loader', async () => {
    const loader = vi.fn(async () => readMnist());
    const d = await datasetFor('mnist', 3, loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(d.name).toBe('mnist');
    expect(d.testY.length).toBe(2000);
  });

  it('generates the teacher without touching the loader', async () => {
    const loader = vi.fn(async () => new ArrayBuffer(0));
    const d = await datasetFor('teacher', 3, loader);
    expect(loader).not.toHaveBeenCalled();
    expect(d.name).toBe('teacher');
  });
});

describe('assertValidDataset', () => {
  const good = (): Dataset => ({
    name: 'teacher',
    inputShape: [2, 1, 1],
    numClasses: 3,
    trainX: new Float32Array(4),
    trainY: Int32Array.from([0, 2]),
    testX: new Float32Array(2),
    testY: Int32Array.from([1]),
    trainSourceIndex: Int32Array.from([0, 1]),
    testSourceIndex: Int32Array.from([2]),
  });
  it('accepts consistent arrays and rejects inconsistent ones', () => {
    expect(() => assertValidDataset(good())).not.toThrow();
    expect(() => assertValidDataset({ ...good(), trainX: new Float32Array(3) })).toThrow(/trainX has 3 values/);
    expect(() => assertValidDataset({ ...good(), testY: Int32Array.from([3]) })).toThrow(/testY\[0\] = 3/);
    expect(() => assertValidDataset({ ...good(), testSourceIndex: new Int32Array(0) })).toThrow(/testSourceIndex/);
  });
});
