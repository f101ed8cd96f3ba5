import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config/parse';
import { sweepCells } from '../core/sweep/cells';
import type { CellResult } from '../core/sweep/result';
import type { SweepCommand, SweepReply } from '../worker/protocol';
import { poolSize, SweepPool, type SweepWorkerLike } from './sweepPool';

const cells = sweepCells({ grid: [{ field: 'weightDecay', values: [0, 0.01, 0.02, 0.03, 0.04] }], base: parseConfig({}).config, seeds: 1, basis: 'steps', points: 1 });

/** A worker that answers each cell when `answer` is called, with a made-up result (or an error). */
class FakeWorker implements SweepWorkerLike {
  onmessage: ((e: MessageEvent<SweepReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  received: SweepCommand[] = [];
  terminated = false;
  postMessage(c: SweepCommand) { this.received.push(c); }
  terminate() { this.terminated = true; }
  answer(fail = false) {
    const cell = this.received[this.received.length - 1].cell;
    const reply: SweepReply = fail ? { type: 'error', index: cell.index, message: 'no SIMD' }
      : { type: 'result', result: { index: cell.index, params: cell.params, seed: cell.seed, status: 'ok', meanRank: 1, ranks: [1], testAccuracy: 1, trainLoss: 0, steps: 1, seconds: 0 } };
    this.onmessage?.({ data: reply } as MessageEvent<SweepReply>);
  }
}

function start(size: number) {
  const workers: FakeWorker[] = [];
  const results: CellResult[] = [];
  const events: string[] = [];
  const pool = new SweepPool(() => { const w = new FakeWorker(); workers.push(w); return w; }, size);
  pool.run(cells, 1, { onResult: (r) => results.push(r), onError: (m) => events.push(`error: ${m}`), onDone: () => events.push('done') });
  return { pool, workers, results, events };
}

describe('SweepPool', () => {
  it('keeps every worker busy with the next cell and finishes when all are back', () => {
    const { workers, results, events } = start(2);
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.received.map((c) => c.cell.index))).toEqual([[0], [1]]);
    workers[1].answer();
    expect(workers[1].received.map((c) => c.cell.index)).toEqual([1, 2]);
    workers[0].answer(); workers[1].answer(); workers[0].answer();
    expect(events).toEqual([]);
    workers[1].answer();
    expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(events).toEqual(['done']);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('drops what arrives after Cancel, and stops on a failed cell with the results so far', () => {
    const cancelled = start(2);
    cancelled.workers[0].answer();
    cancelled.pool.cancel();
    cancelled.workers[1].answer();
    expect(cancelled.results).toHaveLength(1);
    expect(cancelled.workers.every((w) => w.terminated)).toBe(true);
    expect(cancelled.events).toEqual([]);

    const failed = start(1);
    failed.workers[0].answer();
    failed.workers[0].answer(true);
    expect(failed.results).toHaveLength(1);
    expect(failed.events).toEqual(['error: cell 1 failed: no SIMD']);
  });

  it('uses every core but one, and at least one worker', () => {
    expect([poolSize(1), poolSize(2), poolSize(8)]).toEqual([1, 1, 7]);
  });
});
