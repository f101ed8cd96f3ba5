import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config';
import { Lockstep, measureBoth } from './lockstep';
import { ENGINE_NAMES, type EngineName } from '../engine/engine';
import { prepareKernels } from '../engine/simd/kernels';
import { blowUp, firstWeights, tinyDataset, useCpuBackend } from './testing';
import { isDivergence, Trainer } from './trainer';

beforeAll(async () => { await useCpuBackend(); await prepareKernels(); });

const pair = (engine: EngineName, a: Partial<Config>, b: Partial<Config>) => {
  const data = tinyDataset(64, 10, 3);
  const ta = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...a }).config, data, engine);
  const tb = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...b }).config, data, engine);
  ta.batchLog = [];
  tb.batchLog = [];
  return { ta, tb, lockstep: new Lockstep(ta, tb) };
};

describe.each(ENGINE_NAMES)('lockstep comparison (%s engine)', (engine) => {
  it('both runs see identical batches and start from the same weights', async () => {
    const { ta, tb, lockstep } = pair(engine, { weightDecay: 0 }, { weightDecay: 0.05 });
    expect(await firstWeights(ta)).toEqual(await firstWeights(tb));
    lockstep.train(30);
    expect(ta.batchLog!.map((b) => Array.from(b))).toEqual(tb.batchLog!.map((b) => Array.from(b)));
    expect([ta.step, tb.step]).toEqual([30, 30]);
    expect(await firstWeights(ta)).not.toEqual(await firstWeights(tb)); // lambda differs
    ta.dispose(); tb.dispose();
  });

  it('with different batch sizes the smaller batch is the start of the larger, and epochs count each run\'s own samples', () => {
    const { ta, tb, lockstep } = pair(engine, { batchSize: 4 }, { batchSize: 16 });
    lockstep.train(8);
    ta.batchLog!.forEach((small, i) => expect(Array.from(small)).toEqual(Array.from(tb.batchLog![i].subarray(0, 4))));
    expect(ta.epoch).toBeCloseTo((8 * 4) / 64, 12);
    expect(tb.epoch).toBeCloseTo((8 * 16) / 64, 12);
    ta.dispose(); tb.dispose();
  });

  it('without a comparison run, a run trains exactly as alone (lockstep changes nothing about one run)', async () => {
    const { ta, lockstep } = pair(engine, {}, {});
    lockstep.train(10);
    const solo = new Trainer(ta.config, ta.data, engine);
    solo.train(10);
    expect(await firstWeights(solo)).toEqual(await firstWeights(ta));
    ta.dispose(); solo.dispose();
  });

  it('a diverging comparison run stops both, and the reason says it was the comparison', async () => {
    const { ta, tb, lockstep } = pair(engine, {}, { learningRate: 2 });
    const before = await measureBoth(ta, tb);
    expect(isDivergence(before)).toBe(false); // step 0: nothing trained yet
    blowUp(tb); // the comparison run blows up
    lockstep.train(3);
    const after = await measureBoth(ta, tb);
    expect(isDivergence(after) && after.reason).toMatch(/^Comparison run: Training diverged/);
    ta.dispose(); tb.dispose();
  });
});
