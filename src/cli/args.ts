// Command-line flags for `npm run train`: every config field is a flag of the same
// name (--batchSize 8), `--config` takes a share-link query, and a few flags
// belong to the tool itself. Later flags override earlier ones and the link.

import { CONFIG_FIELDS, FIELD_NAMES, type FieldSpec, configFromQuery, parseConfig, valueFromText, type ConfigProblem, type ParsedConfig, type Config, findPreset, PRESETS, overridesFromQuery, overridesToQuery } from '../core/config';
import { NODE_BACKENDS, type NodeBackend } from '../node/tfNode';
import { isFieldName } from '../core/config/query';

export interface CliOptions extends ParsedConfig {
  out?: string;
  /** A second run trained in lockstep on the same batches: overrides of the config. */
  compare: Partial<Config> | null;
  backend: NodeBackend;
  quiet: boolean;
  help: boolean;
  /** Problems with the command line itself (unknown flags, missing values): fatal. */
  errors: string[];
}

const TOOL_FLAGS = ['out', 'backend', 'config', 'preset', 'compare', 'quiet', 'help'];

export function parseCliArgs(argv: string[]): CliOptions {
  const errors: string[] = [];
  let out: string | undefined;
  let backend: NodeBackend = 'simd';
  let quiet = false;
  let help = false;
  let base: Record<string, unknown> = {};
  const baseProblems: ConfigProblem[] = [];
  const fields: Record<string, unknown> = {};
  let compareText: string | null = null;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { errors.push(`unexpected argument ${JSON.stringify(arg)} (flags look like --batchSize 8)`); continue; }
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const isSwitch = name === 'quiet' || name === 'help' || (isFieldName(name) && CONFIG_FIELDS[name].kind === 'bool');
    // A switch takes a value only as --flag=value (or a config switch's following true/false); any
    // other flag takes the next argument, unless that is a flag itself (--steps --quiet).
    if (value === undefined && !isSwitch) {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) { errors.push(`--${name} needs a value`); continue; }
      value = argv[++i];
    } else if (value === undefined && name !== 'quiet' && name !== 'help' && /^(true|false)$/.test(argv[i + 1] ?? '')) {
      value = argv[++i];
    }
    if (name === 'help' || name === 'quiet') {
      const on = value === undefined ? true : ({ true: true, false: false } as Record<string, boolean>)[value];
      if (on === undefined) { errors.push(`--${name} is on or off: --${name}, --${name}=true or --${name}=false (got ${JSON.stringify(value)})`); continue; }
      if (name === 'help') help = on;
      else quiet = on;
    } else if (name === 'out') {
      out = value; // checked (an empty name too) before training: outDir.ts
    }
    else if (name === 'backend') {
      if ((NODE_BACKENDS as readonly string[]).includes(value!)) backend = value as NodeBackend;
      else errors.push(`--backend must be one of ${NODE_BACKENDS.join(', ')} (got ${JSON.stringify(value)})`);
    } else if (name === 'config') {
      const link = value!.includes('?') ? value!.slice(value!.indexOf('?')) : value!;
      const parsed = configFromQuery(link);
      base = { ...parsed.config };
      if (parsed.compare) compareText = overridesToQuery(parsed.compare);
      baseProblems.push(...parsed.problems);
    } else if (name === 'preset') {
      const preset = findPreset(value!);
      if (!preset) errors.push(`--preset must be one of ${PRESETS.map((p) => p.id).join(', ')} (got ${JSON.stringify(value)})`);
      else {
        base = { ...parseConfig(preset.overrides).config };
        if (preset.compare) compareText = overridesToQuery(preset.compare);
      }
    } else if (name === 'compare') {
      compareText = value!;
    } else if (isFieldName(name)) {
      const spec = CONFIG_FIELDS[name as keyof typeof CONFIG_FIELDS];
      fields[name] = value === undefined ? true : valueFromText(spec, value);
    } else {
      errors.push(`unknown flag --${name} (known: ${[...FIELD_NAMES, ...TOOL_FLAGS].map((f) => '--' + f).join(' ')})`);
    }
  }
  const parsed = parseConfig({ ...base, ...fields });
  const compare = compareText === null ? null : overridesFromQuery(parsed.config, compareText);
  if (compare && !Object.keys(compare.overrides).length) errors.push(`--compare ${JSON.stringify(compareText)} changes no setting (e.g. --compare "weightDecay=0")`);
  return {
    ...parsed,
    problems: [...baseProblems, ...parsed.problems, ...(compare?.problems ?? [])],
    compare: compare && Object.keys(compare.overrides).length ? compare.overrides : null,
    out, backend, quiet, help, errors,
  };
}

export function usage(): string {
  const lines = [
    'Usage: npm run train -- [--preset ID] [--config "<share-link query>"] [--field value ...] [--compare "<overrides>"] [--out DIR] [--backend simd|wasm|cpu] [--quiet]',
    `  --preset: one of ${PRESETS.map((p) => p.id).join(', ')} (its comparison too); --compare "weightDecay=0": a second run in lockstep on the same batches`,
    '',
    'Trains with the paper\'s update W <- (1 - 2*mu*lambda) W - mu*G and measures every weight matrix\'s spectrum.',
    'Progress goes to stderr; with --out DIR it writes DIR/run.json and one .npy per final weight matrix.',
    '',
    'Fields (default, range):',
  ];
  for (const name of FIELD_NAMES) {
    const s: FieldSpec = CONFIG_FIELDS[name];
    const range = s.kind === 'int' || s.kind === 'real' ? `${s.min}..${s.max}${s.kind === 'real' && s.allowZero ? ' or 0' : ''}`
      : s.kind === 'enum' ? s.options.join('|') : s.kind === 'bool' ? 'true|false' : 'comma-separated steps';
    lines.push(`  --${name.padEnd(14)} ${String(Array.isArray(s.default) ? s.default.join(',') || '(none)' : s.default).padEnd(9)} ${range.padEnd(22)} ${s.help}`);
  }
  return lines.join('\n');
}
