import { describe, expect, it } from 'vitest';
import { DrawingSignal, MAX_HOLD_MS } from './drawingSignal';

const timeWait = (signal: DrawingSignal) => {
  const t0 = performance.now();
  signal.waitWhileDrawing();
  return performance.now() - t0;
};

describe('DrawingSignal', () => {
  it('does not hold training up when the page is not drawing, or has finished', () => {
    const signal = DrawingSignal.create()!;
    expect(signal.drawing).toBe(false);
    expect(timeWait(signal)).toBeLessThan(20);
    signal.begin(5_000);
    expect(signal.drawing).toBe(true);
    signal.end();
    expect(signal.drawing).toBe(false);
    expect(timeWait(signal)).toBeLessThan(20);
  });

  it('holds up a reader of the same buffer until the deadline when the page never says it is done', () => {
    const page = DrawingSignal.create()!;
    const worker = new DrawingSignal(page.buffer);
    page.begin(60);
    expect(worker.drawing).toBe(true);
    expect(timeWait(worker)).toBeGreaterThanOrEqual(50);
    expect(worker.drawing).toBe(false); // past its deadline, even though end() was never called
  });

  it('never holds training up for longer than MAX_HOLD_MS, whatever the page asks', () => {
    const signal = DrawingSignal.create()!;
    signal.begin(60_000);
    const waited = timeWait(signal);
    expect(waited).toBeGreaterThanOrEqual(MAX_HOLD_MS - 10);
    expect(waited).toBeLessThan(MAX_HOLD_MS + 1_000);
  });
});
