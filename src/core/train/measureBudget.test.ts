import { describe, expect, it } from 'vitest';
import { snapshotInterval } from './measureBudget';

describe('snapshotInterval', () => {
  it('keeps the requested interval when measuring is cheap', () => {
    expect(snapshotInterval(50, 2, 5)).toBe(50); // 5 ms per 100 ms of training = 5%
  });
  it('spaces snapshots so measuring stays within 10% of training', () => {
    const k = snapshotInterval(10, 2, 100);
    expect(k).toBe(500);
    expect(100 / (k * 2)).toBeLessThanOrEqual(0.1);
  });
  it('falls back to the request without timings', () => {
    expect(snapshotInterval(25, 0, 100)).toBe(25);
    expect(snapshotInterval(25, NaN, 100)).toBe(25);
  });
});
