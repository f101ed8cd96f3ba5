import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config';
import { Lockstep, measureBoth } from './lockstep';
import * as tf from '../tf';
import { tinyDataset, useCpuBackend } from './testing';
import { isDivergence, Trainer } from './trainer';

beforeAll(useCpuBackend);

const pair = (a: Partial<Config>, b: Partial<Config>) => {
  const data = tinyDataset(64, 10, 3);
  const ta = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...a }).config, data);
  const tb = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...b }).config, data);
  ta.batchLog = [];
  tb.batchLog = [];
  return { ta, tb, lockstep: new Lockstep(ta, tb) };
};

describe('lockstep comparison', () => {
  it('both runs see identical batches and start from the same weights', async () => {
    const { ta, tb, lockstep } = pair({ weightDecay: 0 }, { weightDecay: 0.05 });
    expect(await ta.model.params[0].variable.data()).toEqual(await tb.model.params[0].variable.data());
    lockstep.train(30);
    expect(ta.batchLog!.map((b) => Array.from(b))).toEqual(tb.batchLog!.map((b) => Array.from(b)));
    expect([ta.step, tb.step]).toEqual([30, 30]);
    expect(await ta.model.params[0].variable.data()).not.toEqual(await tb.model.params[0].variable.data()); // lambda differs
    ta.dispose(); tb.dispose();
  });

  it('with different batch sizes the smaller batch is the start of the larger, and epochs count each run\'s own samples', () => {
    const { ta, tb, lockstep } = pair({ batchSize: 4 }, { batchSize: 16 });
    lockstep.train(8);
    ta.batchLog!.forEach((small, i) => expect(Array.from(small)).toEqual(Array.from(tb.batchLog![i].subarray(0, 4))));
    expect(ta.epoch).toBeCloseTo((8 * 4) / 64, 12);
    expect(tb.epoch).toBeCloseTo((8 * 16) / 64, 12);
    ta.dispose(); tb.dispose();
  });

  it('without a partner, a run trains exactly as alone (lockstep changes nothing about one run)', async () => {
    const { ta, lockstep } = pair({}, {});
    lockstep.train(10);
    const solo = new Trainer(ta.config, ta.data);
    solo.train(10);
    expect(await solo.model.params[0].variable.data()).toEqual(await ta.model.params[0].variable.data());
    ta.dispose(); solo.dispose();
  });

  it('a diverging comparison run stops both, and the reason says it was the comparison', async () => {
    const { ta, tb, lockstep } = pair({}, { learningRate: 2 });
    const before = await measureBoth(ta, tb);
    expect(isDivergence(before)).toBe(false); // step 0: nothing trained yet
    tb.model.params[0].variable.assign(tf.fill(tb.model.params[0].variable.shape, 1e30)); // the partner blows up
    lockstep.train(3);
    const after = await measureBoth(ta, tb);
    expect(isDivergence(after) && after.reason).toMatch(/^Comparison run: Training diverged/);
    ta.dispose(); tb.dispose();
  });
});
