// Named demos: each claim of the paper as a configuration (and, where the claim is
// a comparison, a second run trained in lockstep on the same batches). A preset is a
// share link: configToQuery(presetConfig(id), { compare, preset: id }).

import { CONFIG_FIELDS, FIELD_NAMES, type Config } from './fields';
import { parseConfig } from './parse';

export interface Preset {
  id: string;
  title: string;
  /** What to look for, in a sentence or two, for the screen. */
  caption: string;
  overrides: Partial<Config>;
  /** The second run, as overrides of this preset's config. */
  compare?: Partial<Config>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'default',
    title: 'Lecture default',
    caption: 'MLP 4x128 on MNIST, B=8, mu=0.1, lambda=0.025: the mean rank halves within 2000 steps while the network still learns.',
    overrides: {},
  },
  {
    id: 'weight-decay-essential',
    title: 'Weight decay is essential',
    caption: 'Same network, same seed, same batches; only lambda differs. With lambda = 0 the rank never moves; with weight decay it falls.',
    overrides: {},
    compare: { weightDecay: 0 },
  },
  {
    id: 'smaller-batch',
    title: 'Smaller batch, lower rank',
    caption: 'B = 8 against B = 64 on the same batches (the small batch is the start of the large one), mu = 0.2 so that SGD noise matters; both shrink the weights equally per step. At equal steps the small batch ends lower. Toggle "Epochs" to compare at equal epochs, as the authors do: there the small batch has taken 8x more steps, and the gap is far larger. (At mu = 0.1 the equal-step comparison shows nothing.)',
    overrides: { learningRate: 0.2, weightDecay: 0.0125 },
    compare: { batchSize: 64 },
  },
  {
    id: 'larger-learning-rate',
    title: 'Larger learning rate, lower rank',
    caption: 'mu = 0.1 against mu = 0.05 at the same lambda and batches: a larger step decays the old weights faster (rho = 1 - 2*mu*lambda) and the rank falls sooner.',
    overrides: {},
    compare: { learningRate: 0.05 },
  },
  {
    id: 'stronger-weight-decay',
    title: 'Stronger weight decay, lower rank',
    caption: 'lambda = 0.025 against lambda = 0.01: more decay, shorter memory (n_eps 1517 against 3800 steps), lower rank. Push it to lambda = 0.2 (the next demo) and the network dies.',
    overrides: {},
    compare: { weightDecay: 0.01 },
  },
  {
    id: 'too-much-weight-decay',
    title: 'Too much weight decay kills the network',
    caption: 'lambda = 0.2: the decay wins outright, every weight shrinks toward 0 and test accuracy falls to chance, while the normalised rank stays high: it only measures leftover noise. The lab flags the collapse.',
    overrides: { weightDecay: 0.2 },
  },
  {
    id: 'rank-and-accuracy',
    title: 'What low rank costs in accuracy',
    caption: 'Rank and test accuracy side by side at B = 64, with and without weight decay: the rank halves for a few points of accuracy (at B = 8 the cost is larger). The paper reports a small effect after 500 epochs with a decaying learning rate; two epochs are not that.',
    overrides: { batchSize: 64 },
    compare: { weightDecay: 0 },
  },
  {
    id: 'conv-layers-too',
    title: 'Conv layers too',
    caption: 'A small CNN (three 3x3 stride-2 conv layers of 16 channels and a dense head), lambda = 0.05 against lambda = 0 on the same batches. A conv layer is applied at every output position, so its gradient may have rank B*R (R = positions), far above 16: the bound does not bite, yet weight decay lowers the rank of the first two conv layers within about 1000 steps (9 -> 4 and 16 -> 9); without it nothing moves.',
    overrides: { model: 'cnn', depth: 3, width: 16, batchSize: 8, learningRate: 0.1, weightDecay: 0.05, steps: 3000 },
    compare: { weightDecay: 0 },
  },
  {
    id: 'paper-mlp-bn-accuracy-kept',
    title: "The paper's MLP-BN-10-100: low rank, accuracy kept",
    caption: "Ten linear layers of width 100 with BatchNorm, as in the authors' experiments, trained as they train it: the learning rate 0.1 is cut fivefold at steps 6000 and 8000 (their step schedule, shortened). B = 32, lambda = 0.02 against lambda = 0 on the same batches. The rank falls to about half while the learning rate is high, at a cost in accuracy that the cuts win back: at the end, test accuracy is within about 2 points of the run without weight decay. Found with a sweep (README, \"The paper's network\").",
    overrides: {
      model: 'mlp', depth: 10, width: 100, batchNorm: true, activation: 'relu', batchSize: 32, learningRate: 0.1, weightDecay: 0.02, momentum: 0, steps: 10000,
      lrSchedule: 'step', lrDecaySteps: [6000, 8000], lrDecayFactor: 0.2,
    },
    compare: { weightDecay: 0 },
  },
  {
    id: 'paper-mlp-bn-10-100',
    title: "The paper's MLP-BN-10-100, pushed: fast, at a cost",
    caption: "The same network at B = 8, mu = 0.1 and lambda = 0.02 (PyTorch weight_decay = 0.04), with no schedule: the rank falls from 90 to about 20 within 4000 steps, but test accuracy falls to 0.2-0.3 with it. Pushed to show the effect this fast, weight decay costs this network most of what it learned; the demo before this one shows the paper's regime.",
    overrides: { model: 'mlp', depth: 10, width: 100, batchNorm: true, activation: 'relu', batchSize: 8, learningRate: 0.1, weightDecay: 0.02, momentum: 0, steps: 4000 },
  },
];

export const findPreset = (id: string | null) => PRESETS.find((p) => p.id === id);

export function presetConfig(id: string): Config | undefined {
  const preset = findPreset(id);
  return preset ? parseConfig(preset.overrides).config : undefined;
}

/**
 * The demo whose settings (and comparison run) are exactly these, if any: what the demo picker
 * shows when no demo was chosen, so the default settings read "Lecture default", not "custom".
 */
export function matchingPreset(config: Config, compare: Partial<Config> | null): string | null {
  const same = (a: Partial<Config> | null | undefined, b: Partial<Config> | null | undefined) => JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
  const found = PRESETS.find((p) => same(presetConfig(p.id), config) && same(p.compare, compare));
  return found?.id ?? null;
}

/** Fields in schema order, so two objects with the same fields compare equal as JSON. */
function canonical(c: Partial<Config> | null): Partial<Record<string, unknown>> | null {
  if (!c) return null;
  return Object.fromEntries(FIELD_NAMES.filter((f) => f in c).map((f) => [f, c[f]]));
}

/** Words for what a run's overrides change, e.g. "Weight decay 0" or "Batch size 64". */
export function describeOverrides(overrides: Partial<Config>): string {
  return FIELD_NAMES.filter((f) => f in overrides).map((f) => `${CONFIG_FIELDS[f].label} ${String(overrides[f])}`).join(', ');
}

/** The fields in which `other` differs from `config`, with other's values: what a comparison with it overrides. */
export function overridesBetween(config: Config, other: Config): Partial<Config> {
  return Object.fromEntries(FIELD_NAMES.filter((f) => JSON.stringify(config[f]) !== JSON.stringify(other[f])).map((f) => [f, other[f]])) as Partial<Config>;
}

/** The main run's own values of the fields a comparison overrides ("Weight decay 0.025"). */
export function describeMain(config: Config, compare: Partial<Config>): string {
  return FIELD_NAMES.filter((f) => f in compare).map((f) => `${CONFIG_FIELDS[f].label} ${String(config[f])}`).join(', ');
}
