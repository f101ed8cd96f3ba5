// Two threads for the SIMD engine's heavy kernels in the page (src/core/engine/simd/kernelThreads.ts):
// the training worker starts a helper worker for each engine. Only where the page is
// cross-origin isolated (shared memory) and has a second core; measuring and sweep workers
// keep one thread each.
import { prepareSharedKernels } from '../core/engine/simd/kernels';
import { useKernelThreads, type KernelHelperInit, type StartKernelHelper } from '../core/engine/simd/kernelThreads';

const startHelper: StartKernelHelper = (init: KernelHelperInit) => {
  const worker = new Worker(new URL('./kernelHelper.worker.ts', import.meta.url), { type: 'module', name: 'RankLab kernel helper' });
  worker.postMessage(init);
  return { stop: () => worker.terminate() };
};

let enabled: Promise<boolean> | null = null;

/** After prepareKernels(): engines created from now on share their heavy kernels with a helper, where this page can. */
export function useTwoThreadsWherePossible(): Promise<boolean> {
  return (enabled ??= (async () => {
    const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
    if (!isolated || (globalThis.navigator?.hardwareConcurrency ?? 1) < 2) return false;
    try {
      if (!(await prepareSharedKernels())) return false;
    } catch (err) {
      console.warn(`the SIMD engine stays on one thread: ${err instanceof Error ? err.message : err}`);
      return false;
    }
    useKernelThreads(startHelper);
    return true;
  })());
}
