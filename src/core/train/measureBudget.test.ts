import { describe, expect, it } from 'vitest';
import { MEASURE_BUDGET, MEASURING_WORKER_BUDGET, MIN_SNAPSHOTS_PER_RUN, SnapshotCost, measuringBudget, snapshotInterval } from './measureBudget';

describe('snapshotInterval', () => {
  it('keeps the requested interval when measuring is cheap', () => {
    expect(snapshotInterval(50, 2, 5)).toBe(50); // 5 ms per 100 ms of training = 5%
  });
  it('spaces snapshots so measuring stays within 10% of training', () => {
    const k = snapshotInterval(10, 2, 100);
    expect(k).toBe(500);
    expect(100 / (k * 2)).toBeLessThanOrEqual(0.1);
  });
  it('measures a short run at least MIN_SNAPSHOTS_PER_RUN times, over budget if need be; a long run keeps its budget', () => {
    // A 2000-step demo at 0.4 ms a step with 30 ms snapshots: the budget alone would measure every 500 steps.
    expect(snapshotInterval(10, 0.4, 30, 0.15)).toBe(500);
    expect(snapshotInterval(10, 0.4, 30, 0.15, 2000)).toBe(Math.ceil(2000 / MIN_SNAPSHOTS_PER_RUN));
    expect(snapshotInterval(100, 0.4, 30, 0.15, 2000)).toBe(100); // never closer than asked
    expect(snapshotInterval(10, 0.4, 30, 0.15, 1_000_000)).toBe(500);
  });
  it('falls back to the request without timings', () => {
    expect(snapshotInterval(25, 0, 100)).toBe(25);
    expect(snapshotInterval(25, NaN, 100)).toBe(25);
  });
});

describe('measuringBudget', () => {
  it('lets a measuring worker take more of the second core, unless a helper thread trains on it', () => {
    expect(measuringBudget({ measuringWorker: false, helperThread: false })).toBe(MEASURE_BUDGET);
    expect(measuringBudget({ measuringWorker: true, helperThread: false })).toBe(MEASURING_WORKER_BUDGET);
    expect(measuringBudget({ measuringWorker: true, helperThread: true })).toBe(MEASURE_BUDGET);
    expect(MEASURE_BUDGET).toBeLessThan(MEASURING_WORKER_BUDGET);
  });
});

describe('SnapshotCost', () => {
  it('ignores the first (warm-up) snapshot, so the early schedule keeps the requested interval', () => {
    const cost = new SnapshotCost();
    cost.record(7474); // step 0 on WebGPU: shader compilation
    expect(cost.ms).toBe(0);
    expect(snapshotInterval(50, 182, cost.ms)).toBe(50);
    cost.record(2289);
    expect(cost.ms).toBe(2289);
    expect(snapshotInterval(50, 182, cost.ms)).toBe(126);
  });
  it('forgets a one-off spike after a few snapshots and follows a lasting change', () => {
    const cost = new SnapshotCost(3);
    for (const ms of [900, 100, 400, 110, 120]) cost.record(ms);
    expect(cost.ms).toBe(110); // the 400 ms spike is outweighed by the cheaper neighbours
    for (const ms of [300, 310, 305]) cost.record(ms); // e.g. a larger batch makes the gradient rank dearer
    expect(cost.ms).toBe(300);
  });
});
