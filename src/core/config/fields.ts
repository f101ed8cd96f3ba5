// The one table that defines every setting of a run: its default, range, scale
// and units. Validation, the share-link codec, CLI flags, the worker's check of
// its commands and the UI's sliders are all derived from this table, so they
// cannot disagree.

export interface IntField {
  kind: 'int';
  min: number;
  max: number;
  default: number;
  /** How a slider should move: 'log2' steps through powers of two. */
  scale: 'linear' | 'log2';
  label: string;
  unit?: string;
  help: string;
}

export interface RealField {
  kind: 'real';
  min: number;
  max: number;
  default: number;
  scale: 'linear' | 'log';
  /** Exactly 0 is also valid (e.g. weight decay off), although min > 0 on the log scale. */
  allowZero?: boolean;
  label: string;
  unit?: string;
  help: string;
}

export interface EnumField<T extends string = string> {
  kind: 'enum';
  options: readonly T[];
  default: T;
  label: string;
  help: string;
}

export interface BoolField {
  kind: 'bool';
  default: boolean;
  label: string;
  help: string;
}

export interface IntListField {
  kind: 'intList';
  min: number;
  max: number;
  /** Most values kept: a share link stays a few KB (a server refuses one over ~16 KB). */
  maxItems: number;
  default: readonly number[];
  label: string;
  unit?: string;
  help: string;
}

export type FieldSpec = IntField | RealField | EnumField | BoolField | IntListField;

export const DATASETS = ['mnist', 'teacher'] as const;
export const MODELS = ['mlp', 'cnn'] as const;
export const ACTIVATIONS = ['relu', 'tanh'] as const;
export const LR_SCHEDULES = ['constant', 'step'] as const;

/** Order matters: it is the order of the share-link query and of `--help`. */
export const CONFIG_FIELDS = {
  dataset: {
    kind: 'enum', options: DATASETS, default: 'mnist', label: 'Dataset',
    help: 'mnist: 10,000 real digits (8000 train / 2000 test); teacher: synthetic labels from a planted rank-4 teacher network',
  },
  model: {
    kind: 'enum', options: MODELS, default: 'mlp', label: 'Model',
    help: 'mlp: fully connected; cnn: 2-3 stride-2 3x3 conv layers and a dense head',
  },
  depth: {
    kind: 'int', min: 1, max: 12, default: 4, scale: 'linear', label: 'Depth', unit: 'layers',
    help: 'MLP: number of linear layers (weight matrices), the last one is the classifier. CNN: number of conv layers (2-3)',
  },
  width: {
    kind: 'int', min: 2, max: 1024, default: 128, scale: 'log2', label: 'Width', unit: 'units',
    help: 'MLP: units per hidden layer. CNN: channels per conv layer (at most 64)',
  },
  batchNorm: {
    kind: 'bool', default: false, label: 'BatchNorm',
    help: 'BatchNorm after every hidden linear/conv layer, before the activation (needs batch size >= 2)',
  },
  activation: {
    kind: 'enum', options: ACTIVATIONS, default: 'relu', label: 'Activation', help: 'hidden-layer nonlinearity',
  },
  batchSize: {
    kind: 'int', min: 1, max: 512, default: 8, scale: 'log2', label: 'Batch size', unit: 'samples',
    help: 'B, samples per SGD step; every update has rank <= B per dense layer',
  },
  learningRate: {
    kind: 'real', min: 1e-4, max: 2, default: 0.1, scale: 'log', label: 'Learning rate',
    help: 'mu, the SGD step size',
  },
  weightDecay: {
    kind: 'real', min: 1e-6, max: 0.5, default: 0.025, scale: 'log', allowZero: true, label: 'Weight decay',
    help: "lambda in L(W) + lambda*||W||^2, the paper's convention; PyTorch's weight_decay = 2*lambda; 0 turns it off",
  },
  momentum: {
    kind: 'real', min: 0, max: 0.99, default: 0, scale: 'linear', label: 'Momentum',
    help: 'heavy-ball momentum as in torch.optim.SGD (the decay term is added to the gradient); the paper uses 0',
  },
  lrSchedule: {
    kind: 'enum', options: LR_SCHEDULES, default: 'constant', label: 'LR schedule',
    help: 'constant, or step: multiply the learning rate by lrDecayFactor at each of lrDecaySteps',
  },
  lrDecaySteps: {
    kind: 'intList', min: 1, max: 1_000_000, maxItems: 20, default: [], label: 'LR decay steps', unit: 'steps',
    help: 'steps at which a step schedule multiplies the learning rate by lrDecayFactor (comma separated)',
  },
  lrDecayFactor: {
    kind: 'real', min: 0.001, max: 1, default: 0.2, scale: 'log', label: 'LR decay factor',
    help: 'factor of the step schedule (the authors use 0.2)',
  },
  steps: {
    kind: 'int', min: 1, max: 1_000_000, default: 2000, scale: 'log2', label: 'Steps', unit: 'steps',
    help: 'SGD steps of the run',
  },
  seed: {
    kind: 'int', min: 0, max: 2_147_483_647, default: 1, scale: 'linear', label: 'Seed',
    help: 'seeds the data split, the initial weights and the batch sampler',
  },
  eps: {
    kind: 'real', min: 1e-6, max: 0.5, default: 1e-3, scale: 'log', label: 'Rank threshold',
    help: 'rank = number of singular values of W/||W||_F above eps (the authors use 1e-3)',
  },
  snapshotEvery: {
    kind: 'int', min: 1, max: 100_000, default: 50, scale: 'log2', label: 'Snapshot interval', unit: 'steps',
    help: 'steps between measurements of the spectra (the worker may space them further to keep measuring under ~10% of the time)',
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof CONFIG_FIELDS;
export const FIELD_NAMES = Object.keys(CONFIG_FIELDS) as FieldName[];

type ValueOf<F> = F extends { kind: 'enum'; options: readonly (infer T)[] }
  ? T
  : F extends { kind: 'bool' }
    ? boolean
    : F extends { kind: 'intList' }
      ? number[]
      : number;

/** A complete, valid run configuration. */
export type Config = { [K in FieldName]: ValueOf<(typeof CONFIG_FIELDS)[K]> };

/** The CNN's own limits: 28 -> 14 -> 7 -> 4 with stride-2 convs, so a fourth layer would leave too little image. */
export const CNN_LIMITS = { minDepth: 2, maxDepth: 3, maxWidth: 64 } as const;

/** The settings that may change between two steps of a running training without a reset. */
export const LIVE_FIELDS = ['learningRate', 'weightDecay', 'batchSize', 'momentum'] as const;

/**
 * Everything that can change while a run goes on: the hyperparameters of the next
 * step, plus how it is measured and how long it runs. Any other field (model,
 * data, seed, schedule) defines a different run and resets it.
 */
export const RUN_ADJUSTABLE_FIELDS = [...LIVE_FIELDS, 'eps', 'steps', 'snapshotEvery'] as const;
export type RunAdjustableField = (typeof RUN_ADJUSTABLE_FIELDS)[number];
export type RunAdjustments = Pick<Config, RunAdjustableField>;
export const isRunAdjustable = (field: FieldName): field is RunAdjustableField =>
  (RUN_ADJUSTABLE_FIELDS as readonly string[]).includes(field);
