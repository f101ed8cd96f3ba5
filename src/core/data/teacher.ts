// Synthetic classification with a planted low-rank teacher: no file needed,
// everything is generated from the seed. Pure TS (runs in a worker and in Node).
//
// Teacher (TEACHER_RANK = 4, TEACHER_HIDDEN = 64, 784 inputs, 10 classes):
//   logits(x) = W2 · relu(A x) - b,   A = U Vᵀ,   label = argmax_c logits_c
// with, from createRandom(seed, 'teacher-weights'), drawn in this order:
//   V  [784 × 4]  i.i.d. N(0,1), then columns orthonormalised (Gram-Schmidt), so Vᵀx ~ N(0, I₄);
//   U  [64 × 4]   i.i.d. N(0,1);
//   W2 [10 × 64]  i.i.d. N(0, 1/64).
// A therefore has rank exactly 4: the labels depend on x only through the
// 4-dimensional projection Vᵀx, which is the low-rank structure SGD + weight
// decay should find.
//
// Inputs: 10,000 vectors x ~ N(0, I₇₈₄) (shape [28,28,1] so the MNIST models
// work unchanged) from createRandom(seed, 'teacher-inputs'), drawn example after
// example, coordinate after coordinate, stored as float32; the teacher is
// evaluated on the stored float32 values. The first 8000 are the train set
// (source index 0..7999), the last 2000 the test set (8000..9999).
//
// Class balance: b is an output bias fitted on all 10,000 examples
// (balancingBias). It starts at the per-class mean raw logit, which alone still
// leaves class shares anywhere between 0.1% and 32% (the hidden activations are
// non-negative, so W2 rows aligned with them dominate), and is then nudged
// deterministically until every class holds 10% ± 1 percentage point of the
// examples (TEACHER_BALANCE_TOLERANCE).
// The labels are y = argmax_c (W2·relu(U Vᵀ x) - b)_c.

import { createRandom } from '../random';
import type { Dataset } from './dataset';

export const TEACHER_RANK = 4;
export const TEACHER_HIDDEN = 64;
export const TEACHER_INPUT_SHAPE: [number, number, number] = [28, 28, 1];
export const TEACHER_INPUT_SIZE = 784;
export const TEACHER_NUM_CLASSES = 10;
export const TEACHER_TRAIN_SIZE = 8000;
export const TEACHER_TEST_SIZE = 2000;

export interface TeacherWeights {
  /** [784 × 4] row-major, orthonormal columns. */
  v: Float64Array;
  /** [64 × 4] row-major. */
  u: Float64Array;
  /** [10 × 64] row-major. */
  w2: Float64Array;
}

/** The planted teacher network for `seed` (without the data-dependent output bias b). */
export function teacherWeights(seed: number): TeacherWeights {
  const r = createRandom(seed, 'teacher-weights');
  const n = TEACHER_INPUT_SIZE;
  const k = TEACHER_RANK;
  const v = new Float64Array(n * k);
  for (let i = 0; i < v.length; i++) v[i] = r.normal();
  // Modified Gram-Schmidt on the columns of V.
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i * k + j] * v[i * k + p];
      for (let i = 0; i < n; i++) v[i * k + j] -= dot * v[i * k + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i * k + j] /= norm;
  }
  const u = new Float64Array(TEACHER_HIDDEN * k);
  for (let i = 0; i < u.length; i++) u[i] = r.normal();
  const w2 = new Float64Array(TEACHER_NUM_CLASSES * TEACHER_HIDDEN);
  const scale = 1 / Math.sqrt(TEACHER_HIDDEN);
  for (let i = 0; i < w2.length; i++) w2[i] = r.normal() * scale;
  return { v, u, w2 };
}

/** The first-layer teacher matrix A = U Vᵀ, [64 × 784] row-major; rank TEACHER_RANK. */
export function teacherHiddenMatrix(w: TeacherWeights): Float64Array {
  const k = TEACHER_RANK;
  const n = TEACHER_INPUT_SIZE;
  const a = new Float64Array(TEACHER_HIDDEN * n);
  for (let h = 0; h < TEACHER_HIDDEN; h++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += w.u[h * k + j] * w.v[i * k + j];
      a[h * n + i] = s;
    }
  }
  return a;
}

/** Raw teacher logits W2·relu(U Vᵀ x) for row-major inputs x [count × 784] → [count × 10]. */
export function teacherRawLogits(w: TeacherWeights, x: Float32Array): Float64Array {
  const n = TEACHER_INPUT_SIZE;
  const k = TEACHER_RANK;
  const H = TEACHER_HIDDEN;
  const C = TEACHER_NUM_CLASSES;
  const count = x.length / n;
  const out = new Float64Array(count * C);
  const z = new Float64Array(k);
  const hidden = new Float64Array(H);
  for (let e = 0; e < count; e++) {
    z.fill(0);
    const base = e * n;
    for (let i = 0; i < n; i++) {
      const xi = x[base + i];
      for (let j = 0; j < k; j++) z[j] += w.v[i * k + j] * xi;
    }
    for (let h = 0; h < H; h++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += w.u[h * k + j] * z[j];
      hidden[h] = s > 0 ? s : 0;
    }
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let h = 0; h < H; h++) s += w.w2[c * H + h] * hidden[h];
      out[e * C + c] = s;
    }
  }
  return out;
}

/** Argmax over classes of logits[e] - bias for each example e. */
export function teacherLabels(logits: Float64Array, bias: Float64Array): Int32Array {
  const C = bias.length;
  const count = logits.length / C;
  const y = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < C; c++) {
      const value = logits[e * C + c] - bias[c];
      if (value > bestValue) { bestValue = value; best = c; }
    }
    y[e] = best;
  }
  return y;
}

/** Classes may end up between these fractions of count/numClasses examples. */
export const TEACHER_BALANCE_TOLERANCE = 0.1;
const BALANCE_MAX_ITERATIONS = 2000;

/**
 * Output offsets b that make the classes of argmax(logits - b) nearly balanced.
 * Start: b_c = mean raw logit of class c. Then, deterministically, repeat
 * b_c += step * (n_c / target - 1) (n_c = examples labelled c, target =
 * count / numClasses, step = 0.5 · overall std of centred logits, shrinking as
 * 1/(1 + t/100)) until every n_c is within ±TEACHER_BALANCE_TOLERANCE of target,
 * or after BALANCE_MAX_ITERATIONS rounds (keeping the best b seen).
 */
export function balancingBias(logits: Float64Array, count: number): Float64Array {
  const C = logits.length / count;
  const bias = new Float64Array(C);
  for (let e = 0; e < count; e++) for (let c = 0; c < C; c++) bias[c] += logits[e * C + c];
  for (let c = 0; c < C; c++) bias[c] /= count;
  let variance = 0;
  for (let e = 0; e < count; e++) for (let c = 0; c < C; c++) variance += (logits[e * C + c] - bias[c]) ** 2;
  const scale = Math.sqrt(variance / (count * C)) || 1;
  const target = count / C;
  const counts = new Float64Array(C);
  let best = bias.slice();
  let bestError = Infinity;
  for (let t = 0; t < BALANCE_MAX_ITERATIONS; t++) {
    counts.fill(0);
    const y = teacherLabels(logits, bias);
    for (let e = 0; e < count; e++) counts[y[e]]++;
    let error = 0;
    for (let c = 0; c < C; c++) error = Math.max(error, Math.abs(counts[c] / target - 1));
    if (error < bestError) { bestError = error; best = bias.slice(); }
    if (error <= TEACHER_BALANCE_TOLERANCE) break;
    const step = (0.5 * scale) / (1 + t / 100);
    for (let c = 0; c < C; c++) bias[c] += step * (counts[c] / target - 1);
  }
  return best;
}

/** The planted-low-rank-teacher Dataset for `seed` (8000 train / 2000 test). */
export function teacherDataset(seed: number): Dataset {
  const n = TEACHER_INPUT_SIZE;
  const C = TEACHER_NUM_CLASSES;
  const total = TEACHER_TRAIN_SIZE + TEACHER_TEST_SIZE;
  const weights = teacherWeights(seed);

  const r = createRandom(seed, 'teacher-inputs');
  const x = new Float32Array(total * n);
  for (let i = 0; i < x.length; i++) x[i] = r.normal();

  const logits = teacherRawLogits(weights, x);
  const bias = balancingBias(logits, total);
  const y = teacherLabels(logits, bias);

  const split = TEACHER_TRAIN_SIZE;
  const trainSourceIndex = new Int32Array(TEACHER_TRAIN_SIZE);
  for (let i = 0; i < TEACHER_TRAIN_SIZE; i++) trainSourceIndex[i] = i;
  const testSourceIndex = new Int32Array(TEACHER_TEST_SIZE);
  for (let i = 0; i < TEACHER_TEST_SIZE; i++) testSourceIndex[i] = split + i;
  return {
    name: 'teacher',
    inputShape: [...TEACHER_INPUT_SHAPE],
    numClasses: C,
    // slice() copies, so the train and test arrays own compact buffers (transferable separately).
    trainX: x.slice(0, split * n),
    trainY: y.slice(0, split),
    testX: x.slice(split * n),
    testY: y.slice(split),
    trainSourceIndex,
    testSourceIndex,
  };
}
