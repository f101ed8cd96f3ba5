// Share links round-trip: the link the page writes back for any link it was opened with parses
// with zero problems to exactly the state it showed, stays a link a server accepts, and is a
// fixed point. A property test over thousands of generated links, hostile ones included.

import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, FIELD_NAMES } from '../core/config/fields';
import { PRESETS } from '../core/config/presets';
import { createRandom, type Random } from '../core/random';
import { linkQuery, readLink, MAX_LISTED_PROBLEMS, type LinkState } from './url';

const pick = <T,>(r: Random, list: readonly T[]): T => list[r.int(list.length)];

/** A value for a field: often valid, often not (out of range, wrong type, huge lists, junk). */
function fieldText(r: Random, field: string): string {
  const spec = (CONFIG_FIELDS as Record<string, (typeof CONFIG_FIELDS)[keyof typeof CONFIG_FIELDS] | undefined>)[field];
  const junk = ['', 'NaN', '-1', '1e309', 'true', 'abc', '<script>', '0x10', ' 8 ', '1,2,3', '%00'];
  if (!spec || r.uniform() < 0.25) return pick(r, junk);
  switch (spec.kind) {
    case 'bool': return pick(r, ['true', 'false', '1', '0', 'yes']);
    case 'enum': return pick(r, [...spec.options, 'other']);
    case 'int': case 'real': {
      const span = [spec.min, spec.max, spec.default as number, spec.min / 3, spec.max * 2, (spec.min + spec.max) / 2, 100, 0.00014, 0];
      return String(pick(r, span));
    }
    case 'intList': return Array.from({ length: pick(r, [0, 1, 3, 40, 2000]) }, () => r.int(5000)).join(',');
  }
}

function randomLink(r: Random): string {
  const params: string[] = [];
  const keys = [...FIELD_NAMES, 'v', 'play', 'backend', 'compare', 'preset', 'x', 'view', 'grid', 'seeds', 'basis', 'present', '__proto__', 'constructor', 'toString', 'junk'];
  for (let n = r.int(8); n >= 0; n--) {
    const key = pick(r, keys);
    let value: string;
    switch (key) {
      case 'preset': value = pick(r, [...PRESETS.map((p) => p.id), 'nope']); break;
      case 'compare': value = Array.from({ length: 1 + r.int(3) }, () => { const f = pick(r, [...FIELD_NAMES, 'junk']); return `${f}=${fieldText(r, f)}`; }).join('&'); break;
      case 'backend': value = pick(r, ['auto', 'simd', 'wasm', 'webgpu', 'tpu']); break;
      case 'x': value = pick(r, ['step', 'epoch', 'time']); break;
      case 'view': value = pick(r, ['lab', 'sweep', 'x']); break;
      case 'grid': value = pick(r, ['batchSize=8,32', 'weightDecay=0,0.01;learningRate=0.1,0.2', `weightDecay=${Array.from({ length: 30 }, (_, i) => i / 1000).join(',')}`, 'junk=1', '']); break;
      case 'seeds': value = pick(r, ['1', '3', '0', '1000']); break;
      case 'basis': value = pick(r, ['steps', 'epochs', 'x']); break;
      case 'present': case 'play': value = pick(r, ['1', '0', 'true', 'x']); break;
      case 'v': value = pick(r, ['1', '2', 'x']); break;
      default: value = fieldText(r, key);
    }
    params.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return `?${params.join('&')}`;
}

/** The state a link puts on screen (what linkQuery writes back from). */
const shown = (s: LinkState) => ({
  config: s.config, backendChoice: s.backendChoice, play: s.play, compare: s.compare, preset: s.preset, xAxis: s.xAxis, sweep: s.sweep, present: s.present,
});

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
