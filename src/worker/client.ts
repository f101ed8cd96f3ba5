// The page's side of the protocol: a typed handle on the training worker.

import type { Command, WorkerEvent } from './protocol';

export interface TrainingWorker {
  send(command: Command): void;
  terminate(): void;
}

export function createTrainingWorker(onEvent: (event: WorkerEvent) => void, onCrash: (message: string) => void): TrainingWorker {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'ranklab-training' });
  worker.onmessage = (e: MessageEvent<WorkerEvent>) => onEvent(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    onCrash(e.message || 'the training worker stopped unexpectedly');
  };
  return {
    send: (command) => worker.postMessage(command),
    terminate: () => worker.terminate(),
  };
}
