import { SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertValidDataset, type Dataset } from './dataset';
import {
  TEACHER_HIDDEN,
  TEACHER_RANK,
  balancingBias,
  teacherDataset,
  teacherHiddenMatrix,
  teacherLabels,
  teacherRawLogits,
  teacherWeights,
} from './teacher';

/** Bit-for-bit equality of typed arrays (vitest's deep equality is slow on millions of elements). */
const sameBits = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const classCounts = (ys: Int32Array[]) => {
  const counts = new Array(10).fill(0);
  for (const y of ys) for (const c of y) counts[c]++;
  return counts;
};

describe('teacherDataset', () => {
  let d: Dataset;
  beforeAll(() => { d = teacherDataset(7); });

  it('has the MNIST shapes and 8000/2000 examples', () => {
    expect(d.name).toBe('teacher');
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.numClasses).toBe(10);
    expect(d.trainX.length).toBe(8000 * 784);
    expect(d.testX.length).toBe(2000 * 784);
    expect(d.trainY.length).toBe(8000);
    expect(d.testY.length).toBe(2000);
    expect(Array.from(d.trainSourceIndex)).toEqual(Array.from({ length: 8000 }, (_, i) => i));
    expect(Array.from(d.testSourceIndex)).toEqual(Array.from({ length: 2000 }, (_, i) => 8000 + i));
    assertValidDataset(d);
  });

  it('has standard normal inputs', () => {
    let sum = 0, sq = 0;
    for (const v of d.trainX) { sum += v; sq += v * v; }
    const n = d.trainX.length;
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.01);
  });

  it('labels are in range, every class present and roughly balanced', () => {
    for (const y of [...d.trainY, ...d.testY]) expect(y >= 0 && y < 10).toBe(true);
    const all = classCounts([d.trainY, d.testY]);
    for (const n of all) expect(Math.abs(n - 1000)).toBeLessThanOrEqual(100);
    for (const n of classCounts([d.testY])) expect(n).toBeGreaterThan(100);
  });

  it('is balanced for other seeds too', () => {
    for (const seed of [0, 1, 2, 123456789]) {
      const other = teacherDataset(seed);
      for (const n of classCounts([other.trainY, other.testY])) expect(Math.abs(n - 1000)).toBeLessThanOrEqual(100);
    }
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const again = teacherDataset(7);
    expect(sameBits(again.trainX, d.trainX)).toBe(true);
    expect(sameBits(again.testX, d.testX)).toBe(true);
    expect(again.trainY).toEqual(d.trainY);
    expect(again.testY).toEqual(d.testY);
    const other = teacherDataset(8);
    expect(other.trainX.subarray(0, 100)).not.toEqual(d.trainX.subarray(0, 100));
    let same = 0;
    for (let i = 0; i < 2000; i++) if (other.testY[i] === d.testY[i]) same++;
    expect(same).toBeLessThan(400);
  });

  it('labels are the balanced argmax of the teacher logits', () => {
    const w = teacherWeights(7);
    const x = new Float32Array(10000 * 784);
    x.set(d.trainX);
    x.set(d.testX, 8000 * 784);
    const logits = teacherRawLogits(w, x);
    const y = teacherLabels(logits, balancingBias(logits, 10000));
    expect(y.subarray(0, 8000)).toEqual(d.trainY);
    expect(y.subarray(8000)).toEqual(d.testY);
  });

  it('labels depend only on the 4 planted directions', () => {
    // 1-nearest-neighbour in the 4-d projection Vᵀx recovers the labels well;
    // in 4 random directions it is near chance.
    const w = teacherWeights(7);
    const project = (x: Float32Array, v: Float64Array) => {
      const n = x.length / 784;
      const z = new Float64Array(n * 4);
      for (let e = 0; e < n; e++) for (let i = 0; i < 784; i++) for (let j = 0; j < 4; j++) z[e * 4 + j] += v[i * 4 + j] * x[e * 784 + i];
      return z;
    };
    const nnAccuracy = (v: Float64Array) => {
      const ztr = project(d.trainX, v), zte = project(d.testX, v);
      let correct = 0;
      for (let t = 0; t < 500; t++) {
        let best = Infinity, label = -1;
        for (let e = 0; e < 8000; e++) {
          let dist = 0;
          for (let j = 0; j < 4; j++) dist += (zte[t * 4 + j] - ztr[e * 4 + j]) ** 2;
          if (dist < best) { best = dist; label = d.trainY[e]; }
        }
        if (label === d.testY[t]) correct++;
      }
      return correct / 500;
    };
    expect(nnAccuracy(w.v)).toBeGreaterThan(0.85);
    expect(nnAccuracy(teacherWeights(999).v)).toBeLessThan(0.2);
  });
});

describe('teacherWeights', () => {
  it('plants a first layer of rank exactly 4', () => {
    const w = teacherWeights(7);
    expect(w.u.length).toBe(TEACHER_HIDDEN * TEACHER_RANK);
    expect(w.v.length).toBe(784 * TEACHER_RANK);
    expect(w.w2.length).toBe(10 * TEACHER_HIDDEN);
    // V has orthonormal columns.
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) {
      let dot = 0;
      for (let i = 0; i < 784; i++) dot += w.v[i * 4 + a] * w.v[i * 4 + b];
      expect(dot).toBeCloseTo(a === b ? 1 : 0, 10);
    }
    const a = teacherHiddenMatrix(w);
    const rows = Array.from({ length: TEACHER_HIDDEN }, (_, h) => Array.from(a.subarray(h * 784, (h + 1) * 784)));
    const s = new SingularValueDecomposition(rows, { autoTranspose: true }).diagonal.sort((p, q) => q - p);
    expect(s[3] / s[0]).toBeGreaterThan(1e-2);
    expect(s[4] / s[0]).toBeLessThan(1e-10);
    expect(teacherWeights(7)).toEqual(w);
  });
});
