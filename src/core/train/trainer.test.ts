import * as tf from '../tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config';
import { teacherDataset } from '../data/teacher';
import { loadMnistDataset } from '../../node/mnistFile';
import { runToCompletion } from './run';
import { TrainingRun } from './trainingRun';
import { scheduledLearningRate, Trainer } from './trainer';
import { blowUp, firstWeights, snapshotOf, tinyDataset, useCpuBackend } from './testing';
import { ENGINE_NAMES } from '../engine/engine';
import { prepareKernels } from '../engine/simd/kernels';

beforeAll(async () => { await useCpuBackend(); await prepareKernels(); });

const config = (o: Partial<Config>) => parseConfig(o).config;

describe('Trainer on tfjs', () => {
  it('does not leak tensors over 500 steps and snapshots (MLP with BatchNorm and momentum, and CNN)', async () => {
    for (const c of [
      config({ model: 'mlp', depth: 3, width: 8, batchNorm: true, momentum: 0.9, batchSize: 4 }),
      config({ model: 'cnn', depth: 2, width: 2, batchNorm: true, batchSize: 2 }),
    ]) {
      const data = c.model === 'cnn' ? teacherDataset(1) : tinyDataset(64, 10, 3);
      const trainer = new Trainer(c, data);
      trainer.train(5);
      await trainer.snapshot();
      const before = tf.memory().numTensors;
      for (let i = 0; i < (c.model === 'cnn' ? 2 : 10); i++) {
        trainer.train(c.model === 'cnn' ? 25 : 50);
        trainer.adjust({ batchSize: 2 + (i % 3), learningRate: 0.05 });
        await trainer.snapshot();
      }
      expect(tf.memory().numTensors, c.model).toBe(before);
      const held = tf.memory().numTensors;
      trainer.dispose();
      expect(tf.memory().numTensors).toBeLessThan(held);
    }
  });
});

describe.each(ENGINE_NAMES)('Trainer (%s engine)', (engine) => {
  it('same seed, same run; another seed, another run', async () => {
    const data = tinyDataset(64, 10, 3);
    const finalWeights = async (seed: number) => {
      const t = new Trainer(config({ depth: 3, width: 8, seed }), data, engine);
      t.train(40);
      const w = Array.from(await firstWeights(t));
      t.dispose();
      return w;
    };
    const a = await finalWeights(4);
    expect(await finalWeights(4)).toEqual(a);
    expect(await finalWeights(5)).not.toEqual(a);
  });

  it('learns: the training loss falls and test accuracy beats chance on MNIST', async () => {
    const trainer = new Trainer(config({ depth: 2, width: 32, batchSize: 16, learningRate: 0.05, weightDecay: 0, steps: 300, snapshotEvery: 100 }), loadMnistDataset(2), engine);
    const { snapshots } = await runToCompletion(new TrainingRun(trainer));
    const losses = snapshots.slice(1).map((s) => s.trainLoss);
    expect(losses[losses.length - 1]).toBeLessThan(0.7 * losses[0]);
    expect(snapshots[snapshots.length - 1].testAccuracy).toBeGreaterThan(0.7);
    trainer.dispose();
  });

  it('changes mu, lambda and B between two steps without a reset', async () => {
    const trainer = new Trainer(config({ depth: 2, width: 8, batchSize: 4 }), tinyDataset(64, 10, 3), engine);
    trainer.train(10);
    trainer.adjust({ learningRate: 0.02, weightDecay: 0, batchSize: 16 });
    trainer.train(10);
    const s = await snapshotOf(trainer);
    expect([s.step, s.learningRate, s.weightDecay, s.batchSize]).toEqual([20, 0.02, 0, 16]);
    expect(trainer.samplesSeen).toBe(10 * 4 + 10 * 16);
    expect(trainer.epoch).toBeCloseTo((10 * 4 + 10 * 16) / 64, 12);
    trainer.dispose();
  });

  it('stops with a clear reason when the loss becomes NaN', async () => {
    const trainer = new Trainer(config({ depth: 3, width: 16, learningRate: 2, momentum: 0.99, weightDecay: 0 }), tinyDataset(64, 10, 3), engine);
    blowUp(trainer);
    const { divergence, snapshots } = await runToCompletion(new TrainingRun(trainer));
    expect(divergence?.reason).toMatch(/diverged.*(NaN|infinite)/);
    expect(snapshots.every((s) => Number.isFinite(s.trainLoss) || s.step === 0)).toBe(true);
    trainer.dispose();
  });

  it('applies the step schedule', () => {
    const c = { lrSchedule: 'step' as const, lrDecaySteps: [10, 20], lrDecayFactor: 0.2 };
    expect([0, 9, 10, 19, 20, 99].map((s) => scheduledLearningRate(c, 1, s))).toEqual([1, 1, 0.2, 0.2, 0.2 * 0.2, 0.2 * 0.2]);
    expect(scheduledLearningRate({ ...c, lrSchedule: 'constant' }, 1, 50)).toBe(1);
  });

  it('reports every weight matrix in the paper\'s orientation', async () => {
    const mlp = new Trainer(config({ depth: 3, width: 8 }), tinyDataset(16, 10, 3), engine);
    const s = await snapshotOf(mlp);
    expect(s.layers.map((l) => l.shape)).toEqual([[8, 10], [8, 8], [3, 8]]);
    mlp.dispose();
    const cnn = new Trainer(config({ model: 'cnn', depth: 3, width: 4 }), teacherDataset(1), engine);
    const c = await snapshotOf(cnn);
    expect(c.layers.map((l) => [l.name, ...l.shape])).toEqual([['conv1', 4, 9], ['conv2', 4, 36], ['conv3', 4, 36], ['fc', 10, 64]]);
    expect(c.layers.every((l) => l.singularValues.length === Math.min(...l.shape))).toBe(true);
    cnn.dispose();
  });
});
