import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from '../../core/config/fields';
import { parseConfig } from '../../core/config/parse';
import { formatSetting, nextPowerOfTwo, sliderScale } from './sliderScale';

describe('slider scales come from the schema', () => {
  it('batch size moves through the powers of two from 1 to 512', () => {
    const s = sliderScale(CONFIG_FIELDS.batchSize);
    const values = Array.from({ length: s.max - s.min + 1 }, (_, i) => s.toValue(s.min + i));
    expect(values).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    expect(s.toPosition(8)).toBe(3);
  });

  it.each(['learningRate', 'weightDecay', 'eps'] as const)('%s: every position is a valid value, ends included, round trip stable', (name) => {
    const spec = CONFIG_FIELDS[name];
    const s = sliderScale(spec);
    expect(s.toValue(s.min)).toBe(spec.min);
    expect(s.toValue(s.max)).toBe(spec.max);
    for (let p = s.min; p <= s.max; p++) {
      const v = s.toValue(p);
      expect(parseConfig({ [name]: v }).problems, `${name} at ${p}`).toEqual([]);
      expect(s.toPosition(v)).toBe(p);
    }
    expect(s.toPosition(spec.default)).toBeGreaterThan(s.min);
  });

  it('formats values compactly, without rounding away what the run has (0.00014 is not 1e-4)', () => {
    expect([0, 0.1, 0.025, 1e-4, 512, 0.0012345, 0.00014, 0.020000000000000004].map(formatSetting))
      .toEqual(['0', '0.1', '0.025', '1e-4', '512', '0.0012345', '1.4e-4', '0.02']);
  });

  it('a batch size that is no power of two sits between its neighbours, and the arrows step to them', () => {
    const s = sliderScale(CONFIG_FIELDS.batchSize);
    expect(s.toPosition(100)).toBeCloseTo(Math.log2(100), 9); // between 64 (6) and 128 (7), not on 128
    expect(s.toValue(s.toPosition(100))).toBe(128); // a drag lands on the nearest power of two
    expect([nextPowerOfTwo(100, 1, 1, 512), nextPowerOfTwo(100, -1, 1, 512)]).toEqual([128, 64]);
    expect([nextPowerOfTwo(128, 1, 1, 512), nextPowerOfTwo(128, -1, 1, 512)]).toEqual([256, 64]);
    expect([nextPowerOfTwo(512, 1, 1, 512), nextPowerOfTwo(1, -1, 1, 512)]).toEqual([512, 1]);
  });
});
