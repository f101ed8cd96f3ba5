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
