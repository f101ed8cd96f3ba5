import { describe, expect, it } from 'vitest';
import { StepRate } from './stepRate';

describe('StepRate', () => {
  it('is steps over wall-clock time in windows of a second, the fallback before the first', () => {
    const r = new StepRate();
    r.restart(100, 0);
    expect(r.update(150, 500, 42)).toBe(42);
    expect(r.update(300, 1000, 42)).toBe(200); // 200 steps in 1 s, pauses between chunks included
    expect(r.update(320, 1500, 42)).toBe(200); // window not over: the last full one
    expect(r.update(800, 2000, 42)).toBe(500);
    r.restart(800, 5000); // paused, then resumed: the pause does not count
    expect(r.update(900, 5500, 7)).toBe(7);
    expect(r.update(1000, 6000, 7)).toBe(200);
  });
});
