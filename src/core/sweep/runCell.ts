// Train one cell of a sweep to its end with the same loop as the CLI (runToCompletion) and
// reduce it to its result. The CLI's processes and the page's workers both call this.

import type { Dataset } from '../data/dataset';
import type { EngineName } from '../engine/engine';
import { runToCompletion } from '../train/run';
import { TrainingRun } from '../train/trainingRun';
import type { SweepCell } from './cells';
import { cellResult, type CellResult } from './result';

/** `data` must be the cell's dataset (datasetFor(config.dataset, cell.seed, ...)): the split depends on the seed. */
export async function runCell(cell: SweepCell, data: Dataset, engine: EngineName, points: number): Promise<CellResult> {
  const started = performance.now();
  const run = TrainingRun.build(cell.config, data, engine);
  try {
    const result = await runToCompletion(run);
    const seconds = Math.round(performance.now() - started) / 1000;
    return cellResult(cell, result.snapshots, result.divergence, seconds, points);
  } finally {
    run.dispose();
  }
}

/** Seconds left, from the cells done so far (null until one is done). */
export function secondsLeft(done: number, total: number, elapsedSeconds: number): number | null {
  return done > 0 ? (elapsedSeconds / done) * (total - done) : null;
}
