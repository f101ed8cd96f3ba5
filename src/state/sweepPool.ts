// A pool of sweep workers: cells go out one at a time to whichever worker is free, results
// come back in any order. Cancel ends every worker at once. One worker per spare core
// (hardwareConcurrency - 1, at least one): the page's main thread keeps a core.

import type { SweepCell } from '../core/sweep/cells';
import type { CellResult } from '../core/sweep/result';
import type { SweepCommand, SweepReply } from '../worker/protocol';

/** What the pool needs of a worker (a real Worker, or a stand-in in tests). */
export interface SweepWorkerLike {
  postMessage(command: SweepCommand): void;
  onmessage: ((e: MessageEvent<SweepReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

export const createSweepWorker = (): SweepWorkerLike =>
  new Worker(new URL('../worker/sweep.worker.ts', import.meta.url), { type: 'module', name: 'ranklab-sweep' }) as unknown as SweepWorkerLike;

export const poolSize = (cores = globalThis.navigator?.hardwareConcurrency ?? 2) => Math.max(1, cores - 1);

export interface PoolCallbacks {
  onResult(result: CellResult): void;
  /** The sweep stopped on an error (a cell that failed, a worker that died); the results so far are kept. */
  onError(message: string): void;
  onDone(): void;
}

export class SweepPool {
  private workers: SweepWorkerLike[] = [];
  private finished = false;

  constructor(private readonly create: () => SweepWorkerLike = createSweepWorker, private readonly size = poolSize()) {}

  run(cells: SweepCell[], points: number, on: PoolCallbacks): void {
    const queue = [...cells];
    let outstanding = cells.length;
    if (outstanding === 0) { this.finish(); on.onDone(); return; }
    const stop = (message: string) => {
      if (this.finished) return;
      this.finish();
      on.onError(message);
    };
    const feed = (w: SweepWorkerLike) => {
      const cell = queue.shift();
      if (cell) w.postMessage({ type: 'cell', cell, points });
    };
    for (let k = 0; k < Math.min(this.size, cells.length); k++) {
      let w: SweepWorkerLike;
      try {
        w = this.create();
      } catch (err) {
        return stop(`a sweep worker could not start: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.workers.push(w);
      w.onmessage = (e) => {
        if (this.finished) return; // a result that arrives after Cancel is dropped
        const reply = e.data;
        if (reply.type === 'error') return stop(`cell ${reply.index} failed: ${reply.message}`);
        on.onResult(reply.result);
        if (--outstanding === 0) { this.finish(); on.onDone(); } else feed(w);
      };
      w.onerror = (e) => { e.preventDefault?.(); stop(`a sweep worker stopped: ${e.message || 'unknown error'}`); };
      feed(w);
    }
  }

  /** Stop every worker now; no result arrives after this. */
  cancel(): void {
    this.finish();
  }

  private finish() {
    this.finished = true;
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }
}
