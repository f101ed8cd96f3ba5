// The command behind `npm run sweep -- <options>`: train every cell of a grid (or one
// shard of it) with the CLI's run loop and write DIR/sweep.json and DIR/sweep.csv; or merge
// the folders of several shards into the files the whole sweep would have written.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetFor } from '../core/data/forConfig';
import type { Dataset } from '../core/data/dataset';
import { parseGrid, SWEEP_BASES, type SweepBasis } from '../core/sweep/grid';
import { describeParams, parseShard, shardCells, specProblems, sweepCells, type Shard, type SweepCell, type SweepSpec } from '../core/sweep/cells';
import { mergeSweeps, sweepCsv, sweepFile, sweepFileProblems, sweepJson, type CellResult, type SweepFile } from '../core/sweep/result';
import { runCell, secondsLeft } from '../core/sweep/runCell';
import { architectureFor } from '../core/models/architecture';
import { parseCliArgs } from './args';
import { prepareOut } from './outDir';
import { readMnist } from '../node/mnistFile';
import { useBackend, type NodeBackend } from '../node/tfNode';
import { runCellsInProcesses } from './sweepProcesses';

export interface SweepOptions {
  spec: SweepSpec | null;
  out?: string;
  jobs: number;
  shard: Shard | null;
  merge: string[] | null;
  backend: NodeBackend;
  quiet: boolean;
  help: boolean;
  errors: string[];
  warnings: string[];
}

const SWEEP_FLAGS = ['grid', 'seeds', 'basis', 'points', 'jobs', 'shard', 'merge'];

export function sweepUsage(): string {
  return [
    'Usage: npm run sweep -- --grid "batchSize=8,32,128;weightDecay=0,0.005,0.01,0.02" [--steps N] [any config flag] --out DIR',
    '                        [--seeds S] [--basis steps|epochs] [--points P] [--jobs K] [--shard I/N] [--backend simd|wasm|cpu] [--quiet]',
    '       npm run sweep -- --merge DIR1 DIR2 ... --out DIR',
    '',
    '  --grid      axes among batchSize, learningRate, weightDecay, each a comma-separated list; axes separated by ";"',
    '  --seeds     seeds per setting (the config\'s seed, seed+1, ...; default 1)',
    '  --basis     steps: every cell trains --steps steps; epochs: every cell sees as many samples as --steps steps at --batchSize (default steps)',
    '  --points    measurements per cell, the last at its end (default 1)',
    '  --jobs      cells run at once in separate processes (default 1); results do not depend on it',
    '  --shard I/N run only cells I, I+N, I+2N, ... (I from 0); merge the N folders with --merge',
    '',
    'Writes DIR/sweep.json ({grid, config, cells: [{params, seed, status, meanRank, ranks, testAccuracy, trainLoss, steps, seconds}]})',
    'and DIR/sweep.csv (one row per cell and seed). Progress on stderr. Every other flag is a config flag, as for npm run train.',
  ].join('\n');
}

/** Split the sweep's own flags from the config flags, which parseCliArgs reads as `npm run train` does. */
export function parseSweepArgs(argv: string[]): SweepOptions {
  const errors: string[] = [];
  const rest: string[] = [];
  let gridText: string | null = null;
  let seeds = 1, points = 1, jobs = 1;
  let basis: SweepBasis = 'steps';
  let shard: Shard | null = null;
  let merge: string[] | null = null;
  const whole = (flag: string, text: string | undefined, min: number, max: number) => {
    const n = Number(text);
    if (text === undefined || !/^\d+$/.test(text.trim()) || n < min || n > max) { errors.push(`--${flag} takes a whole number from ${min} to ${max} (got ${JSON.stringify(text ?? null)})`); return min; }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? (arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]) : ['', undefined];
    if (!SWEEP_FLAGS.includes(name)) { rest.push(arg); continue; }
    if (name === 'merge') {
      merge = inline !== undefined ? [inline] : [];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) merge.push(argv[++i]);
      if (!merge.length) errors.push('--merge takes the folders of the shards to merge');
      continue;
    }
    const value = inline ?? (i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : undefined);
    if (value === undefined) { errors.push(`--${name} needs a value`); continue; }
    if (name === 'grid') gridText = value;
    else if (name === 'seeds') seeds = whole('seeds', value, 1, 100);
    else if (name === 'points') points = whole('points', value, 1, 100);
    else if (name === 'jobs') jobs = whole('jobs', value, 1, 64);
    else if (name === 'basis') {
      if ((SWEEP_BASES as readonly string[]).includes(value)) basis = value as SweepBasis;
      else errors.push(`--basis must be one of ${SWEEP_BASES.join(', ')} (got ${JSON.stringify(value)})`);
    } else if (name === 'shard') {
      const parsed = parseShard(value);
      if ('problem' in parsed) errors.push(parsed.problem); else shard = parsed;
    }
  }
  const cli = parseCliArgs(rest);
  errors.push(...cli.errors);
  if (cli.compare) errors.push('--compare trains a pair in lockstep; a sweep has no comparison run (put the setting in the grid)');
  const warnings = cli.problems.map((p) => p.message);
  let spec: SweepSpec | null = null;
  if (!merge && !cli.help) {
    if (gridText === null) errors.push('--grid is required, e.g. --grid "weightDecay=0,0.005,0.01,0.02"');
    else {
      const grid = parseGrid(gridText, cli.config);
      errors.push(...grid.problems.map((p) => `--grid: ${p}`));
      spec = { grid: grid.grid, base: cli.config, seeds, basis, points };
      errors.push(...specProblems(spec));
    }
  }
  if (merge && (gridText !== null || shard)) errors.push('--merge takes only the shards\' folders and --out');
  if (cli.out === undefined && !cli.help) errors.push('--out DIR is required: the folder sweep.json and sweep.csv go in');
  return { spec, out: cli.out, jobs, shard, merge, backend: cli.backend, quiet: cli.quiet, help: cli.help, errors, warnings };
}


function writeSweep(dir: string, file: SweepFile) {
  writeFileSync(join(dir, 'sweep.json'), sweepJson(file));
  writeFileSync(join(dir, 'sweep.csv'), sweepCsv(file));
}

export function readSweepFile(dir: string): SweepFile {
  const path = existsSync(join(dir, 'sweep.json')) ? join(dir, 'sweep.json') : dir;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read a sweep (${err instanceof Error ? err.message : String(err)})`);
  }
  const problems = sweepFileProblems(value);
  if (problems.length) throw new Error(`${path}: ${problems.join('; ')}`);
  return value as SweepFile;
}

const describeCell = (c: Pick<SweepCell, 'params' | 'seed'>) => `${describeParams(c.params)}, seed ${c.seed}`;

export function cellLine(r: CellResult): string {
  if (r.status === 'diverged') return `diverged at step ${r.steps}`;
  return `mean rank ${r.meanRank!.toFixed(2)}, test acc ${r.testAccuracy!.toFixed(3)}${r.status === 'collapsed' ? ' (collapsed: accuracy at chance)' : ''}`;
}

/** A process's datasets, by seed (the split depends on it): a child keeps them from cell to cell. */
const datasets = new Map<number, Dataset>();

/** Run the cells here, one after the other. */
export async function runCellsHere(cells: SweepCell[], spec: SweepSpec, backend: NodeBackend, onResult: (r: CellResult) => void) {
  const engine = (await useBackend(backend)) === 'simd' ? 'simd' : 'tfjs';
  for (const cell of cells) {
    let data = datasets.get(cell.seed);
    if (!data) datasets.set(cell.seed, (data = await datasetFor(cell.config.dataset, cell.seed, async () => readMnist())));
    onResult(await runCell(cell, data, engine, spec.points));
  }
}

/** Returns the exit code (0 done, 2 bad usage). */
export async function runSweepCommand(argv: string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  const options = parseSweepArgs(argv);
  if (options.help) { log(sweepUsage()); return 0; }
  if (options.errors.length) { for (const e of options.errors) log(`error: ${e}`); log('(see --help)'); return 2; }
  for (const w of options.warnings) log(`warning: ${w}`);
  const outProblem = prepareOut(options.out!);
  if (outProblem) { log(`error: ${outProblem}`); return 2; }

  if (options.merge) {
    let merged: SweepFile;
    try {
      merged = mergeSweeps(options.merge.map(readSweepFile));
    } catch (err) {
      log(`error: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
    writeSweep(options.out!, merged);
    log(`merged ${options.merge.length} shard(s), ${merged.cells.length} cells, into ${join(options.out!, 'sweep.json')} and sweep.csv`);
    return 0;
  }

  const spec = options.spec!;
  const all = sweepCells(spec);
  const cells = options.shard ? shardCells(all, options.shard) : all;
  const jobs = Math.min(options.jobs, Math.max(1, cells.length));
  log(`RankLab sweep: ${all.length} cells (${spec.grid.map((a) => `${a.values.length} ${a.field}`).join(' x ')} x ${spec.seeds} seed${spec.seeds > 1 ? 's' : ''}), ` +
    `equal ${spec.basis}, ${options.shard ? `shard ${options.shard.index}/${options.shard.count}: ${cells.length} cells, ` : ''}${jobs} job${jobs > 1 ? 's' : ''}, backend ${options.backend}`);
  // The layers' names come from the base config (a shard may hold no cell, and must still match the others).
  const layers = architectureFor(spec.base, await datasetFor(spec.base.dataset, spec.base.seed, async () => readMnist())).layers.map((l) => l.name);
  const started = performance.now();
  const results: CellResult[] = [];
  const onResult = (r: CellResult) => {
    results.push(r);
    const elapsed = (performance.now() - started) / 1000;
    const left = secondsLeft(results.length, cells.length, elapsed);
    if (!options.quiet || results.length === cells.length) {
      log(`[${results.length}/${cells.length}] ${describeCell(r)}: ${cellLine(r)} (${r.seconds.toFixed(1)} s); ` +
        `${elapsed.toFixed(0)} s elapsed${left !== null && results.length < cells.length ? `, ~${left.toFixed(0)} s left` : ''}`);
    }
  };
  if (jobs > 1) await runCellsInProcesses(cells, spec, options.backend, jobs, onResult);
  else await runCellsHere(cells, spec, options.backend, onResult);
  const file = sweepFile(spec, layers, results, options.shard ?? undefined);
  writeSweep(options.out!, file);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s: wrote ${join(options.out!, 'sweep.json')} and sweep.csv`);
  return 0;
}
