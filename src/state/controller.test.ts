// The controller's side of the worker protocol, driven through a real MessageChannel: the test
// plays the training worker, reading the commands the page sends and answering with events.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config/parse';
import type { Snapshot } from '../core/train/snapshot';
import type { Command, WorkerEvent } from '../worker/protocol';
import { connectTrainingWorker } from '../worker/client';
import { applyConfig, initController, pause, play, reset } from './controller';
import { lab } from './store';

const globals = globalThis as Record<string, unknown>;
beforeAll(() => {
  // The little of a browser the controller touches: the address bar, the tab's visibility, frames.
  globals.window = { location: { search: '', origin: 'http://lab.test', pathname: '/' }, history: { replaceState: (_s: unknown, _t: string, q: string) => { (globals.window as { location: { search: string } }).location.search = q; } } };
  globals.document = { visibilityState: 'visible' };
  globals.requestAnimationFrame = (f: () => void) => setTimeout(f, 16);
});
afterAll(() => { delete globals.window; delete globals.document; delete globals.requestAnimationFrame; });

const snapshot = (step: number): Snapshot => ({
  step, epoch: step / 1000, trainLoss: 1, testAccuracy: 0.5, testLoss: 1, learningRate: 0.1, weightDecay: 0.025, batchSize: 8, momentum: 0,
  layers: [], initialisationWeight: 1, collapse: null, meanRank: 50, measureMs: 1,
});
const settle = () => new Promise((r) => setTimeout(r, 400)); // the controller applies progress and snapshots every 250 ms

describe('the controller and the training worker, through a MessageChannel', () => {
  const channel = new MessageChannel();
  const received: Command[] = [];
  const worker = channel.port2; // the test's end: the worker's side
  worker.onmessage = (e: MessageEvent<Command>) => received.push(e.data);
  const send = (e: WorkerEvent) => worker.postMessage(e);
  const last = (type: Command['type']) => [...received].reverse().find((c) => c.type === type);

  it('asks for run 1 at start, and takes that run\'s events', async () => {
    lab.set({ config: defaultConfig() });
    initController(false, (onEvent) => connectTrainingWorker(channel.port1, onEvent, () => channel.port1.close()));
    await settle();
    const first = last('reset');
    expect(first).toMatchObject({ type: 'reset', runId: 1 });
    expect(received.some((c) => c.type === 'drawing-signal')).toBe(true);
    send({ type: 'status', runId: 1, status: 'paused', step: 0, reset: true });
    send({ type: 'snapshot', runId: 1, snapshot: snapshot(0), stepsPerSecond: 0, measuredEvery: 50 });
    await settle();
    expect(lab.get().history.map((h) => h.step)).toEqual([0]);
    play();
    await settle();
    expect(last('start')).toMatchObject({ runId: 1 }); // Play trains the same run
    send({ type: 'status', runId: 1, status: 'running', step: 0, reset: false });
    send({ type: 'snapshot', runId: 1, snapshot: snapshot(50), stepsPerSecond: 100, measuredEvery: 50 });
    send({ type: 'progress', runId: 1, step: 60, epoch: 0.06, stepsPerSecond: 100 });
    await settle();
    expect(lab.get().history.map((h) => h.step)).toEqual([0, 50]);
    expect(lab.get().step).toBe(60);
    expect(lab.get().status).toBe('running');
    // Paused at 130 while the snapshot of step 100 was being measured elsewhere: it lands after, and the counter stays at 130.
    send({ type: 'status', runId: 1, status: 'paused', step: 130, reset: false });
    await settle();
    send({ type: 'snapshot', runId: 1, snapshot: snapshot(100), stepsPerSecond: 100, measuredEvery: 50 });
    await settle();
    expect(lab.get().history.map((h) => h.step)).toEqual([0, 50, 100]);
    expect(lab.get().step).toBe(130);
  });

  it('after a reset, drops the old run\'s events still in flight and takes the new run\'s', async () => {
    reset();
    await settle();
    expect(last('reset')).toMatchObject({ runId: 2 });
    expect(lab.get().history).toEqual([]);
    // The old run had these on their way when the reset was sent.
    send({ type: 'snapshot', runId: 1, snapshot: snapshot(100), stepsPerSecond: 100, measuredEvery: 50 });
    send({ type: 'progress', runId: 1, step: 120, epoch: 0.12, stepsPerSecond: 100 });
    send({ type: 'diverged', runId: 1, divergence: { step: 120, lastGoodStep: 100, reason: 'old run' } });
    send({ type: 'error', runId: 1, phase: 'training', message: 'old run' });
    await settle();
    expect(lab.get().history).toEqual([]);
    expect(lab.get().step).toBe(0);
    expect(lab.get().notices.map((n) => n.kind)).not.toContain('diverged');
    expect(lab.get().notices.map((n) => n.kind)).not.toContain('error');
    send({ type: 'status', runId: 2, status: 'paused', step: 0, reset: true });
    send({ type: 'snapshot', runId: 2, snapshot: snapshot(0), stepsPerSecond: 0, measuredEvery: 50 });
    send({ type: 'error', runId: 2, phase: 'data', message: 'the data file is corrupt' });
    await settle();
    expect(lab.get().history.map((h) => h.step)).toEqual([0]);
    expect(lab.get().notices.find((n) => n.kind === 'error')?.text).toMatch(/the data file is corrupt/);
    expect(lab.get().status).toBe('paused');
  });

  it('two network changes in quick succession while playing leave it playing', async () => {
    play();
    const playing = (last('start') as { runId: number }).runId;
    send({ type: 'status', runId: playing, status: 'running', step: 130, reset: false });
    await settle();
    applyConfig({ depth: 3 }); // a restart: reset, then start
    const id = (last('reset') as { runId: number }).runId;
    send({ type: 'status', runId: id, status: 'paused', step: 0, reset: true }); // the worker built it, not yet started
    await settle();
    const before = received.length;
    applyConfig({ depth: 2 }); // the second change comes before the first restart's start has been answered
    await settle();
    expect(received.slice(before).map((c) => c.type)).toEqual(['reset', 'start']);
    pause();
    await settle();
  });
});
