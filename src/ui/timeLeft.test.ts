import { describe, expect, it } from 'vitest';
import { timeLeft } from './timeLeft';

describe('the time left of a run', () => {
  it('says nothing for runs of ten seconds or less, or without a speed', () => {
    expect(timeLeft(0, 2000, 2000)).toBeNull(); // 1 s in all
    expect(timeLeft(0, 1000, 100)).toBeNull(); // exactly 10 s
    expect(timeLeft(0, 1000, 0)).toBeNull();
    expect(timeLeft(0, 1000, Number.NaN)).toBeNull();
  });
  it('is steps left over steps per second, in seconds, minutes or hours', () => {
    expect(timeLeft(0, 2000, 100)).toBe('about 20 s');
    expect(timeLeft(500, 2000, 10)).toBe('about 2 min 30 s');
    expect(timeLeft(0, 12_000, 100)).toBe('about 2 min');
    expect(timeLeft(0, 301_000, 100)).toBe('about 50 min'); // past ten minutes, whole minutes
    expect(timeLeft(0, 359_900, 100)).toBe('about 1 h');
    expect(timeLeft(0, 1_000_000, 40)).toBe('about 6 h 57 min');
    expect(timeLeft(1999, 2000, 100)).toBe('under a second');
  });
});
