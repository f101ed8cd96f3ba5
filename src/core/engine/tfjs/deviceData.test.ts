import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../tf';
import { parseConfig } from '../../config';
import { teacherDataset } from '../../data/teacher';
import { TrainingRun } from '../../train/trainingRun';
import { useCpuBackend } from '../../train/testing';

beforeAll(useCpuBackend);

describe('the data set on the tfjs backend', () => {
  it('is uploaded once for a run and its lockstep comparison, and freed with the last of them', async () => {
    const data = teacherDataset(1);
    const config = parseConfig({ dataset: 'teacher', width: 16, depth: 2 }).config;
    const dataBytes = 4 * (data.trainX.length + data.testX.length + data.trainY.length * data.numClasses + data.testY.length);
    const baseline = tf.memory().numBytes;
    const single = TrainingRun.build(config, data, 'tfjs');
    const oneRun = tf.memory().numBytes - baseline;
    expect(oneRun).toBeGreaterThan(dataBytes); // the data and one network
    const paired = TrainingRun.build(config, data, 'tfjs', { weightDecay: 0 });
    // Two more networks, but no more data: the comparison shares the run's tensors (and single's).
    expect(tf.memory().numBytes - baseline - oneRun).toBeLessThan(2 * (oneRun - dataBytes) + 1024);
    paired.train(3);
    single.dispose();
    expect(tf.memory().numBytes - baseline).toBeGreaterThan(dataBytes); // still in use by the pair
    paired.dispose();
    expect(tf.memory().numBytes).toBe(baseline);
  });
});
