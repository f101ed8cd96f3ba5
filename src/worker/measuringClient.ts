// The training worker's side of the measuring worker: measure a captured run off the
// training thread. Where the measuring worker cannot start or fails (no nested workers,
// one core), measure() says so by rejecting, and the caller measures in place.

import type { Config } from '../core/config/fields';
import type { SnapshotCapture } from '../core/train/measurer';
import type { Snapshot } from '../core/train/snapshot';
import type { MeasureReply, MeasureRequest, MeasuringMessage } from './protocol';

export class MeasuringClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: Snapshot) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL('./measuring.worker.ts', import.meta.url), { type: 'module', name: 'ranklab-measuring' });
    this.worker.onmessage = (e: MessageEvent<MeasureReply>) => {
      const reply = e.data;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) {
        // A measurement that fails there (no WebAssembly SIMD, say) would fail again: measure in place from now on.
        waiting?.reject(new Error(reply.error));
        this.fail(new Error(`the measuring worker could not measure: ${reply.error}`));
      } else waiting?.resolve(reply.snapshot);
    };
    this.worker.onerror = (e) => this.fail(new Error(`the measuring worker failed: ${e.message}`));
  }

  /** The MNIST file, as the training worker fetched it: a copy, before any measurement needs it. */
  shareMnist(file: ArrayBuffer): void {
    const copy = file.slice(0);
    this.worker.postMessage({ type: 'mnist', buffer: copy } satisfies MeasuringMessage, [copy]);
  }

  /** False once the worker has failed: measure in place from then on. */
  get usable(): boolean {
    return this.failed === null;
  }

  measure(run: MeasureRequest['run'], config: Config, capture: SnapshotCapture): Promise<Snapshot> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The tensors' buffers are copies made for this request: move them instead of copying again.
      const transfer = (capture.tensors ?? []).map((t) => t.data.buffer as ArrayBuffer);
      this.worker.postMessage({ type: 'measure', id, run, config, capture } satisfies MeasureRequest, transfer);
    });
  }

  /** Share the page's drawing signal: the measuring worker pauses between pieces of work while the page draws. */
  shareDrawingSignal(buffer: SharedArrayBuffer): void {
    this.worker.postMessage({ type: 'drawing-signal', buffer } satisfies MeasuringMessage);
  }

  private fail(error: Error) {
    this.failed = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.worker.terminate();
  }
}
