/// <reference lib="webworker" />
// The SIMD engine's helper thread in the page, started by the training worker (kernelHelper.ts):
// it takes chunks of the heavy kernels' work over the engine's shared memory until stopped.
import { serveKernels, type KernelHelperInit } from '../core/engine/simd/kernelThreads';

self.onmessage = (e: MessageEvent<KernelHelperInit>) => serveKernels(e.data);
