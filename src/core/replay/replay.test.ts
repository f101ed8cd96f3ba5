// Our engine against PyTorch: the committed fixtures (scripts/make-replay-fixtures.sh)
// hold torch's per-step losses and final parameters, in float32 and float64, for the same steps
// (same initial weights, same inputs, same batches, torch.optim.SGD with weight_decay = 2*lambda).
// No Python needed here.

import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistDataset } from '../../node/mnistFile';
import { parseConfig } from '../config';
import { exportRun } from '../export/torchNames';
import { prepareKernels } from '../engine/simd/kernels';
import { ENGINE_NAMES } from '../engine/engine';
import { decodeNpy } from '../npy';
import { useCpuBackend } from '../train/testing';
import { Trainer } from '../train/trainer';

beforeAll(async () => { await useCpuBackend(); await prepareKernels(); });

const fixtureDir = (name: string) => new URL(`./fixtures/${name}/`, import.meta.url);

/** Largest |ours - torch| relative to the largest magnitude in the layer (a layer's bias is measured against its weights too, as in replay.py). */
function relativeDifference(name: string, ours: Tensors, torch: Tensors): number {
  const ref = torch.get(name)!.data;
  let scale = Math.max(...Array.from(ref, Math.abs));
  const weight = torch.get(name.replace(/bias$/, 'weight'));
  if (name.endsWith('.bias') && weight && weight.ndim >= 2) scale = Math.max(scale, ...Array.from(weight.data, Math.abs));
  const mine = ours.get(name)!.data;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(mine[i] - ref[i]));
  return worst / scale;
}

type Tensors = Map<string, { data: Float32Array | Float64Array; ndim: number }>;

function readTensors(name: string, folder: 'final' | 'final64'): Tensors {
  return new Map(readdirSync(new URL(`${folder}/`, fixtureDir(name))).map((f) => {
    const npy = decodeNpy(new Uint8Array(readFileSync(new URL(`${folder}/${f}`, fixtureDir(name)))));
    return [f.replace(/\.npy$/, ''), { data: npy.data as Float32Array | Float64Array, ndim: npy.shape.length }];
  }));
}

/** Train the fixture's run on `engine`, step by step: its per-step losses and final parameters. */
async function replay(name: string, engine: (typeof ENGINE_NAMES)[number]) {
  const fixture = JSON.parse(readFileSync(new URL('torch.json', fixtureDir(name)), 'utf8'));
  const { config, problems } = parseConfig(fixture.config);
  expect(problems).toEqual([]);
  const trainer = new Trainer(config, loadMnistDataset(config.seed), engine);
  const losses: number[] = [];
  for (let step = 0; step < fixture.steps; step++) {
    trainer.train(1);
    losses.push(await trainer.readTrainLoss());
  }
  const final: Tensors = new Map((await exportRun(trainer)).map((t) => [t.name, { data: t.data, ndim: t.shape.length }] as const));
  trainer.dispose();
  return { fixture, losses, final };
}

const worstLoss = (losses: number[], reference: number[]) => Math.max(...losses.map((l, i) => Math.abs(l - reference[i]) / Math.abs(reference[i])));
const worstTensor = (ours: Tensors, reference: Tensors) => Math.max(...[...reference.keys()].map((k) => relativeDifference(k, ours, reference)));

describe.each(ENGINE_NAMES.flatMap((engine) => ['mlp', 'mlp-bn', 'cnn'].map((name) => [name, engine] as const)))('PyTorch replay fixture %s on the %s engine', (name, engine) => {
  it('same losses (1e-5 relative) and final weights (1e-4 relative) as torch after 50 steps', async () => {
    const { fixture, losses, final } = await replay(name, engine);
    expect(worstLoss(losses, fixture.losses)).toBeLessThan(1e-5);
    const torch = readTensors(name, 'final');
    expect([...final.keys()].sort()).toEqual([...torch.keys()].sort());
    expect(worstTensor(final, torch)).toBeLessThan(1e-4);
  });
});

// BatchNorm over batches of two: every rounding error grows ~10x a step, so no float32 engine can
// match another to 1e-5. The yardstick is float64: torch float32's own distance from it is what
// float32 allows on this run, and RankLab must stay within 10x of that, per step and at the end.
describe.each(ENGINE_NAMES)('chaotic PyTorch replay (BatchNorm, B=2, 14 steps) on the %s engine', (engine) => {
  it('stays within 10x of torch float32\'s own distance from float64, in every step\'s loss and in the final parameters', async () => {
    const { fixture, losses, final } = await replay('mlp-bn-chaotic', engine);
    const float32Loss = worstLoss(fixture.losses, fixture.losses64);
    expect(float32Loss).toBeGreaterThan(1e-4); // the run is chaotic: float32 itself has drifted measurably
    expect(worstLoss(losses, fixture.losses64)).toBeLessThan(10 * float32Loss);
    const exact = readTensors('mlp-bn-chaotic', 'final64');
    const float32Final = worstTensor(readTensors('mlp-bn-chaotic', 'final'), exact);
    expect(float32Final).toBeGreaterThan(1e-3);
    expect(worstTensor(final, exact)).toBeLessThan(10 * float32Final);
  });
});
