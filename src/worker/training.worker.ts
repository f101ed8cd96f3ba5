/// <reference lib="webworker" />
// The training worker: owns the tfjs backend and every tensor. Its state and behaviour are one
// TrainingSession (trainingSession.ts); this file connects it to the page, the backends, the
// MNIST file and the measuring worker.

import { fetchMnist, MNIST_BIN_PATH } from '../core/data/fetchMnist';
import { siteFile } from './siteFile';
import { choiceKey, deviceLoss, startBackend } from './backend';
import { MeasuringClient } from './measuringClient';
import type { WorkerEvent } from './protocol';
import { TrainingSession } from './trainingSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function startMeasuring(): MeasuringClient | null {
  if ((globalThis.navigator?.hardwareConcurrency ?? 1) <= 1) return null; // one core: measure on the training thread
  try {
    return new MeasuringClient();
  } catch (err) {
    console.warn(`no measuring worker, measuring on the training thread: ${err instanceof Error ? err.message : err}`);
    return null;
  }
}

// A macrotask yield that is not clamped like nested setTimeout(0).
const channel = new MessageChannel();
const pending: (() => void)[] = [];
channel.port1.onmessage = () => pending.shift()?.();
const yieldToEvents = () => new Promise<void>((resolve) => { pending.push(resolve); channel.port2.postMessage(0); });

const mnistUrl = siteFile(MNIST_BIN_PATH);
let mnist: Promise<ArrayBuffer> | null = null;

const measuring = startMeasuring();

const session = new TrainingSession({
  post: (event: WorkerEvent, transfer?: Transferable[]) => scope.postMessage(event, transfer ?? []),
  backends: { start: startBackend, key: choiceKey, deviceLoss },
  // Fetched once per worker (a seed change used to fetch all 7.85 MB again) and handed to the
  // measuring worker (its own fetch, at the same moment, downloaded the file twice on a first
  // visit); a failure is retried next time.
  loadMnist: () => (mnist ??= fetchMnist(mnistUrl).then((file) => { measuring?.shareMnist(file); return file; }).catch((err) => { mnist = null; throw err; })),
  measuring,
  yieldToEvents,
});

// Checked on arrival: anything that is not a valid command is refused with the reason (checkCommand.ts).
scope.onmessage = (e: MessageEvent<unknown>) => session.receive(e.data);
scope.addEventListener('unhandledrejection', (e) => session.fail('training', (e as PromiseRejectionEvent).reason));
