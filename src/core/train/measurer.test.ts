import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { prepareKernels } from '../engine/simd/kernels';
import { SimdEngine } from '../engine/simd/simdEngine';
import { architectureFor } from '../models/architecture';
import { Measurer } from './measurer';
import { tinyDataset } from './testing';
import { isDivergence, Trainer } from './trainer';

beforeAll(async () => { await prepareKernels(); });

describe('Measurer pause points', () => {
  it('stops before each layer, before the test pass and before each test batch, and measures the same', async () => {
    const data = tinyDataset(600, 20, 4); // 600 test rows: 3 test batches of at most 250
    const config = parseConfig({ dataset: 'teacher', depth: 3, width: 16, steps: 20 }).config;
    const trainer = new Trainer(config, data, 'simd');
    trainer.train(20);
    const capture = await trainer.capture(true);
    if (isDivergence(capture)) throw new Error('diverged');
    const architecture = architectureFor(config, data);
    const plain = await new Measurer(architecture, data, new SimdEngine(architecture, data)).measure({ ...capture, tensors: capture.tensors!.map((t) => ({ ...t, data: t.data.slice() })) });

    const calls: string[] = [];
    const engine = new SimdEngine(architecture, data);
    engine.pausePoint = () => calls.push('test batch');
    const paused = await new Measurer(architecture, data, engine, () => calls.push('measurer')).measure(capture);
    expect(calls).toEqual([...Array(architecture.layers.length + 1).fill('measurer'), 'test batch', 'test batch', 'test batch']);
    expect({ ...paused, measureMs: 0 }).toEqual({ ...plain, measureMs: 0 });
    trainer.dispose();
  });
});

describe('Measurer gradient ranks', () => {
  it.each([
    ['an MLP at B=8', { dataset: 'teacher', depth: 4, width: 64, batchSize: 8 }],
    ['an MLP-BN at B=3', { dataset: 'teacher', depth: 3, width: 32, batchNorm: true, batchSize: 3 }],
    ['an MLP whose batch is not smaller than its last layer (formed gradients)', { dataset: 'teacher', depth: 3, width: 32, batchSize: 16 }],
  ] as const)('%s: from the engine\'s factors as from the formed gradients', async (_, overrides) => {
    const config = parseConfig({ ...overrides, steps: 20, seed: 5 }).config;
    const data = tinyDataset(300, 60, 10);
    const trainer = new Trainer(config, data, 'simd');
    trainer.train(20);
    const capture = await trainer.capture(true);
    if (isDivergence(capture)) throw new Error('diverged');
    const architecture = architectureFor(config, data);
    const factored = await new Measurer(architecture, data, new SimdEngine(architecture, data)).measure(capture);
    // The same engine without gradientFactors: every rank from the spectrum of the formed gradient.
    const formedEngine = new SimdEngine(architecture, data);
    Object.defineProperty(formedEngine, 'gradientFactors', { value: undefined });
    const formed = await new Measurer(architecture, data, formedEngine).measure(capture);
    expect(factored.layers.map((l) => l.gradientRank)).toEqual(formed.layers.map((l) => l.gradientRank));
    expect(factored.layers.every((l) => l.gradientRank! > 0 && l.gradientRank! <= l.gradientRankBound)).toBe(true);
    trainer.dispose();
  });
});
