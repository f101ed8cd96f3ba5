import { describe, expect, it } from 'vitest';
import { BatchSampler } from './sampler';

describe('BatchSampler', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new BatchSampler(100, 5), b = new BatchSampler(100, 5), c = new BatchSampler(100, 6);
    const draw = (s: BatchSampler) => Array.from({ length: 30 }, () => Array.from(s.next(7))).flat();
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });

  it('visits every sample exactly once per epoch, even when the batch size changes', () => {
    const s = new BatchSampler(50, 1);
    const seen: number[] = [];
    for (const B of [3, 7, 1, 16, 8, 15]) seen.push(...s.next(B)); // 50 samples
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const next = Array.from(s.next(50));
    expect([...next].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(next).not.toEqual(seen); // a fresh permutation each epoch
  });
});
