import * as tf from '../tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { Sgd } from './sgd';
import { Trainer } from './trainer';
import { tinyDataset, useCpuBackend } from './testing';
import { ENGINE_NAMES } from '../engine/engine';
import { prepareKernels } from '../engine/simd/kernels';

beforeAll(async () => { await useCpuBackend(); await prepareKernels(); });

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `index ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i])));
};

describe('the update rule W <- (1 - 2 mu lambda) W - mu G', () => {
  const w0 = [0.5, -1.25, 2, 0.125];
  const g = [0.1, 0.2, -0.3, 0.4];

  it.each([
    [0.1, 0.01],
    [0.5, 0],
    [1, 0.25],
  ])('plain SGD, mu=%f lambda=%f', (mu, lambda) => {
    const w = tf.variable(tf.tensor1d(w0));
    new Sgd([w]).apply([tf.tensor1d(g)], { learningRate: mu, weightDecay: lambda, momentum: 0 });
    close(w.dataSync(), w0.map((x, i) => (1 - 2 * mu * lambda) * x - mu * g[i]));
    w.dispose();
  });

  it('momentum follows torch.optim.SGD with weight_decay = 2*lambda', () => {
    const mu = 0.1, lambda = 0.05, m = 0.9;
    const w = tf.variable(tf.tensor1d(w0));
    const sgd = new Sgd([w]);
    const g2 = [-0.2, 0.05, 0.3, 0];
    // Hand computation in float64.
    let W = [...w0];
    const d1 = W.map((x, i) => g[i] + 2 * lambda * x);
    let v = d1;
    W = W.map((x, i) => x - mu * v[i]);
    const d2 = W.map((x, i) => g2[i] + 2 * lambda * x);
    v = v.map((b, i) => m * b + d2[i]);
    W = W.map((x, i) => x - mu * v[i]);
    sgd.apply([tf.tensor1d(g)], { learningRate: mu, weightDecay: lambda, momentum: m });
    sgd.apply([tf.tensor1d(g2)], { learningRate: mu, weightDecay: lambda, momentum: m });
    close(w.dataSync(), W);
    sgd.dispose();
    w.dispose();
  });
});

describe.each(ENGINE_NAMES)('a full training step on a tiny network, against a hand-computed gradient (%s engine)', (engine) => {
  // Depth 1 = softmax regression: logits = x W + b, dL/dW = x^T (softmax - y) / B.
  it.each([[0.3, 0.05], [0.3, 0]])('mu=%f lambda=%f', async (mu, lambda) => {
    const data = tinyDataset(4, 3, 2);
    const config = parseConfig({ model: 'mlp', depth: 1, batchNorm: false, learningRate: mu, weightDecay: lambda, batchSize: 4, seed: 9 }).config;
    const trainer = new Trainer(config, data, engine);
    const [w0, b0] = await trainer.readTensors();
    const W = Array.from(w0.data); // [3 in, 2 out]
    const b = Array.from(b0.data);
    const batch = Int32Array.from([0, 1, 2, 3]);
    const gW = [0, 0, 0, 0, 0, 0], gb = [0, 0];
    for (const s of batch) {
      const x = Array.from(data.trainX.slice(s * 3, s * 3 + 3));
      const z = [0, 1].map((o) => b[o] + x.reduce((acc, xi, i) => acc + xi * W[i * 2 + o], 0));
      const mx = Math.max(...z);
      const e = z.map((zi) => Math.exp(zi - mx));
      const p = e.map((ei) => ei / (e[0] + e[1]));
      const delta = p.map((pi, o) => (pi - (data.trainY[s] === o ? 1 : 0)) / batch.length);
      for (let i = 0; i < 3; i++) for (let o = 0; o < 2; o++) gW[i * 2 + o] += x[i] * delta[o];
      for (let o = 0; o < 2; o++) gb[o] += delta[o];
    }
    trainer.trainOneStep(batch);
    const rho = 1 - 2 * mu * lambda;
    const [w1, b1] = await trainer.readTensors();
    close(w1.data, W.map((w, i) => rho * w - mu * gW[i]), 1e-5);
    close(b1.data, b.map((x, i) => rho * x - mu * gb[i]), 1e-5);
    trainer.dispose();
  });
});
