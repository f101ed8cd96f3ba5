// Validation that never throws: any input becomes the nearest valid Config plus a
// typed list of what had to change, so a broken share link or CLI flag can be
// explained to the person instead of crashing the lab.

import { CNN_LIMITS, CONFIG_FIELDS, FIELD_NAMES, type Config, type FieldName, type FieldSpec } from './fields';

export type ProblemKind =
  | 'unknown-field' // a key the schema does not know (ignored)
  | 'wrong-type' // e.g. text where a number belongs (default used)
  | 'out-of-range' // a number outside [min, max] (clamped)
  | 'not-an-option' // an enum value that does not exist (default used)
  | 'not-an-integer' // 3.7 for a batch size (rounded)
  | 'inconsistent'; // valid alone, invalid together (adjusted)

export interface ConfigProblem {
  field: string;
  kind: ProblemKind;
  message: string;
  received: unknown;
  /** The value put in its place; undefined when the key was dropped. */
  used?: unknown;
}

export interface ParsedConfig {
  config: Config;
  problems: ConfigProblem[];
}

export function defaultConfig(): Config {
  const out: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const d = CONFIG_FIELDS[name].default;
    out[name] = Array.isArray(d) ? [...d] : d;
  }
  return out as Config;
}

const describe = (v: unknown) => {
  try {
    const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
    return s.length > 40 ? s.slice(0, 37) + '...' : s;
  } catch {
    return typeof v;
  }
};

/** Validate one field; returns the value to use and at most one problem. */
function parseField(name: string, spec: FieldSpec, raw: unknown): { value: unknown; problem?: ConfigProblem } {
  const fallback = (kind: ProblemKind, why: string) => {
    const d = spec.default;
    const value = Array.isArray(d) ? [...d] : d;
    return { value, problem: { field: name, kind, received: raw, used: value, message: `${name}: ${why}; using ${describe(value)}` } };
  };
  switch (spec.kind) {
    case 'bool':
      if (typeof raw === 'boolean') return { value: raw };
      return fallback('wrong-type', `${describe(raw)} is not true or false`);
    case 'enum':
      if (typeof raw === 'string' && (spec.options as readonly string[]).includes(raw)) return { value: raw };
      if (typeof raw !== 'string') return fallback('wrong-type', `${describe(raw)} is not text`);
      return fallback('not-an-option', `${describe(raw)} is not one of ${spec.options.join(', ')}`);
    case 'int':
    case 'real': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fallback('wrong-type', `${describe(raw)} is not a finite number`);
      return clampNumber(name, spec, raw);
    }
    case 'intList': {
      if (!Array.isArray(raw)) return fallback('wrong-type', `${describe(raw)} is not a list of steps`);
      const kept = raw.filter((x): x is number => typeof x === 'number' && Number.isInteger(x) && x >= spec.min && x <= spec.max);
      const value = [...new Set(kept)].sort((a, b) => a - b).slice(0, spec.maxItems);
      if (kept.length !== raw.length || value.length !== raw.length || value.some((v, i) => v !== raw[i])) {
        const shown = value.length > 8 ? `${value.slice(0, 8).join(',')},... (${value.length})` : value.join(',') || '(none)';
        return {
          value,
          problem: {
            field: name, kind: 'out-of-range', received: raw, used: value,
            message: `${name}: kept the whole steps in ${spec.min}..${spec.max}, sorted without repeats, at most ${spec.maxItems}: ${shown}`,
          },
        };
      }
      return { value };
    }
  }
}

function clampNumber(name: string, spec: Extract<FieldSpec, { kind: 'int' | 'real' }>, raw: number) {
  if (spec.kind === 'real' && spec.allowZero && raw === 0) return { value: 0 };
  let value = raw;
  let kind: ProblemKind | undefined;
  if (spec.kind === 'int' && !Number.isInteger(value)) {
    value = Math.round(value);
    kind = 'not-an-integer';
  }
  if (spec.kind === 'real' && spec.allowZero && value > 0 && value < spec.min) {
    // Below the smallest positive setting: the nearest valid value is 0 or min, whichever is closer.
    value = value < spec.min / 2 ? 0 : spec.min;
    kind = 'out-of-range';
  } else if (value < spec.min || value > spec.max) {
    value = Math.min(spec.max, Math.max(spec.min, value));
    kind = 'out-of-range';
  }
  if (!kind) return { value };
  const range = `${spec.min}..${spec.max}${spec.kind === 'real' && spec.allowZero ? ' or 0' : ''}`;
  return {
    value,
    problem: { field: name, kind, received: raw, used: value, message: `${name}: ${raw} is outside ${range} or not allowed; using ${value}` },
  };
}

/** Rules that involve more than one field. Mutates `c`, returns the problems. */
function reconcile(c: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const adjust = <K extends FieldName>(field: K, value: Config[K], why: string) => {
    problems.push({ field, kind: 'inconsistent', received: c[field], used: value, message: `${field}: ${why}; using ${describe(value)}` });
    c[field] = value;
  };
  // BatchNorm normalises over the batch: one sample has zero variance (PyTorch refuses it too).
  if (c.batchNorm && c.batchSize < 2) adjust('batchSize', 2, 'BatchNorm needs at least 2 samples per batch');
  if (c.model === 'cnn') {
    const { minDepth, maxDepth, maxWidth } = CNN_LIMITS;
    if (c.depth < minDepth) adjust('depth', minDepth, `the CNN has ${minDepth} or ${maxDepth} conv layers`);
    if (c.depth > maxDepth) adjust('depth', maxDepth, `the CNN has ${minDepth} or ${maxDepth} conv layers`);
    if (c.width > maxWidth) adjust('width', maxWidth, `the CNN has at most ${maxWidth} channels per layer`);
  }
  // Steps are numbered 0..steps-1, so a decay at `steps` itself would never happen.
  const inRun = c.lrDecaySteps.filter((s) => s < c.steps);
  if (inRun.length !== c.lrDecaySteps.length) adjust('lrDecaySteps', inRun, `decay steps at or after the end of the run (step ${c.steps}) never happen`);
  return problems;
}

/**
 * Parse anything (JSON from a file, a decoded query, a message) into the nearest
 * valid Config. Missing fields take their defaults silently; everything else
 * that had to change is listed in `problems`.
 */
export function parseConfig(input: unknown): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const config = defaultConfig();
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    if (input !== undefined) {
      problems.push({ field: '(config)', kind: 'wrong-type', received: input, message: `the config is not an object (${describe(input)}); using the defaults` });
    }
    return { config, problems };
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(CONFIG_FIELDS, key)) {
      problems.push({ field: key, kind: 'unknown-field', received: record[key], message: `${key}: not a setting of RankLab; ignored` });
    }
  }
  const out = config as Record<string, unknown>;
  for (const name of FIELD_NAMES) {
    if (!Object.hasOwn(record, name) || record[name] === undefined) continue;
    const { value, problem } = parseField(name, CONFIG_FIELDS[name], record[name]);
    out[name] = value;
    if (problem) problems.push(problem);
  }
  problems.push(...reconcile(config));
  return { config, problems };
}

/** What is wrong with `raw` as the value of setting `name` on its own, or undefined when it is valid as it is. */
export function checkField(name: FieldName, raw: unknown): ConfigProblem | undefined {
  return parseField(name, CONFIG_FIELDS[name], raw).problem;
}
