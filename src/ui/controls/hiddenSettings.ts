// Settings a link can carry that have no control on screen (momentum, the learning-rate schedule,
// the snapshot interval): when one differs from its default it is in force, so the page says so.

import { CONFIG_FIELDS, FIELD_NAMES, defaultConfig, type Config } from '../../core/config';

/** The fields the settings panel has a control for; every other field is shown when not default. */
export const FIELDS_WITH_CONTROLS = ['dataset', 'model', 'depth', 'width', 'batchNorm', 'activation', 'batchSize', 'learningRate', 'weightDecay', 'steps', 'seed', 'eps'] as const;

/** "Momentum 0.9", "LR schedule step", "LR decay steps 500, 1000", ...: every field without a control whose value is not its default. */
export function hiddenSettings(config: Config): string[] {
  const defaults = defaultConfig();
  return FIELD_NAMES
    .filter((f) => !(FIELDS_WITH_CONTROLS as readonly string[]).includes(f))
    .filter((f) => JSON.stringify(config[f]) !== JSON.stringify(defaults[f]))
    .map((f) => {
      const v = config[f];
      const spec = CONFIG_FIELDS[f] as { label: string; unit?: string };
      const text = Array.isArray(v) ? v.join(', ') : String(v);
      return `${spec.label} ${text}${spec.unit ? ` ${spec.unit}` : ''}`;
    });
}
