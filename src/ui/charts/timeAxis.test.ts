import { describe, expect, it } from 'vitest';
import { timeDomain } from './timeAxis';

describe('timeDomain: the time axis of the rank and training charts', () => {
  it('runs from the first x to a round number at or past the last, so its ticks stay put as a run grows', () => {
    expect(timeDomain([{ x: 0 }, { x: 1050 }])).toEqual([0, 1200]);
    expect(timeDomain([{ x: 0 }, { x: 1199 }])).toEqual([0, 1200]); // the same domain a while later
    expect(timeDomain([{ x: 0 }, { x: 2000 }])).toEqual([0, 2000]); // a finished 2000-step run fills the axis
    expect(timeDomain([{ x: 0 }, { x: 0.37 }])).toEqual([0, 0.4]); // epochs
  });

  it('spans every run drawn, and an empty or one-point chart still gets a domain', () => {
    expect(timeDomain([{ x: 0 }, { x: 500 }], [{ x: 0 }, { x: 2600 }])).toEqual([0, 3000]);
    expect(timeDomain([], null)).toEqual([0, 1]);
    expect(timeDomain([{ x: 50 }])).toEqual([50, 51]);
  });
});
