// Named configurations. Each is a partial config over the defaults, so a preset
// only says what makes it special.

import type { Config } from './fields';
import { parseConfig } from './parse';

export interface Preset {
  id: string;
  title: string;
  caption: string;
  overrides: Partial<Config>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'default',
    title: 'Lecture default',
    caption: 'The defaults: chosen so the mean rank halves within 2000 steps while the network still learns (see README).',
    overrides: {},
  },
  {
    id: 'paper-mlp-bn-10-100',
    title: "The paper's MLP-BN-10-100",
    caption: 'Ten linear layers of width 100 with BatchNorm, as in the authors\' experiments; B=8, mu=0.1, lambda=0.02 (PyTorch weight_decay=0.04).',
    overrides: { model: 'mlp', depth: 10, width: 100, batchNorm: true, activation: 'relu', batchSize: 8, learningRate: 0.1, weightDecay: 0.02, momentum: 0, steps: 4000 },
  },
];

export function presetConfig(id: string): Config | undefined {
  const preset = PRESETS.find((p) => p.id === id);
  return preset ? parseConfig(preset.overrides).config : undefined;
}
