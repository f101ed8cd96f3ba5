// Text form of a Config: the run part of the share-link query (?v=1&model=mlp&..., read whole by
// link.ts) and CLI flags (--batchSize 8) both go through here, with the same names as the schema.

import { CONFIG_FIELDS, FIELD_NAMES, type Config, type FieldSpec } from './fields';
import { parseConfig, type ConfigProblem, type ParsedConfig } from './parse';
import { findPreset } from './presets';

/** Bump when a field changes meaning; add a migration in `migrate` below. */
export const QUERY_VERSION = 1;

/** Keys of the query that are not config fields but belong to the link (view, grid, seeds and basis: a sweep, src/core/sweep/link.ts). */
export const LINK_KEYS = ['v', 'play', 'backend', 'compare', 'preset', 'x', 'view', 'grid', 'seeds', 'basis', 'present'] as const;

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A config field by name: own keys only, so "constructor" or "__proto__" in a link is an unknown key, not Object's. */
export const isFieldName = (key: string): key is keyof typeof CONFIG_FIELDS => Object.hasOwn(CONFIG_FIELDS, key);

/** `compare=none` (or empty): explicitly no comparison run, also where the link's demo has one. */
export const NO_COMPARISON = 'none';

/** Turn one field's text into the typed value the schema expects (or leave it as text for parseConfig to reject). */
export function valueFromText(spec: FieldSpec, text: string): unknown {
  const t = text.trim();
  switch (spec.kind) {
    case 'bool':
      if (/^(true|1|yes|on)$/i.test(t)) return true;
      if (/^(false|0|no|off)$/i.test(t)) return false;
      return t;
    case 'enum':
      return t;
    case 'int':
    case 'real':
      return NUMBER_RE.test(t) ? Number(t) : t;
    case 'intList':
      if (t === '') return [];
      return t.split(',').map((p) => (NUMBER_RE.test(p.trim()) ? Number(p.trim()) : p));
  }
}

export function valueToText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export interface ParsedQuery extends ParsedConfig {
  /** `play=1` in the link: start training as soon as the page opens. */
  play: boolean;
  version: number | null;
  /** `compare=weightDecay%3D0`: a second run in lockstep, as overrides of this config (validated by the same schema). */
  compare: Partial<Config> | null;
  /** `preset=<id>`: which demo the link came from (for its caption). */
  preset: string | null;
}

/** Overrides of `base` from a nested query ("weightDecay=0&batchSize=64"): only valid, known fields survive. */
export function overridesFromQuery(base: Config, query: string): { overrides: Partial<Config>; problems: ConfigProblem[] } {
  const raw: Record<string, unknown> = Object.create(null);
  for (const [key, text] of new URLSearchParams(query)) {
    raw[key] = isFieldName(key) ? valueFromText(CONFIG_FIELDS[key], text) : text;
  }
  const problems: ConfigProblem[] = [];
  // Both runs of a comparison train on one data set and one batch sequence (the main run's).
  if ('dataset' in raw && raw.dataset !== base.dataset) {
    problems.push({ field: 'compare.dataset', kind: 'inconsistent', received: raw.dataset, used: base.dataset,
      message: `compare.dataset: both runs of a comparison train on the same data; using ${base.dataset}` });
    delete raw.dataset;
  }
  const parsed = parseConfig({ ...base, ...raw });
  // Every field the comparison ends up with that differs from the main run: those it names, and
  // those the schema had to change to make it valid (a CNN's depth and width), so the link written
  // back carries them and parses without the same repairs on every reload.
  const overrides: Partial<Config> = {};
  for (const key of FIELD_NAMES) {
    if (JSON.stringify(parsed.config[key]) !== JSON.stringify(base[key])) (overrides as Record<string, unknown>)[key] = parsed.config[key];
  }
  return { overrides, problems: [...problems, ...parsed.problems.map((p) => ({ ...p, field: `compare.${p.field}`, message: `compare.${p.message}` }))] };
}

export function overridesToQuery(overrides: Partial<Config>): string {
  const params = new URLSearchParams();
  for (const name of FIELD_NAMES) if (name in overrides) params.set(name, valueToText(overrides[name]));
  return params.toString();
}

/**
 * The run a share-link query defines ("?v=1&batchSize=8" or "v=1&batchSize=8"): its config, the
 * comparison and the demo; never throws. The rest of a link (backend, time axis, sweep,
 * presentation) is read by readLink (link.ts), the codec that calls this.
 */
export function configFromQuery(query: string): ParsedQuery {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const problems: ConfigProblem[] = [];
  const raw: Record<string, unknown> = Object.create(null);
  for (const [key, text] of params) {
    if ((LINK_KEYS as readonly string[]).includes(key)) continue;
    raw[key] = isFieldName(key) ? valueFromText(CONFIG_FIELDS[key], text) : text;
  }
  const versionText = params.get('v');
  const version = versionText !== null && /^\d+$/.test(versionText) ? Number(versionText) : null;
  if (versionText !== null && version === null) {
    problems.push({ field: 'v', kind: 'wrong-type', received: versionText, message: `v: link version ${JSON.stringify(versionText.slice(0, 20))} is not a number; read as version ${QUERY_VERSION}` });
  } else if (version !== null && version > QUERY_VERSION) {
    problems.push({ field: 'v', kind: 'out-of-range', received: version, message: `v: this link is from a newer RankLab (version ${version}); settings this version does not know were ignored` });
  }
  // A demo's link may be as short as "?preset=smaller-batch" (easy to type on a slide):
  // the demo's settings and comparison are the base, and any field in the link wins.
  const preset = findPreset(params.get('preset'));
  const parsed = parseConfig({ ...preset?.overrides, ...migrate(raw, version ?? QUERY_VERSION) });
  const playText = params.get('play');
  const given = params.get('compare');
  const none = given !== null && (given.trim() === '' || given.trim() === NO_COMPARISON);
  const compareText = none ? null : given ?? (preset?.compare ? overridesToQuery(preset.compare) : null);
  const compare = compareText === null ? null : overridesFromQuery(parsed.config, compareText);
  if (compare && !Object.keys(compare.overrides).length) {
    problems.push({ field: 'compare', kind: 'wrong-type', received: compareText, message: 'compare: the comparison run differs in no valid setting; showing one run' });
  }
  return {
    config: parsed.config,
    problems: [...problems, ...parsed.problems, ...(compare?.problems ?? [])],
    play: playText === '1' || playText === 'true',
    version,
    compare: compare && Object.keys(compare.overrides).length ? compare.overrides : null,
    preset: params.get('preset'),
  };
}

/** Older link versions are translated here before validation. There are none yet. */
function migrate(raw: Record<string, unknown>, _version: number): Record<string, unknown> {
  return raw;
}

/**
 * Every field is written, defaults included, so that a link keeps meaning the same
 * run even if a later version changes a default.
 */
export function configToQuery(config: Config, options: { play?: boolean; compare?: Partial<Config> | null; preset?: string | null } = {}): string {
  const params = new URLSearchParams();
  params.set('v', String(QUERY_VERSION));
  for (const name of FIELD_NAMES) params.set(name, valueToText(config[name]));
  if (options.compare && Object.keys(options.compare).length) params.set('compare', overridesToQuery(options.compare));
  else if (findPreset(options.preset ?? null)?.compare) params.set('compare', NO_COMPARISON); // the demo's comparison was removed
  if (options.preset) params.set('preset', options.preset);
  if (options.play) params.set('play', '1');
  return params.toString();
}
