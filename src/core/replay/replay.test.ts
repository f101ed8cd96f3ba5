// Our engine against PyTorch: the committed fixtures (scripts/make-replay-fixtures.sh)
// hold torch's per-step losses and final parameters for the same 50 steps (same initial
// weights, same batches, torch.optim.SGD with weight_decay = 2*lambda). No Python needed here.

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
function relativeDifference(name: string, ours: Map<string, Float32Array>, torch: Map<string, { data: Float32Array; ndim: number }>): number {
  const ref = torch.get(name)!.data;
  let scale = Math.max(...ref.map(Math.abs));
  const weight = torch.get(name.replace(/bias$/, 'weight'));
  if (name.endsWith('.bias') && weight && weight.ndim >= 2) scale = Math.max(scale, ...weight.data.map(Math.abs));
  const mine = ours.get(name)!;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(mine[i] - ref[i]));
  return worst / scale;
}

describe.each(ENGINE_NAMES.flatMap((engine) => ['mlp', 'mlp-bn', 'cnn'].map((name) => [name, engine] as const)))('PyTorch replay fixture %s on the %s engine', (name, engine) => {
  it('same losses (1e-5 relative) and final weights (1e-4 relative) as torch after 50 steps', async () => {
    const fixture = JSON.parse(readFileSync(new URL('torch.json', fixtureDir(name)), 'utf8'));
    const { config, problems } = parseConfig(fixture.config);
    expect(problems).toEqual([]);
    const trainer = new Trainer(config, loadMnistDataset(config.seed), engine);
    const losses: number[] = [];
    for (let step = 0; step < fixture.steps; step++) {
      trainer.train(1);
      losses.push(await trainer.readTrainLoss());
    }
    const lossDiff = Math.max(...losses.map((l, i) => Math.abs(l - fixture.losses[i]) / Math.abs(fixture.losses[i])));
    expect(lossDiff).toBeLessThan(1e-5);

    const ours = new Map((await exportRun(trainer)).map((t) => [t.name, t.data] as const));
    const torch = new Map(readdirSync(new URL('final/', fixtureDir(name))).map((f) => {
      const npy = decodeNpy(new Uint8Array(readFileSync(new URL(`final/${f}`, fixtureDir(name)))));
      return [f.replace(/\.npy$/, ''), { data: npy.data as Float32Array, ndim: npy.shape.length }];
    }));
    expect([...ours.keys()].sort()).toEqual([...torch.keys()].sort());
    const worst = Math.max(...[...torch.keys()].map((k) => relativeDifference(k, ours, torch)));
    expect(worst).toBeLessThan(1e-4);
    trainer.dispose();
  });
});
