import { describe, expect, it } from 'vitest';
import { COMPARISON_PREFIX, withComparison } from './comparison';

describe('withComparison: one table for a run and its comparison', () => {
  it('joins the rows by x, keeps both runs\' values, and sorts by x', () => {
    const main = [{ x: 0, mean: 10, r0: 9 }, { x: 50, mean: 8, r0: 7 }, { x: 100, mean: 6, r0: 5 }];
    const other = [{ x: 0, mean: 10, r0: 9 }, { x: 50, mean: 9.5, r0: 9 }, { x: 75, mean: 9, r0: 8 }];
    const rows = withComparison(main, other, ['mean']);
    expect(rows.map((r) => r.x)).toEqual([0, 50, 75, 100]);
    expect(rows[1]).toEqual({ x: 50, mean: 8, r0: 7, [`${COMPARISON_PREFIX}mean`]: 9.5 });
    // A step only the comparison reached has no value of the main run (not a zero), and only the listed fields.
    expect(rows[2]).toEqual({ x: 75, [`${COMPARISON_PREFIX}mean`]: 9 });
    expect(rows[3][`${COMPARISON_PREFIX}mean`]).toBeUndefined();
    expect(main[1]).toEqual({ x: 50, mean: 8, r0: 7 }); // the inputs are not changed
  });

  it('without a comparison the rows are the run\'s own', () => {
    const main = [{ x: 0, loss: null, accuracy: 0.1 }];
    expect(withComparison(main, null, ['accuracy'])).toBe(main);
  });
});
