// The hand-derived step (RankLab's kernels, and the same math from tfjs ops) against
// tfjs' tape, on the CPU backend: same weights, BatchNorm statistics and losses.

import * as tf from '../../tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../config';
import type { Dataset } from '../../data/dataset';
import { architectureFor } from '../../models/architecture';
import { createRandom } from '../../random';
import { tinyDataset, useCpuBackend } from '../../train/testing';
import '@tensorflow/tfjs-backend-wasm';
import type { NamedTensor } from '../engine';
import { TfjsEngine } from './tfjsEngine';

beforeAll(useCpuBackend);

/** Small images with two channels and odd sides (7x9 -> 4x5 -> 2x3), so padding and strides are exercised. */
function imageDataset(n: number, classes: number): Dataset {
  const r = createRandom(5, 'images');
  const shape: [number, number, number] = [7, 9, 2];
  const make = () => Float32Array.from({ length: n * 7 * 9 * 2 }, () => r.normal());
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % classes);
  return {
    name: 'teacher', inputShape: shape, numClasses: classes, trainX: make(), trainY: labels, testX: make(), testY: labels,
    trainSourceIndex: Int32Array.from({ length: n }, (_, i) => i), testSourceIndex: Int32Array.from({ length: n }, (_, i) => i),
  };
}

/** Largest |a - ref| over the tensor, relative to its largest |ref| (a bias also to its layer's weights, as in the replay test). */
function worstRelative(a: NamedTensor[], ref: NamedTensor[]): { name: string; value: number } {
  const byName = new Map(ref.map((t) => [t.name, t.data]));
  const maxAbs = (d: Float32Array) => d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = { name: '', value: 0 };
  for (const t of a) {
    const r = byName.get(t.name)!;
    let scale = maxAbs(r);
    const weight = t.name.endsWith('.bias') ? byName.get(t.name.replace(/bias$/, 'weight')) : undefined;
    if (weight) scale = Math.max(scale, maxAbs(weight));
    let diff = 0;
    for (let i = 0; i < r.length; i++) diff = Math.max(diff, Math.abs(t.data[i] - r[i]));
    const value = diff / (scale || 1);
    if (!(value <= worst.value)) worst = { name: t.name, value };
  }
  return worst;
}

const CASES = (['mlp', 'mlp-bn', 'cnn', 'cnn-bn'] as const).flatMap((net) =>
  (['relu', 'tanh'] as const).flatMap((activation) => [0, 0.9].map((momentum) => ({ net, activation, momentum }))));

type Case = (typeof CASES)[number];

/** Four steps of both engines from the same weights on the same batches; the largest relative differences. */
async function compare({ net, activation, momentum }: Case, ops: 'auto' | 'kernels' | 'tfjs'): Promise<void> {
    const cnn = net.startsWith('cnn');
    const overrides: Partial<Config> = { model: cnn ? 'cnn' : 'mlp', depth: 3, width: cnn ? 4 : 16, activation, batchNorm: net.endsWith('bn'), momentum };
    const config = parseConfig(overrides).config;
    const data = cnn ? imageDataset(24, 3) : tinyDataset(48, 10, 3);
    const arch = architectureFor(config, data);
    const tape = new TfjsEngine(arch, data, { backward: 'tape' });
    const hand = new TfjsEngine(arch, data, { backward: 'hand', ops });
    const before = tf.memory().numTensors;
    const r = createRandom(9, 'batches');
    const losses: [number, number][] = [];
    for (let step = 0; step < 4; step++) {
      const batch = Int32Array.from({ length: step === 2 ? 5 : 8 }, () => Math.floor(r.uniform() * data.trainY.length));
      // A learning-rate and decay change mid-run, as the sliders do; decay 0 on one step.
      const h = { learningRate: step === 3 ? 0.05 : 0.1, weightDecay: step === 1 ? 0 : 0.02, momentum };
      tape.step(batch, h);
      hand.step(batch, h);
      losses.push([await hand.takeLossSum(), await tape.takeLossSum()]);
    }
    for (const [mine, ref] of losses) expect(Math.abs(mine - ref) / Math.abs(ref)).toBeLessThan(1e-5);
    const worst = worstRelative(await hand.readTensors(), await tape.readTensors());
    expect(worst.value, worst.name).toBeLessThan(1e-5);
    // The steps keep the momentum buffers and nothing else.
    const buffers = momentum > 0 ? 2 * arch.params.length : 0; // each engine's momentum buffers
    expect(tf.memory().numTensors - before).toBe(buffers);
    tape.dispose();
    hand.dispose();
}

describe.each(['kernels', 'tfjs'] as const)('hand-derived step with %s ops', (ops) => {
  it.each(CASES)('equals the tape step (1e-5 relative): $net $activation momentum $momentum', (c) => compare(c, ops));
});

describe('hand-derived step on tfjs\' WASM backend (kernels on the WebAssembly heap, untransposed XNNPACK products, col2im)', () => {
  beforeAll(async () => { await tf.setBackend('wasm'); await tf.ready(); });
  afterAll(useCpuBackend);
  it.each(CASES.filter((c) => c.activation === 'relu'))('equals the tape step: $net momentum $momentum', (c) => compare(c, 'auto'));
});

describe('hand-derived step', () => {
  it('issues a fraction of the tape\'s backend operations', async () => {
    const counts: Record<string, number> = {};
    for (const net of ['mlp', 'mlp-bn', 'cnn']) {
      const cnn = net === 'cnn';
      const config = parseConfig({ model: cnn ? 'cnn' : 'mlp', depth: 3, width: 4, batchNorm: net === 'mlp-bn' }).config;
      const data = cnn ? imageDataset(16, 3) : tinyDataset(16, 10, 3);
      for (const backward of ['tape', 'hand'] as const) {
        const engine = new TfjsEngine(architectureFor(config, data), data, { backward });
        counts[`${net} ${backward}`] = await engine.countDispatches(Int32Array.from([0, 1, 2, 3]), { learningRate: 0.1, weightDecay: 0.01, momentum: 0 });
        engine.dispose();
      }
      expect(counts[`${net} hand`]).toBeLessThan(counts[`${net} tape`] / 3);
    }
  });
});
