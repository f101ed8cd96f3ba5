// The SIMD engine's helper thread in Node (the CLI's training and the benchmark): a
// worker_threads Worker running serveKernels (src/core/engine/simd/kernelThreads.ts).
import { Worker } from 'node:worker_threads';
import { prepareSharedKernels } from '../core/engine/simd/kernels';
import { useKernelThreads, type KernelHelperInit, type StartKernelHelper } from '../core/engine/simd/kernelThreads';
import { typeScriptWorkerSource } from './tsxLoader';

const THREAD = new URL('./kernelHelperThread.ts', import.meta.url);

export const startNodeKernelHelper: StartKernelHelper = (init: KernelHelperInit) => {
  const worker = new Worker(typeScriptWorkerSource(THREAD), { eval: true, workerData: init });
  worker.unref(); // a finished command exits even if nobody stopped its engine
  worker.on('error', (e) => { console.error(`the SIMD engine's helper thread failed: ${e.message}`); });
  return { stop: () => { void worker.terminate(); } };
};

/** Two threads for the SIMD engine's heavy kernels from now on (after prepareKernels()); false where shared memory is missing. */
export async function useTwoThreads(): Promise<boolean> {
  if (!(await prepareSharedKernels())) return false;
  useKernelThreads(startNodeKernelHelper);
  return true;
}
