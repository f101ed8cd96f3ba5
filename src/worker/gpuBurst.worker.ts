/// <reference lib="webworker" />
// A throwaway worker for one WebGL or WebGPU burst of the automatic backend choice. In a
// worker of its own the burst can be stopped at its cap even while WebGL compiles shaders
// synchronously, and terminating it drops whatever shader compilation is still queued
// (on SwiftShader, seconds of CPU work that would otherwise slow the chosen backend).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { burst, type GpuBurstReply, type GpuBurstRequest } from './burst';
import { assertValidDataset } from '../core/data/dataset';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (r: GpuBurstReply) => scope.postMessage(r);

scope.onmessage = async (e: MessageEvent<GpuBurstRequest>) => {
  const { backend, config, data, capMs } = e.data;
  try {
    assertValidDataset(data); // it crossed a thread: its arrays must still agree
  } catch (err) {
    reply({ type: 'figure', figure: { backend, skipped: `its data arrived damaged (${err instanceof Error ? err.message : err})` } });
    return;
  }
  const start = async () => (await tf.setBackend(backend)) && tf.getBackend() === backend;
  const figure = await burst(backend, undefined, config, data, capMs, start, (done) => reply({ type: 'steps', done }));
  reply({ type: 'figure', figure });
};
