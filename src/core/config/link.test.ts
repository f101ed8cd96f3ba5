// Share links round-trip: the link the page writes back for any link it was opened with parses
// with zero problems to exactly the state it showed, stays a link a server accepts, and is a
// fixed point. A property test over thousands of generated links, hostile ones included.

import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields';
import { createRandom } from '../random';
import { randomLink } from './randomLink';
import { linkContentOf as shown, linkQuery, readLink, MAX_LISTED_PROBLEMS } from './link';


describe('share links round-trip', () => {
  it('the link written back for any of 3000 generated links parses with no problem to the same state, under 16 KB', () => {
    const r = createRandom(7, 'links');
    let repaired = 0;
    for (let i = 0; i < 3000; i++) {
      const link = randomLink(r);
      const first = readLink(link);
      if (first.problems.length) repaired++;
      const written = linkQuery(shown(first));
      const second = readLink(`?${written}`);
      expect(second.problems, `${link} -> ${written}`).toEqual([]);
      expect(shown(second), link).toEqual(shown(first));
      expect(linkQuery(shown(second)), link).toBe(written); // a fixed point
      expect(written.length, link).toBeLessThan(16_000);
    }
    expect(repaired).toBeGreaterThan(1000); // the generator does produce broken links
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('the cases that did not round-trip', () => {
    const cases = [
      '?preset=smaller-batch&compare=', // one run shown: the written link must not bring the demo's comparison back
      '?compare=model%3Dcnn', // a CNN comparison: the depth and width it needs are written too
      '?compare=batchNorm%3Dtrue&batchSize=1',
      '?preset=weight-decay-essential&weightDecay=0',
    ];
    for (const link of cases) {
      const first = readLink(link);
      const second = readLink(`?${linkQuery(shown(first))}`);
      expect(second.problems, link).toEqual([]);
      expect(shown(second), link).toEqual(shown(first));
    }
    expect(readLink('?preset=smaller-batch&compare=').compare).toBeNull();
    expect(readLink('?preset=smaller-batch&compare=').problems).toEqual([]);
    expect(readLink('?compare=model%3Dcnn').compare).toMatchObject({ model: 'cnn', depth: 3, width: 64 });
  });

  it('keys named like Object\'s own are unknown keys, not settings; notices stay short', () => {
    const hostile = readLink('?__proto__=1&constructor=2&toString=3&hasOwnProperty=4');
    expect(hostile.problems.join(' ')).toMatch(/__proto__: not a setting/);
    expect(hostile.problems.join(' ')).toMatch(/constructor: not a setting/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const many = readLink(`?${Array.from({ length: 10_000 }, (_, i) => `junk${i}=${'x'.repeat(50)}`).join('&')}`);
    expect(many.problems.length).toBe(MAX_LISTED_PROBLEMS + 1);
    expect(many.problems.at(-1)).toBe(`and ${10_000 - MAX_LISTED_PROBLEMS} more`);
    expect(many.problems.join('; ').length).toBeLessThan(1200);
    // Thousands of decay steps: a few kept, so the link written back stays small.
    const steps = readLink(`?lrSchedule=step&steps=1000000&lrDecaySteps=${Array.from({ length: 3000 }, (_, i) => i + 1).join(',')}`);
    expect(steps.config.lrDecaySteps.length).toBe(CONFIG_FIELDS.lrDecaySteps.maxItems);
    expect(linkQuery(shown(steps)).length).toBeLessThan(2000);
  });
});
