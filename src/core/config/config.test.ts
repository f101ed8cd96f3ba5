import { describe, expect, it } from 'vitest';
import {
  CONFIG_FIELDS, FIELD_NAMES, type FieldSpec, configFromQuery, configToQuery, defaultConfig, parseConfig, PRESETS, presetConfig,
} from './index';
import { matchingPreset } from './presets';

describe('config schema', () => {
  it('defaults are valid and every field has one', () => {
    const d = defaultConfig();
    expect(parseConfig(d)).toEqual({ config: d, problems: [] });
    expect(Object.keys(d).sort()).toEqual([...FIELD_NAMES].sort());
  });

  it('every numeric default lies inside its own range', () => {
    for (const name of FIELD_NAMES) {
      const spec: FieldSpec = CONFIG_FIELDS[name];
      if (spec.kind === 'int' || spec.kind === 'real') {
        expect(spec.default, name).toBeGreaterThanOrEqual(spec.kind === 'real' && spec.allowZero ? 0 : spec.min);
        expect(spec.default, name).toBeLessThanOrEqual(spec.max);
      }
    }
  });

  it('never throws on garbage, lists every problem and returns a valid config', () => {
    const inputs: unknown[] = [null, 42, 'text', [], { batchSize: 'big' }, { model: 'transformer' }, { learningRate: NaN },
      { __proto__: { x: 1 }, seed: -5 }, { weightDecay: Infinity }, { lrDecaySteps: 'soon' }, { batchNorm: 'yes' }];
    for (const input of inputs) {
      const { config, problems } = parseConfig(input);
      expect(parseConfig(config)).toEqual({ config, problems: [] });
      if (input !== null && typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length) {
        expect(problems.length, JSON.stringify(input)).toBeGreaterThan(0);
      }
    }
    const { problems } = parseConfig({ batchSize: 'big', model: 'transformer', colour: 'red' });
    expect(problems.map((p) => [p.field, p.kind])).toEqual([
      ['colour', 'unknown-field'], ['model', 'not-an-option'], ['batchSize', 'wrong-type'],
    ]);
    expect(problems.every((p) => p.message.startsWith(p.field))).toBe(true);
  });

  it('clamps to the nearest valid value', () => {
    const { config, problems } = parseConfig({ batchSize: 4096, learningRate: 1e-9, weightDecay: 3, depth: 2.6, eps: 0 });
    expect(config.batchSize).toBe(512);
    expect(config.learningRate).toBe(1e-4);
    expect(config.weightDecay).toBe(0.5);
    expect(config.depth).toBe(3);
    expect(config.eps).toBe(1e-6);
    expect(Object.fromEntries(problems.map((p) => [p.field, p.kind]))).toEqual({
      batchSize: 'out-of-range', learningRate: 'out-of-range', weightDecay: 'out-of-range', depth: 'not-an-integer', eps: 'out-of-range',
    });
  });

  it('weight decay is exactly 0 or in [1e-6, 0.5]; tiny values snap to the nearer of the two', () => {
    expect(parseConfig({ weightDecay: 0 }).problems).toEqual([]);
    expect(parseConfig({ weightDecay: 0 }).config.weightDecay).toBe(0);
    expect(parseConfig({ weightDecay: 1e-7 }).config.weightDecay).toBe(0);
    expect(parseConfig({ weightDecay: 8e-7 }).config.weightDecay).toBe(1e-6);
    expect(parseConfig({ weightDecay: -0.1 }).config.weightDecay).toBe(1e-6);
  });

  it('reconciles fields that conflict', () => {
    expect(parseConfig({ batchNorm: true, batchSize: 1 }).config.batchSize).toBe(2);
    const cnn = parseConfig({ model: 'cnn', depth: 10, width: 256 });
    expect([cnn.config.depth, cnn.config.width]).toEqual([3, 64]);
    expect(cnn.problems.every((p) => p.kind === 'inconsistent')).toBe(true);
    expect(parseConfig({ steps: 100, lrDecaySteps: [50, 150] }).config.lrDecaySteps).toEqual([50]);
    // Steps run 0..99: a decay at step 100 would never happen, so it is dropped and said.
    const atEnd = parseConfig({ steps: 100, lrDecaySteps: [99, 100] });
    expect(atEnd.config.lrDecaySteps).toEqual([99]);
    expect(atEnd.problems.map((p) => p.field)).toEqual(['lrDecaySteps']);
    expect(parseConfig({ lrDecaySteps: [30, 10, 10] }).config.lrDecaySteps).toEqual([10, 30]);
  });

  it('presets are valid configs', () => {
    for (const p of PRESETS) {
      expect(parseConfig(p.overrides).problems, p.id).toEqual([]);
      expect(presetConfig(p.id)).toBeDefined();
    }
    expect(presetConfig('paper-mlp-bn-10-100')).toMatchObject({ depth: 10, width: 100, batchNorm: true });
  });
});

describe('share-link query', () => {
  it('round-trips every field exactly', () => {
    const c = { ...defaultConfig(), model: 'cnn' as const, depth: 3, width: 16, batchNorm: true, batchSize: 32, learningRate: 0.0123456789,
      weightDecay: 0, momentum: 0.9, lrSchedule: 'step' as const, lrDecaySteps: [100, 500], steps: 777, seed: 123456, eps: 2.5e-4 };
    const q = configToQuery(c, { play: true });
    const back = configFromQuery('?' + q);
    expect(back.problems).toEqual([]);
    expect(back.config).toEqual(c);
    expect(back.play).toBe(true);
    expect(back.version).toBe(1);
    expect(configFromQuery('backend=wasm&seed=2')).toMatchObject({ config: { seed: 2 }, problems: [] }); // the link's other keys are link.ts's
  });

  it('ignores unknown keys, repairs bad values and says so', () => {
    const r = configFromQuery('v=1&batchSize=abc&learningRate=99&colour=%3Cscript%3E&weightDecay=0');
    expect(r.config.batchSize).toBe(CONFIG_FIELDS.batchSize.default);
    expect(r.config.learningRate).toBe(2);
    expect(r.config.weightDecay).toBe(0);
    expect(r.problems.map((p) => p.field).sort()).toEqual(['batchSize', 'colour', 'learningRate']);
  });

  it('carries a comparison run as validated overrides, and the demo it came from', () => {
    const q = configToQuery(defaultConfig(), { compare: { weightDecay: 0, batchSize: 64 }, preset: 'smaller-batch' });
    const back = configFromQuery(q);
    expect(back.compare).toEqual({ batchSize: 64, weightDecay: 0 });
    expect(back.preset).toBe('smaller-batch');
    expect(back.problems).toEqual([]);
    const bad = configFromQuery('compare=' + encodeURIComponent('batchSize=9999&colour=red'));
    expect(bad.compare).toEqual({ batchSize: 512 });
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['compare.batchSize', 'compare.colour']);
    expect(configFromQuery('compare=nothing').compare).toBeNull();
    // Both runs train on the main run's data: a comparison on another data set would be mislabelled.
    const otherData = configFromQuery('dataset=mnist&compare=' + encodeURIComponent('dataset=teacher&weightDecay=0'));
    expect(otherData.compare).toEqual({ weightDecay: 0 });
    expect(otherData.problems.map((p) => p.field)).toEqual(['compare.dataset']);
  });

  it('every preset is a valid config and its comparison changes something', () => {
    for (const p of PRESETS) {
      const q = configToQuery(presetConfig(p.id)!, { compare: p.compare, preset: p.id });
      const back = configFromQuery(q);
      expect(back.problems, p.id).toEqual([]);
      expect(back.compare ?? undefined, p.id).toEqual(p.compare);
    }
  });

  it('a short demo link (?preset=ID) opens the whole demo, and fields in the link still win', () => {
    for (const p of PRESETS) {
      const short = configFromQuery(`preset=${p.id}`);
      expect(short.config, p.id).toEqual(presetConfig(p.id));
      expect(short.compare ?? undefined, p.id).toEqual(p.compare);
      expect(short.problems, p.id).toEqual([]);
    }
    const edited = configFromQuery('preset=smaller-batch&learningRate=0.05&compare=batchSize%3D32');
    expect(edited.config).toMatchObject({ learningRate: 0.05, weightDecay: 0.0125 });
    expect(edited.compare).toEqual({ batchSize: 32 });
    expect(configFromQuery('preset=no-such-demo').config).toEqual(defaultConfig());
  });

  it('flags links from a newer version and unreadable versions', () => {
    expect(configFromQuery('v=7&seed=3').problems[0].field).toBe('v');
    expect(configFromQuery('v=x').problems[0].field).toBe('v');
    expect(configFromQuery('').problems).toEqual([]);
  });
});

describe('the demo that settings match', () => {
  it('names the default settings "default" and a demo\'s own settings and comparison by its id', () => {
    expect(matchingPreset(parseConfig({}).config, null)).toBe('default');
    for (const p of PRESETS) expect(matchingPreset(presetConfig(p.id)!, p.compare ?? null)).toBe(p.id);
  });
  it('names none when one setting or the comparison differs', () => {
    expect(matchingPreset(parseConfig({ weightDecay: 0.02 }).config, null)).toBeNull();
    expect(matchingPreset(parseConfig({}).config, { weightDecay: 0.001 })).toBeNull();
  });
});
