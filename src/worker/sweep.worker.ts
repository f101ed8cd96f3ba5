/// <reference lib="webworker" />
// A sweep worker: one of the page's pool. It runs the cells it is sent, one at a time, with the
// same runCell as the CLI (RankLab's SIMD engine), and answers with each cell's result.

import { datasetFor } from '../core/data/forConfig';
import type { Dataset } from '../core/data/dataset';
import { fetchMnist, MNIST_BIN_PATH } from '../core/data/fetchMnist';
import { siteFile } from './siteFile';
import { prepareKernels } from '../core/engine/simd/kernels';
import { runCell } from '../core/sweep/runCell';
import type { SweepReply } from './protocol';
import { checkSweepCommand } from './checkCommand';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** By dataset and seed (the split depends on the seed); the file itself is fetched once. */
const datasets = new Map<string, Dataset>();
let mnist: Promise<ArrayBuffer> | null = null;
let queue: Promise<void> = Promise.resolve();

async function dataFor(name: 'mnist' | 'teacher', seed: number): Promise<Dataset> {
  const key = `${name}:${seed}`;
  let data = datasets.get(key);
  if (!data) {
    mnist ??= fetchMnist(siteFile(MNIST_BIN_PATH));
    data = await datasetFor(name, seed, () => mnist!);
    datasets.set(key, data);
  }
  return data;
}

scope.onmessage = (e: MessageEvent<unknown>) => {
  const checked = checkSweepCommand(e.data);
  if ('refused' in checked) {
    const index = (e.data as { cell?: { index?: unknown } } | null)?.cell?.index;
    scope.postMessage({ type: 'error', index: typeof index === 'number' ? index : -1, message: `refused: ${checked.refused}` } satisfies SweepReply);
    return;
  }
  const { cell, points } = checked.command;
  queue = queue.then(async () => {
    let reply: SweepReply;
    try {
      await prepareKernels();
      reply = { type: 'result', result: await runCell(cell, await dataFor(cell.config.dataset, cell.seed), 'simd', points) };
    } catch (err) {
      reply = { type: 'error', index: cell.index, message: err instanceof Error ? err.message : String(err) };
    }
    scope.postMessage(reply);
  });
};
