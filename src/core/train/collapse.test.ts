import { describe, expect, it } from 'vitest';
import { collapseReason } from './collapse';

describe('collapse detection', () => {
  const shrunk = [{ name: 'fc1', normRatio: 0.02 }, { name: 'fc2', normRatio: 0.5 }];
  it('needs both: chance accuracy and weights shrunk toward 0', () => {
    expect(collapseReason(0.1, shrunk, 10)).toMatch(/Collapsed: .*fc1 to 2\.0%.*chance \(0\.10\)/);
    expect(collapseReason(0.1, shrunk, 10)).not.toMatch(/lower/i); // facts only: the page and the CLI each say what to do
    expect(collapseReason(0.6, shrunk, 10)).toBeNull(); // still learning
    expect(collapseReason(0.1, [{ name: 'fc1', normRatio: 0.8 }], 10)).toBeNull(); // untrained, not collapsed
    expect(collapseReason(NaN, shrunk, 10)).toBeNull();
  });
});
