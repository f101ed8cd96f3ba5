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
  const main = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...a }).config, data, engine);
  const comparison = new Trainer(parseConfig({ depth: 2, width: 8, seed: 4, ...b }).config, data, engine);
  main.batchLog = [];
  comparison.batchLog = [];
  return { main, comparison, lockstep: new Lockstep(main, comparison) };
};

describe.each(ENGINE_NAMES)('lockstep comparison (%s engine)', (engine) => {
  it('both runs see identical batches and start from the same weights', async () => {
    const { main, comparison, lockstep } = pair(engine, { weightDecay: 0 }, { weightDecay: 0.05 });
    expect(await firstWeights(main)).toEqual(await firstWeights(comparison));
    lockstep.train(30);
    expect(main.batchLog!.map((b) => Array.from(b))).toEqual(comparison.batchLog!.map((b) => Array.from(b)));
    expect([main.step, comparison.step]).toEqual([30, 30]);
    expect(await firstWeights(main)).not.toEqual(await firstWeights(comparison)); // lambda differs
    main.dispose(); comparison.dispose();
  });

  it('with different batch sizes the smaller batch is the start of the larger, and epochs count each run\'s own samples', () => {
    const { main, comparison, lockstep } = pair(engine, { batchSize: 4 }, { batchSize: 16 });
    lockstep.train(8);
    main.batchLog!.forEach((small, i) => expect(Array.from(small)).toEqual(Array.from(comparison.batchLog![i].subarray(0, 4))));
    expect(main.epoch).toBeCloseTo((8 * 4) / 64, 12);
    expect(comparison.epoch).toBeCloseTo((8 * 16) / 64, 12);
    main.dispose(); comparison.dispose();
  });

  it('without a comparison run, a run trains exactly as alone (lockstep changes nothing about one run)', async () => {
    const { main, lockstep } = pair(engine, {}, {});
    lockstep.train(10);
    const solo = new Trainer(main.config, main.data, engine);
    solo.train(10);
    expect(await firstWeights(solo)).toEqual(await firstWeights(main));
    main.dispose(); solo.dispose();
  });

  it('a diverging comparison run stops both, and the reason says it was the comparison', async () => {
    const { main, comparison, lockstep } = pair(engine, {}, { learningRate: 2 });
    const before = await measureBoth(main, comparison);
    expect(isDivergence(before)).toBe(false); // step 0: nothing trained yet
    blowUp(comparison); // the comparison run blows up
    lockstep.train(3);
    const after = await measureBoth(main, comparison);
    expect(isDivergence(after) && after.reason).toMatch(/^Comparison run: Training diverged/);
    expect(isDivergence(after) && after.reason).not.toMatch(/lower|again/i); // facts only: the page and the CLI each say what to do
    main.dispose(); comparison.dispose();
  });
});
