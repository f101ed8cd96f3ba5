import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { prepareKernels } from '../engine/simd/kernels';
import { runToCompletion, snapshotSteps } from './run';
import { RunLoop, type LoopPolicy } from './runLoop';
import { tinyDataset } from './testing';
import { TrainingRun } from './trainingRun';

beforeAll(async () => { await prepareKernels(); });

const data = tinyDataset(200, 12, 3);
const build = (steps: number, snapshotEvery: number) => TrainingRun.build(parseConfig({ dataset: 'teacher', depth: 2, width: 8, steps, snapshotEvery }).config, data, 'simd');

/** A policy that measures on the spot and records what the loop asked for. */
function recording(run: TrainingRun, interval: number, cap = Infinity) {
  const chunks: number[] = [];
  const measured: number[] = [];
  let going = true;
  const policy: LoopPolicy = {
    interval: () => interval,
    chunkCap: () => cap,
    train: (n) => { chunks.push(n); run.train(n); return 0; },
    measure: async () => { measured.push(run.step); return true; },
    inFlight: () => null,
    going: () => going,
    afterChunk: async () => { if (run.step >= 40) going = false; },
  };
  return { policy, chunks, measured };
}

describe('the one run loop', () => {
  it('measures as the CLI does: at step 0, every snapshotEvery steps and at the last step', async () => {
    const run = build(130, 50);
    const result = await runToCompletion(run);
    expect(result.snapshots.map((s) => s.step)).toEqual(snapshotSteps(130, 50));
    expect(snapshotSteps(130, 50)).toEqual([0, 50, 100, 130]);
    run.dispose();
  });

  it('trains in chunks no bigger than the cap, stops when the policy says, and spends a Step budget exactly', async () => {
    const run = build(1000, 25);
    const r = recording(run, 25, 10);
    const loop = new RunLoop(run, r.policy, 0);
    expect(await loop.go()).toBe('stopped');
    expect(r.chunks).toEqual([10, 10, 5, 10, 10]); // a chunk ends where a measurement is due (step 25)
    expect(r.measured).toEqual([25]);
    expect(run.step).toBe(45); // the policy said stop after the chunk that passed step 40
    const budgeted = recording(run, 1000, 7);
    const stepLoop = new RunLoop(run, { ...budgeted.policy, going: () => true }, run.step);
    stepLoop.budget = 12;
    expect(await stepLoop.go()).toBe('budget-spent');
    expect(budgeted.chunks).toEqual([7, 5]);
    expect(budgeted.measured).toEqual([57]); // a Step ends with a measurement
    run.dispose();
  });

  it('reports a divergence as the measurement finds it', async () => {
    const run = build(100, 10);
    const r = recording(run, 10);
    const loop = new RunLoop(run, { ...r.policy, measure: async () => run.step < 30 }, 0);
    expect(await loop.go()).toBe('diverged');
    expect(run.step).toBe(30);
    run.dispose();
  });
});
