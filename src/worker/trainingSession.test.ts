// The worker's side of the protocol: a TrainingSession (the real one, training RankLab's SIMD
// engine on MNIST in Node) behind one end of a MessageChannel, driven by commands on the other.

import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config/parse';
import { prepareKernels } from '../core/engine/simd/kernels';
import { readMnist } from '../node/mnistFile';
import type { BackendInfo, Command, WorkerEvent } from './protocol';
import { TrainingSession } from './trainingSession';

const channel = new MessageChannel();
const page = channel.port1; // the test's end
const events: WorkerEvent[] = [];
page.onmessage = (e: MessageEvent<WorkerEvent>) => events.push(e.data);
const session = new TrainingSession({
  post: (event) => channel.port2.postMessage(event),
  backends: {
    start: async (): Promise<BackendInfo> => { await prepareKernels(); return { name: 'simd', adapter: '', reason: 'forced in the test' }; },
    key: (choice) => choice,
  },
  loadMnist: async () => readMnist(),
  measuring: null,
  yieldToEvents: () => new Promise((r) => setImmediate(r)),
});
channel.port2.onmessage = (e: MessageEvent<unknown>) => session.receive(e.data);
afterAll(() => { page.close(); channel.port2.close(); });

const send = (c: Command) => page.postMessage(c);
const config = parseConfig({ width: 32, steps: 400, snapshotEvery: 100 }).config;
async function until(test: () => boolean, ms = 30_000) {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out; events: ${events.map((e) => e.type + ('runId' in e ? e.runId : '')).join(' ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
/** A run's events, without the 'loading' status every build starts with. */
const runEvents = (id: number) => events.filter((e) => 'runId' in e && e.runId === id && !(e.type === 'status' && e.status === 'loading'));
const statuses = (id: number) => runEvents(id).flatMap((e) => (e.type === 'status' ? [e.status] : []));
const snapshotSteps = (id: number) => runEvents(id).flatMap((e) => (e.type === 'snapshot' ? [e.snapshot.step] : []));

describe('the training session, through a MessageChannel', () => {
  it('builds run 1 on reset, trains it on start to its end, and tags every event with its id', async () => {
    send({ type: 'reset', runId: 1, config, backend: 'simd' });
    await until(() => snapshotSteps(1).length === 1);
    expect(events[0]).toMatchObject({ type: 'status', runId: 1, status: 'loading' }); // said before the backend starts
    expect(events[1]).toMatchObject({ type: 'backend', backend: { name: 'simd' } });
    expect(runEvents(1)[0]).toMatchObject({ type: 'status', status: 'paused', step: 0, reset: true });
    send({ type: 'start', runId: 1, config, backend: 'simd' });
    await until(() => statuses(1).includes('finished'));
    expect(statuses(1)).toEqual(['paused', 'running', 'finished']);
    const steps = snapshotSteps(1);
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(400);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(events.every((e) => !('runId' in e) || e.runId === 1)).toBe(true);
  });

  it('pauses within a chunk, and a reset builds run 2 whose events carry only its id', async () => {
    const long = { ...config, steps: 1_000_000 };
    send({ type: 'start', runId: 1, config: long, backend: 'simd' }); // steps raised: run 1 goes on
    await until(() => runEvents(1).some((e) => e.type === 'progress' && e.step > 600));
    send({ type: 'pause' });
    await until(() => statuses(1).at(-1) === 'paused');
    const at = () => Math.max(...runEvents(1).flatMap((e) => (e.type === 'progress' || e.type === 'status' ? [e.step] : [])));
    const paused = at();
    await new Promise((r) => setTimeout(r, 300));
    expect(at()).toBe(paused); // nothing trains after Pause

    const before = events.length;
    send({ type: 'reset', runId: 2, config: { ...config, width: 16 }, backend: 'simd' });
    await until(() => snapshotSteps(2).length === 1);
    const after = events.slice(before).filter((e) => e.type !== 'backend');
    expect(after.every((e) => 'runId' in e && e.runId === 2)).toBe(true);
    expect(after[0]).toMatchObject({ type: 'status', status: 'loading' }); // said at once, under the new run's id
    expect(after[1]).toMatchObject({ type: 'status', status: 'paused', step: 0, reset: true });
  });

  it('sends checkpoints as it trains and when it stops; a resumed run goes on from one exactly', async () => {
    const long = { ...config, steps: 1_000_000, momentum: 0.5 };
    const checkpoints = (id: number) => runEvents(id).flatMap((e) => (e.type === 'checkpoint' ? [e.checkpoint] : []));
    send({ type: 'reset', runId: 3, config: long, backend: 'simd' });
    send({ type: 'start', runId: 3, config: long, backend: 'simd' });
    await until(() => runEvents(3).some((e) => e.type === 'progress' && e.step > 300));
    send({ type: 'pause' });
    await until(() => statuses(3).at(-1) === 'paused' && checkpoints(3).length > 0);
    const stopped = checkpoints(3).at(-1)!;
    const pausedAt = Math.max(...runEvents(3).flatMap((e) => (e.type === 'status' || e.type === 'progress' ? [e.step] : [])));
    expect(stopped.main.step).toBe(pausedAt); // the checkpoint is where the run stopped, not its last snapshot
    expect(stopped.main.momentum).not.toBeNull();
    // The first came while it trained, from its first chunk: a worker that dies early loses no more than that.
    expect(checkpoints(3).length).toBeGreaterThanOrEqual(2);
    expect(checkpoints(3)[0].main.step).toBeGreaterThan(0);
    expect(checkpoints(3)[0].main.step).toBeLessThan(pausedAt);

    // Run 4 resumes it, paused at its step with nothing measured; run 3 trains on alongside as the reference.
    send({ type: 'resume', runId: 4, config: long, backend: 'simd', checkpoint: stopped });
    await until(() => statuses(4).length > 0);
    expect(runEvents(4)[0]).toMatchObject({ type: 'status', status: 'paused', step: stopped.main.step, reset: false });
    expect(snapshotSteps(4)).toEqual([]);
    send({ type: 'step', runId: 4, config: long, backend: 'simd' });
    await until(() => snapshotSteps(4).length === 1);
    const resumedSnapshot = runEvents(4).find((e) => e.type === 'snapshot')!;
    const from = structuredClone(stopped);
    send({ type: 'resume', runId: 5, config: long, backend: 'simd', checkpoint: from });
    await until(() => statuses(5).length > 0);
    send({ type: 'step', runId: 5, config: long, backend: 'simd' });
    await until(() => snapshotSteps(5).length === 1);
    const again = runEvents(5).find((e) => e.type === 'snapshot')!;
    if (resumedSnapshot.type !== 'snapshot' || again.type !== 'snapshot') throw new Error('no snapshot');
    expect(again.snapshot.step).toBe(resumedSnapshot.snapshot.step);
    expect(again.snapshot.trainLoss).toBe(resumedSnapshot.snapshot.trainLoss);
    expect(again.snapshot.layers.map((l) => l.singularValues[0])).toEqual(resumedSnapshot.snapshot.layers.map((l) => l.singularValues[0]));

    // A checkpoint that does not fit: a fresh run with the settings, and the page is told why.
    const damaged = structuredClone(stopped);
    damaged.main.config = { ...damaged.main.config, width: 8 };
    for (const [id, checkpoint, why] of [[6, damaged, /another network/], [7, stopped, /another network/]] as const) {
      send({ type: 'resume', runId: id, config: id === 7 ? { ...long, width: 16 } : long, backend: 'simd', checkpoint });
      await until(() => snapshotSteps(id).length === 1);
      expect(runEvents(id)[0]).toMatchObject({ type: 'status', status: 'paused', step: 0, reset: true });
      expect(runEvents(id).find((e) => e.type === 'error')).toMatchObject({ phase: 'restore', message: expect.stringMatching(why) });
    }
  });

  it('a Pause sent while the run is being built (the data file loading) keeps it paused', async () => {
    const seen: WorkerEvent[] = [];
    let release!: () => void;
    const slow = new TrainingSession({
      post: (event) => seen.push(event),
      backends: { start: async () => { await prepareKernels(); return { name: 'simd', adapter: '', reason: 'test' }; }, key: (choice) => choice },
      loadMnist: async () => { await new Promise<void>((r) => { release = r; }); return readMnist(); },
      measuring: null,
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
    });
    slow.receive({ type: 'start', runId: 9, config, backend: 'simd' });
    await until(() => seen.some((e) => e.type === 'status' && e.status === 'loading'));
    slow.receive({ type: 'pause' });
    release();
    await until(() => seen.some((e) => e.type === 'snapshot'));
    await new Promise((r) => setTimeout(r, 300));
    const states = seen.flatMap((e) => (e.type === 'status' ? [e.status] : []));
    expect(states).toEqual(['loading', 'paused', 'paused']);
    expect(seen.some((e) => e.type === 'progress')).toBe(false); // nothing trained
  });

  it('refuses, with the reason, a message outside the protocol or the settings table, and the run keeps its settings', async () => {
    const seen: WorkerEvent[] = [];
    const guarded = new TrainingSession({
      post: (event) => seen.push(event),
      backends: { start: async () => { await prepareKernels(); return { name: 'simd', adapter: '', reason: 'test' }; }, key: (choice) => choice },
      loadMnist: async () => readMnist(),
      measuring: null,
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
    });
    const refusals = () => seen.flatMap((e) => (e.type === 'refused' ? [e.reason] : []));
    guarded.receive(null); // threw before
    expect(refusals()).toEqual([expect.stringMatching(/not a command \(null\)/)]);
    guarded.receive({ type: 'start', runId: 1, config: { ...config, learningRate: 1e9 }, backend: 'simd' });
    expect(refusals()[1]).toMatch(/^start: config: learningRate: 1000000000 is outside/);
    expect(seen.some((e) => e.type === 'status')).toBe(false); // nothing was built

    const bn = { ...config, batchNorm: true, steps: 1_000_000 };
    guarded.receive({ type: 'start', runId: 2, config: bn, backend: 'simd' });
    await until(() => seen.some((e) => e.type === 'progress'));
    guarded.receive({ type: 'update', changes: { learningRate: 1e9, batchSize: 3.5 } });
    expect(refusals()[2]).toMatch(/learningRate: 1000000000 is outside .*; batchSize: 3.5 is outside/);
    guarded.receive({ type: 'update', changes: { batchSize: 1 } }); // valid alone, not with BatchNorm
    expect(refusals()[3]).toMatch(/BatchNorm needs at least 2 samples/);
    guarded.receive({ type: 'update', changes: { seed: 5 } });
    expect(refusals()[4]).toMatch(/seed cannot change while a run goes on/);
    guarded.receive({ type: 'update', changes: { learningRate: 0.05 } }); // a valid one is taken
    guarded.receive({ type: 'pause' });
    await until(() => seen.some((e) => e.type === 'status' && e.status === 'paused' && e.step > 0));
    // The checkpoint taken where it stopped (earlier ones came while it trained).
    const pausedAt = seen.findIndex((e) => e.type === 'status' && e.status === 'paused' && e.step > 0);
    await until(() => seen.slice(pausedAt).some((e) => e.type === 'checkpoint'));
    const stopped = seen.flatMap((e) => (e.type === 'checkpoint' ? [e.checkpoint] : [])).at(-1)!;
    expect(stopped.main.config).toMatchObject({ learningRate: 0.05, batchSize: config.batchSize });
    expect(refusals()).toHaveLength(5);
  });

  it('reports a failure to build a run under the id of the command that asked for it', async () => {
    const failed: WorkerEvent[] = [];
    const broken = new TrainingSession({
      post: (event) => failed.push(event),
      backends: { start: async () => ({ name: 'simd', adapter: '', reason: 'test' }), key: (choice) => choice },
      loadMnist: async () => { throw new Error('mnist.bin is corrupt'); },
      measuring: null,
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
    });
    broken.receive({ type: 'reset', runId: 70, config, backend: 'simd' });
    await until(() => failed.some((e) => e.type === 'error'));
    expect(failed.filter((e) => e.type !== 'backend')).toEqual([
      { type: 'status', runId: 70, status: 'loading', step: 0, reset: false },
      { type: 'status', runId: 70, status: 'failed', step: 0, reset: false },
      { type: 'error', runId: 70, phase: 'data', message: 'mnist.bin is corrupt' },
    ]);
  });
});
