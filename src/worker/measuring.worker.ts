/// <reference lib="webworker" />
// The measuring worker: the second core's job. The training worker sends it a capture of a
// run (every tensor, the last batch, the step's numbers) and goes on training; this worker
// loads the tensors into its own SIMD engine for the same network and data, takes the
// gradients on the last batch, runs the test pass and computes every spectrum in float64,
// and answers with the Snapshot. Requests are answered one at a time, in order.

import type { Config } from '../core/config/fields';
import { datasetFor } from '../core/data/forConfig';
import { prepareKernels } from '../core/engine/simd/kernels';
import { SimdEngine } from '../core/engine/simd/simdEngine';
import { architectureFor } from '../core/models/architecture';
import { Measurer } from '../core/train/measurer';
import type { MeasureReply, MeasureRequest, MeasuringMessage } from './protocol';
import { DrawingSignal } from './drawingSignal';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** One measurer per run (main or comparison), rebuilt when the run's network or data change. */
const measurers = new Map<string, { key: string; measurer: Measurer }>();
let queue: Promise<void> = Promise.resolve();
/** The page's drawing signal, once shared: measuring pauses between layers and test batches while the page draws. */
let drawing: DrawingSignal | null = null;
const pausePoint = () => { drawing?.waitWhileDrawing(); };

/** The MNIST file, from the training worker (which fetched and checked it) before its first measurement of an MNIST run. */
let shareMnist: (file: ArrayBuffer) => void = () => {};
const mnist = new Promise<ArrayBuffer>((resolve) => { shareMnist = resolve; });

const networkKey = (c: Config) => JSON.stringify([c.dataset, c.seed, c.model, c.depth, c.width, c.batchNorm, c.activation]);

async function measurerFor(run: string, config: Config): Promise<Measurer> {
  const key = networkKey(config);
  const known = measurers.get(run);
  if (known?.key === key) return known.measurer;
  await prepareKernels();
  const data = await datasetFor(config.dataset, config.seed, () => mnist);
  const architecture = architectureFor(config, data);
  const engine = new SimdEngine(architecture, data);
  engine.pausePoint = pausePoint;
  const measurer = new Measurer(architecture, data, engine, pausePoint);
  measurers.set(run, { key, measurer });
  return measurer;
}

async function answer(request: MeasureRequest): Promise<MeasureReply> {
  try {
    const measurer = await measurerFor(request.run, request.config);
    return { id: request.id, snapshot: await measurer.measure(request.capture) };
  } catch (err) {
    return { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
}

scope.onmessage = (e: MessageEvent<MeasuringMessage>) => {
  const message = e.data;
  if (message.type === 'drawing-signal') drawing = new DrawingSignal(message.buffer);
  else if (message.type === 'mnist') shareMnist(message.buffer);
  else queue = queue.then(async () => scope.postMessage(await answer(message)));
};
