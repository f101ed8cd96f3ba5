// The command behind `npm run train -- <options>`: the lab's training core in Node.
// Progress to stderr; with --out DIR, DIR/run.json (config, backend, every snapshot)
// and the final weight matrices as .npy files named after the layers (PyTorch layout).

import { decayPerStep } from '../core/theory';
import { join } from 'node:path';
import { datasetFor } from '../core/data/forConfig';
import { exportRun } from '../core/export/torchNames';
import { describeOverrides } from '../core/config';
import { runToCompletion } from '../core/train/run';
import type { Snapshot } from '../core/train/snapshot';
import { TrainingRun } from '../core/train/trainingRun';
import { engineOf } from '../core/engine/engine';
import { parseCliArgs, usage } from './args';
import { readMnist } from '../node/mnistFile';
import { useBackend } from '../node/tfNode';
import { useTwoThreads } from '../node/kernelHelper';
import { availableParallelism } from 'node:os';
import { writeRun } from './writeRun';
import { clearEarlierRun, prepareOut } from './outDir';


export function progressLine(s: Snapshot, stepsPerSecond: number): string {
  const ranks = s.layers.map((l) => l.rank).join(' ');
  // Step 0 has no training loss yet (no step taken): a dash, not "NaN".
  const loss = Number.isNaN(s.trainLoss) && s.step === 0 ? '-' : s.trainLoss.toFixed(4);
  return `step ${String(s.step).padStart(6)}  epoch ${s.epoch.toFixed(2).padStart(6)}  loss ${loss.padStart(7)}  ` +
    `test acc ${s.testAccuracy.toFixed(4)}  mean rank ${s.meanRank.toFixed(2).padStart(7)}  ranks [${ranks}]  ${stepsPerSecond.toFixed(0)} steps/s`;
}

/** Runs the command; returns the exit code (0 done, 2 bad usage, 3 the run diverged). */
export async function runTrainCommand(argv: string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.help) { log(usage()); return 0; }
  if (options.errors.length) { for (const e of options.errors) log(`error: ${e}`); log('(see --help)'); return 2; }
  for (const p of options.problems) log(`warning: ${p.message}`);
  const { config } = options;

  // The folder is made (and checked writable) before training, not found wanting after it.
  if (options.out !== undefined) {
    const problem = prepareOut(options.out);
    if (problem) { log(`error: ${problem}`); return 2; }
    clearEarlierRun(options.out);
  }
  const backend = await useBackend(options.backend);
  // The SIMD engine's heavy kernels (a CNN's products) on two threads where there are two cores.
  const threads = backend === 'simd' && availableParallelism() > 1 && (await useTwoThreads()) ? 2 : 1;
  const data = await datasetFor(config.dataset, config.seed, async () => readMnist());
  const run = TrainingRun.build(config, data, engineOf(backend), options.compare);
  const trainer = run.main;
  // Kept for --out: the starting weights and every batch, so the run can be replayed in PyTorch.
  const initial = options.out ? await exportRun(trainer) : [];
  if (options.out) trainer.batchLog = [];
  log(`RankLab: ${config.model} depth ${config.depth} width ${config.width}${config.batchNorm ? ' +BN' : ''} on ${config.dataset}, ` +
    `B=${config.batchSize} mu=${config.learningRate} lambda=${config.weightDecay} (rho=${decayPerStep(config).toPrecision(6)}), ${config.steps} steps, backend ${backend}${threads > 1 ? ' (2 threads)' : ''}`);
  log(`layers: ${trainer.architecture.layers.map((l) => `${l.name} ${l.shape.join('x')}`).join(', ')}`);

  const started = performance.now();
  let lastStep = 0, lastTime = started;
  if (run.comparison) log(`comparison in lockstep on the same batches: ${describeOverrides(options.compare!)} (lines marked "vs")`);
  const result = await runToCompletion(run, (s, c) => {
    const now = performance.now();
    if (!options.quiet || s.step === config.steps) {
      log(progressLine(s, s.step > lastStep ? ((s.step - lastStep) * 1000) / (now - lastTime) : 0));
      if (c) log(`    vs ${progressLine(c, 0).replace(/\s+0 steps\/s$/, '').trimStart()}`);
    }
    lastStep = s.step; lastTime = now;
  });
  const seconds = (performance.now() - started) / 1000;
  // A diverged run's last chunk was never timed apart from its (cut-short) measuring: no steps/s for it.
  if (result.divergence) log(`stopped after ${trainer.step} steps (${seconds.toFixed(1)} s): ${result.divergence.reason} Run again with a lower --learningRate.`);
  else log(`done in ${seconds.toFixed(1)} s: ${(trainer.step / (result.trainMs / 1000)).toFixed(0)} steps/s training, ` +
    `${(result.measureMs / Math.max(1, result.snapshots.length)).toFixed(1)} ms per snapshot`);
  const last = result.snapshots[result.snapshots.length - 1];
  const lastComparison = result.comparison[result.comparison.length - 1];
  if (last?.collapse) log(last.collapse);
  if (lastComparison?.collapse) log(`comparison run: ${lastComparison.collapse}`);
  if (last?.collapse || lastComparison?.collapse) log('Run again with a lower --weightDecay or --learningRate.');

  if (options.out) {
    const files = await writeRun(options.out, { config, backend, result, trainer, initial, data, compare: options.compare });
    log(`wrote ${join(options.out, 'run.json')}, ${files} weight matrices, and init/, final/, batches.npy and the split for scripts/replay.py`);
  }
  run.dispose();
  return result.divergence ? 3 : 0;
}
