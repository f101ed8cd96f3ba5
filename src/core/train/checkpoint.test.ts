import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../config';
import { teacherDataset } from '../data/teacher';
import { ENGINE_NAMES, type EngineName } from '../engine/engine';
import { prepareKernels } from '../engine/simd/kernels';
import { checkCheckpoint, checkpointBuffers, type RunCheckpoint } from './checkpoint';
import { BatchSampler } from './sampler';
import { isDivergence } from './trainer';
import { TrainingRun } from './trainingRun';
import { tinyDataset, useCpuBackend } from './testing';

beforeAll(async () => { await useCpuBackend(); await prepareKernels(); });

const config = (o: Partial<Config>) => parseConfig(o).config;

/** The stretch after the cut (step 42): a live change on this side of it too. */
function trainAfterCut(run: TrainingRun) {
  run.train(8);
  run.adjust({ weightDecay: 0.03, learningRate: 0.08 });
  run.train(12);
}

async function tensorsOf(run: TrainingRun) {
  return Promise.all([run.main, run.comparison].filter((t) => t !== null).map((t) => t!.readTensors()));
}

describe('BatchSampler.skip', () => {
  it('goes on exactly as the sampler that drew those samples, whatever the batch sizes', () => {
    const drawn = new BatchSampler(50, 4);
    for (const B of [7, 30, 3, 64, 9]) drawn.next(B); // 113 samples, crossing two epochs
    const skipped = new BatchSampler(50, 4);
    skipped.skip(drawn.drawn);
    expect(drawn.drawn).toBe(113);
    expect(Array.from(skipped.next(120))).toEqual(Array.from(drawn.next(120)));
    expect(() => skipped.skip(10)).toThrow(/cannot resume/);
  });
});

describe('a run restored from a checkpoint', () => {
  const cases: { label: string; engine: EngineName; overrides: Partial<Config>; compare: Partial<Config> | null }[] = ENGINE_NAMES.flatMap((engine) => [
    { label: `${engine}: MLP with BatchNorm and momentum`, engine, overrides: { model: 'mlp', depth: 3, width: 12, batchNorm: true, momentum: 0.9, batchSize: 4, weightDecay: 0.01 }, compare: null },
    { label: `${engine}: lockstep comparison with a larger batch, no weight decay`, engine, overrides: { model: 'mlp', depth: 2, width: 10, batchSize: 4, weightDecay: 0.02 }, compare: { batchSize: 6, weightDecay: 0 } },
  ]);

  it.each(cases)('trains on bit for bit as the run it was taken from ($label)', async ({ engine, overrides, compare }) => {
    const data = tinyDataset(40, 8, 3);
    const c = config({ ...overrides, lrSchedule: 'step', lrDecaySteps: [45], lrDecayFactor: 0.5 });
    const straight = TrainingRun.build(c, data, engine, compare);
    straight.train(30);
    straight.adjust({ batchSize: 3, learningRate: 0.05 }); // a live change before the cut
    straight.train(10);
    await straight.capture(false);
    straight.train(2); // mid-interval: the loss so far goes with the checkpoint
    const checkpoint = checkCheckpoint(structuredClone(await straight.checkpoint())); // as IndexedDB stores it
    trainAfterCut(straight);

    const resumed = TrainingRun.restore(checkpoint, data, engine, compare);
    expect(resumed.step).toBe(42);
    trainAfterCut(resumed);
    expect(resumed.step).toBe(62);
    expect(resumed.main.config.batchSize).toBe(3); // the live change before the cut is kept
    expect(resumed.main.samplesSeen).toBe(straight.main.samplesSeen);
    // Bit for bit: the same batches, the same momentum, the same learning-rate schedule.
    expect(await tensorsOf(resumed)).toEqual(await tensorsOf(straight));
    const [a, b] = [await straight.measure(), await resumed.measure()];
    if (isDivergence(a) || isDivergence(b)) throw new Error('diverged');
    // The loss over steps 40-62, summed in two parts on one side: equal to float rounding.
    expect(b.main.trainLoss).toBeCloseTo(a.main.trainLoss, 5);
    expect(b.main.initialisationWeight).toBe(a.main.initialisationWeight);
    expect(b.main.layers.map((l) => l.rank)).toEqual(a.main.layers.map((l) => l.rank));
    expect(b.comparison?.meanRank).toBe(a.comparison?.meanRank);
    straight.dispose();
    resumed.dispose();
  });

  it('refuses a checkpoint of another network or a damaged one, saying what is wrong', async () => {
    const data = teacherDataset(1);
    const run = TrainingRun.build(config({ depth: 2, width: 8 }), data, 'simd');
    run.train(3);
    const good = await run.checkpoint();
    const damaged = (change: (c: RunCheckpoint) => void) => { const c = structuredClone(good); change(c); return c; };
    expect(() => TrainingRun.restore(damaged((c) => { c.main.config = { ...c.main.config, width: 16 }; }), data, 'simd')).toThrow(/cannot write/);
    expect(() => TrainingRun.restore(good, data, 'simd', { weightDecay: 0 })).toThrow(/no comparison/);
    expect(() => checkCheckpoint(damaged((c) => { (c as { version: number }).version = 0; }))).toThrow(/version 0/);
    expect(() => checkCheckpoint(damaged((c) => { c.main.tensors[0].data = c.main.tensors[0].data.subarray(1); }))).toThrow(/tensors are damaged/);
    expect(() => checkCheckpoint(damaged((c) => { c.main.step = -1; }))).toThrow(/counters/);
    expect(() => checkCheckpoint(damaged((c) => { (c.main.config as { width: unknown }).width = 'wide'; }))).toThrow(/settings are not valid/);
    expect(() => checkCheckpoint('junk')).toThrow(/not an object/);
    expect(checkpointBuffers(good).length).toBe(good.main.tensors.length);
    // A tensor left out: not a mix of stored and fresh values.
    expect(() => TrainingRun.restore(damaged((c) => { c.main.tensors.pop(); }), data, 'simd')).toThrow(/lacks fc2.bias/);
    run.dispose();

    // A BatchNorm statistic of the wrong length is refused, not written past its end.
    const bn = TrainingRun.build(config({ depth: 2, width: 8, batchNorm: true }), data, 'simd', { weightDecay: 0 });
    bn.train(2);
    const withBn = await bn.checkpoint();
    const stat = withBn.main.tensors.findIndex((t) => t.name.endsWith('runningMean'));
    const long = structuredClone(withBn);
    long.main.tensors[stat] = { ...long.main.tensors[stat], shape: [16], data: new Float32Array(16) };
    expect(() => TrainingRun.restore(long, data, 'simd', { weightDecay: 0 })).toThrow(/cannot write/);
    // A comparison that overrode something else is not the one asked for.
    expect(() => TrainingRun.restore(withBn, data, 'simd', { batchSize: 16 })).toThrow(/another batchSize/);
    expect(TrainingRun.restore(withBn, data, 'simd', { weightDecay: 0 }).step).toBe(2);
    bn.dispose();
  });
});
