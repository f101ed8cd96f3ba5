// `npx tsx scripts/bench-gemm.ts [fma|plain]`: numbers, not a test. GFLOP/s of the SIMD engine's
// matrix products on the shapes a step and a test pass need (MLP B=8/32, the CNN's conv2 and
// conv3 at B=32, the 784-512 test pass), each the fastest of 7 timed repeats.
import '../src/node/relaxedSimd';
import { instantiateKernels, prepareKernels, type KernelBuild } from '../src/core/engine/simd/kernels';

const build = await prepareKernels((process.argv.find((a) => a === 'fma' || a === 'plain') as KernelBuild) || undefined);
const memory = new WebAssembly.Memory({ initial: 1 });
const k = instantiateKernels(memory);
let top = (k.heapBase() + 15) & ~15;
const WORKSPACE_FLOATS = 1 << 20;
const workspace = (top + 63) & ~63;
top = workspace + WORKSPACE_FLOATS * 4;
const usePacking = (on: boolean) => k.setWorkspace(on ? workspace : 0, on ? WORKSPACE_FLOATS * 4 : 0);
function alloc(floats: number): number {
  const ptr = (top + 63) & ~63;
  top = ptr + floats * 4;
  if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
  return ptr;
}
function fill(ptr: number, n: number) {
  const v = new Float32Array(memory.buffer, ptr, n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i) * 0.1;
}

type Shape = { name: string; m: number; n: number; kk: number; kind: 'NN' | 'TN' | 'NT' };
const shapes: Shape[] = [
  { name: 'MLP B=8 layer-1 forward', m: 8, n: 128, kk: 784, kind: 'NN' },
  { name: 'MLP B=8 layer-1 weight gradient (A^T)', m: 784, n: 128, kk: 8, kind: 'TN' },
  { name: 'MLP B=32 layer-1 forward', m: 32, n: 128, kk: 784, kind: 'NN' },
  { name: 'MLP B=32 layer-1 weight gradient (A^T)', m: 784, n: 128, kk: 32, kind: 'TN' },
  { name: 'MLP B=32 128x128 input gradient (B^T)', m: 32, n: 128, kk: 128, kind: 'NT' },
  { name: 'CNN conv2 forward', m: 1568, n: 64, kk: 576, kind: 'NN' },
  { name: 'CNN conv2 weight gradient (A^T)', m: 576, n: 64, kk: 1568, kind: 'TN' },
  { name: 'CNN conv2 input gradient (B^T)', m: 1568, n: 576, kk: 64, kind: 'NT' },
  { name: 'CNN conv3 forward', m: 512, n: 64, kk: 576, kind: 'NN' },
  { name: 'test pass 784-512 layer 1 (250 rows)', m: 250, n: 512, kk: 784, kind: 'NN' },
  { name: 'test pass 512-512 (250 rows)', m: 250, n: 512, kk: 512, kind: 'NN' },
];
console.log(`kernels: ${build}; packed panels (the engine's way) against unpacked, alternating, fastest of 7 each`);
for (const s of shapes) {
  const a = alloc(s.m * s.kk), b = alloc(s.kk * s.n), c = alloc(s.m * s.n);
  fill(a, s.m * s.kk); fill(b, s.kk * s.n);
  const run = () => {
    if (s.kind === 'NN') k.gemm(s.m, s.n, s.kk, a, s.kk, 1, b, s.n, c, s.n, 1, 0);
    else if (s.kind === 'TN') k.gemm(s.m, s.n, s.kk, a, 1, s.m, b, s.n, c, s.n, -0.1, 0.99);
    else k.gemmNT(s.m, s.n, s.kk, a, s.kk, b, s.kk, c, s.n, 1, 0);
  };
  const flops = 2 * s.m * s.n * s.kk;
  const reps = Math.max(1, Math.round(2e8 / flops));
  for (let i = 0; i < reps; i++) run();
  const times = { packed: [] as number[], unpacked: [] as number[] };
  for (let r = 0; r < 7; r++) {
    for (const mode of ['packed', 'unpacked'] as const) {
      usePacking(mode === 'packed');
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) run();
      times[mode].push((performance.now() - t0) / reps);
    }
  }
  // The least disturbed repeat: this machine is shared.
  const [ms, unpackedMs] = [Math.min(...times.packed), Math.min(...times.unpacked)];
  const shape = `${String(s.m).padStart(5)}x${String(s.n).padEnd(4)}x${String(s.kk).padEnd(5)}`;
  console.log(`${s.name.padEnd(42)} ${shape} ${ms.toFixed(3).padStart(8)} ms ${(flops / ms / 1e6).toFixed(1).padStart(5)} GFLOP/s   unpacked ${(flops / unpackedMs / 1e6).toFixed(1).padStart(5)}`);
  top = a;
}
