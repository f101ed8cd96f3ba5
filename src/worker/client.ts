// The page's side of the protocol: a typed handle on the training worker, over any endpoint
// that passes messages (a Worker in the page; one end of a MessageChannel in the tests).

import type { Command, WorkerEvent } from './protocol';

export interface TrainingWorker {
  send(command: Command): void;
  terminate(): void;
}

/** What the controller needs of the other side: messages both ways (Comlink calls this an Endpoint). */
export interface Endpoint {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

export type TrainingWorkerFactory = (onEvent: (event: WorkerEvent) => void, onCrash: (message: string) => void) => TrainingWorker;

/** A training worker reached through `endpoint`; `terminate` ends it. */
export function connectTrainingWorker(endpoint: Endpoint, onEvent: (event: WorkerEvent) => void, terminate: () => void = () => {}): TrainingWorker {
  endpoint.onmessage = (e: MessageEvent<WorkerEvent>) => onEvent(e.data);
  return { send: (command) => endpoint.postMessage(command), terminate };
}

export const createTrainingWorker: TrainingWorkerFactory = (onEvent, onCrash) => {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'ranklab-training' });
  worker.onerror = (e) => {
    e.preventDefault();
    onCrash(e.message || 'the training worker stopped unexpectedly');
  };
  return connectTrainingWorker(worker, onEvent, () => worker.terminate());
};
