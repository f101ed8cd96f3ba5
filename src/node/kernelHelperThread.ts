// The helper thread's entry in Node (started by kernelHelper.ts).
import { workerData } from 'node:worker_threads';
import { serveKernels, type KernelHelperInit } from '../core/engine/simd/kernelThreads';

serveKernels(workerData as KernelHelperInit);
