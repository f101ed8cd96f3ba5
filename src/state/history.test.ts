import { describe, expect, it } from 'vitest';
import { downsample } from './history';

describe('downsample', () => {
  it('keeps short histories whole', () => {
    expect(downsample([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });
  it('caps long ones, keeping first and last and the order', () => {
    const xs = Array.from({ length: 10_001 }, (_, i) => i);
    const d = downsample(xs, 300);
    expect(d.length).toBe(300);
    expect(d[0]).toBe(0);
    expect(d[299]).toBe(10_000);
    expect(d.every((x, i) => i === 0 || x > d[i - 1])).toBe(true);
  });
});
