import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, FIELD_NAMES, parseConfig } from '../../core/config';
import { FIELDS_WITH_CONTROLS, hiddenSettings } from './hiddenSettings';

describe('settings without a control on screen', () => {
  it('lists none for the default settings, and none of the fields that have a control', () => {
    expect(hiddenSettings(parseConfig({}).config)).toEqual([]);
    expect(hiddenSettings(parseConfig({ depth: 3, weightDecay: 0.01, eps: 0.01 }).config)).toEqual([]);
  });
  it('lists momentum and the learning-rate schedule from a link, with their values', () => {
    const config = parseConfig({ momentum: 0.9, lrSchedule: 'step', lrDecaySteps: [500, 1000], snapshotEvery: 20 }).config;
    expect(hiddenSettings(config)).toEqual(['Momentum 0.9', 'LR schedule step', 'LR decay steps 500, 1000 steps', 'Snapshot interval 20 steps']);
  });
  it('knows every field: each has a control or is listed when it differs', () => {
    const hidden = FIELD_NAMES.filter((f) => !(FIELDS_WITH_CONTROLS as readonly string[]).includes(f));
    expect(hidden.sort()).toEqual(['lrDecayFactor', 'lrDecaySteps', 'lrSchedule', 'momentum', 'snapshotEvery']);
    for (const f of FIELDS_WITH_CONTROLS) expect(f in CONFIG_FIELDS).toBe(true);
  });
});
