// The SIMD engine's heavy kernels on two threads. A convolution's products (the CNN's
// 1568 x 64 x 576 at B=32: forward, input gradient, weight gradient) are 80% of its step and
// run near one WebAssembly thread's peak (4 lanes), so the second core is what is left. The
// engine's memory is shared with a helper thread that has its own instance of the same
// kernels. A job is split into chunks (32 rows of a product's C, 2 samples of an im2col or
// col2im, 256 rows of an unpacked product or of the lists of nonzeros) that both threads take from a counter until none
// is left. No chunk's arithmetic depends on which thread ran it or on the other chunks, so a
// run is the same bit for bit with the helper as without it.
//
// The control block (a SharedArrayBuffer) holds a claim word, (job generation << 11) | next
// chunk, and the job's arguments. A chunk is claimed with compare-and-exchange on that word,
// so a helper that read the arguments of another job cannot claim anything with them. Between
// jobs the word says "no chunk left" (next = 2047), so the arguments can be rewritten safely.
// Pure: no DOM, no Node; the environment starts the helper (src/node/kernelHelper.ts, and
// src/worker/kernelHelper.worker.ts in the page) and the helper runs serveKernels.

import { sharedKernelModule, type Kernels } from './kernels';

/** What a helper thread needs: the kernels' shared-memory build, the engine's memory, the control block. */
export interface KernelHelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}

/** Starts a thread that calls serveKernels(init); returns how to stop it. */
export type StartKernelHelper = (init: KernelHelperInit) => { stop(): void };

let helperStarter: StartKernelHelper | null = null;

/**
 * Let SIMD engines created from now on share their heavy kernels with a helper thread that
 * `start` starts (null: one thread). Needs prepareSharedKernels() to have compiled the shared
 * build; without it (no SharedArrayBuffer), engines keep one thread. Set by the CLI's training
 * and the benchmark in Node and by the page's training worker: not by sweeps, whose cells
 * already fill the cores, nor by the measuring worker, which is the other core's.
 */
export function useKernelThreads(start: StartKernelHelper | null): void {
  helperStarter = start;
}

/** What a new engine needs to start its helper, or null for one thread. */
export function kernelThreadsSetting(): { module: WebAssembly.Module; start: StartKernelHelper } | null {
  const module = sharedKernelModule();
  return helperStarter && module ? { module, start: helperStarter } : null;
}

// Int32 words of the control block.
const CLAIM = 0, TOTAL = 1, DONE = 2, READY = 3, STOP = 4;
const CHUNK_BITS = 11;
/** The control block's layout, for a test that plays a helper which dies holding a chunk. */
export const CONTROL_WORDS = { CLAIM, TOTAL, READY, CHUNK_BITS } as const;
/** In the claim word's chunk field: no chunk to take (between jobs). */
const CLOSED = (1 << CHUNK_BITS) - 1;
const GENERATIONS = 1 << (31 - CHUNK_BITS);
// Float64 arguments after the words: the job's kind, its units (rows or samples), units per
// chunk, the kind's own parameters, then the workspace and the helper's A block.
const ARGS_BYTE = 64;
const KIND = 0, UNITS = 1, PER_CHUNK = 2, PARAMS = 3, PARAM_COUNT = 12;
const WORKSPACE = PARAMS + PARAM_COUNT, WORKSPACE_BYTES = WORKSPACE + 1, HELPER_BLOCK = WORKSPACE + 2;
const CONTROL_BYTES = ARGS_BYTE + 8 * (HELPER_BLOCK + 1);

const enum Kind { PackedRows, Im2col, Col2im, Rows, ZeroSkip, ListRowPairs }

/** Below this a product takes about as long as waking the helper. */
const MIN_SHARED_FLOPS = 4e6;
/** The same for im2col, col2im and lists: 512 KB (the CNN demo's 16 channels at B=8 make 226 KB, and trained 10% slower when shared). */
const MIN_SHARED_FLOATS = 131072;
/** How long a chunk may take the helper before the step fails: chunks take microseconds to milliseconds. */
const HELPER_SILENT_MS = 10_000;
/** How long an idle helper polls before it sleeps: the next job of a step usually comes sooner, and waking a sleeping thread takes tens of microseconds. */
const IDLE_POLL_MS = 0.25;

/**
 * Chunk `i0..i1` of a job, on whichever thread took it. `p` holds the kind's parameters; `block`
 * is the calling thread's own k * 4 floats for a packed product's transposed A.
 */
function runChunk(k: Kernels, kind: Kind, i0: number, i1: number, p: ArrayLike<number>, block: number): void {
  switch (kind) {
    case Kind.PackedRows: // n8, k, a, aRow, aCol, c, ldc, alpha, beta: rows of C from the packed panels
      k.packedRows(i0, i1, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], block);
      return;
    case Kind.Im2col: // x, h, w, c, oh, ow, cols, bytes per sample in and out: samples i0..i1-1
      k.im2col(p[0] + i0 * p[7], i1 - i0, p[1], p[2], p[3], p[4], p[5], p[6] + i0 * p[8]);
      return;
    case Kind.Col2im: // cols, h, w, c, oh, ow, dx: samples i0..i1-1
      k.col2im(p[0] + i0 * p[8], i1 - i0, p[1], p[2], p[3], p[4], p[5], p[6] + i0 * p[7]);
      return;
    case Kind.Rows: // n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta: an unpacked gemm's rows i0..i1-1
      k.gemm(i1 - i0, p[0], p[1], p[2] + i0 * p[3] * 4, p[3], p[4], p[5], p[6], p[7] + i0 * p[8] * 4, p[8], p[9], p[10]);
      return;
    case Kind.ZeroSkip: // first row (even), n, k, a, lda, b, ldb, c, ldc, lists: rows first+i0..first+i1-1 (i0 even: chunks are pairs)
      k.gemmZeroSkip(p[0] + i0, p[0] + i1, p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]);
      return;
    case Kind.ListRowPairs: // a, cols, lists: rows i0..i1-1 (i0 even: chunks are pairs)
      k.listRowPairs(p[0] + i0 * p[1] * 4, i1 - i0, p[1], p[2] + (i0 / 2) * (p[1] + 4) * 4);
  }
}

/** The calling thread's side: kernels that share their work with the helper where it pays. */
export class KernelThreads {
  private readonly words: Int32Array;
  private readonly args: Float64Array;
  /** Started at the first job worth sharing: a network whose jobs are all small never starts one. */
  private helper: { stop(): void } | null = null;
  private readonly init: KernelHelperInit;
  private generation = 0;
  private workspace = 0;
  private workspaceBytes = 0;
  private helperBlock = 0;
  /** Jobs shared so far (for tests and the benchmark). */
  shared = 0;
  /** How long a chunk may take the helper before the step fails (a test shortens it). */
  silentMs = HELPER_SILENT_MS;

  constructor(private readonly k: Kernels, memory: WebAssembly.Memory, module: WebAssembly.Module, private readonly start: StartKernelHelper) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.words = new Int32Array(control, 0, ARGS_BYTE / 4);
    this.args = new Float64Array(control, ARGS_BYTE);
    this.words[CLAIM] = CLOSED;
    this.init = { module, memory, control };
  }

  /** The helper has its kernels and waits for work (until then everything runs here alone). */
  get ready(): boolean {
    return Atomics.load(this.words, READY) === 1;
  }

  /** Resolves once the helper is ready (true), or false after `timeoutMs` (until then the engine runs alone, correctly). Starts it. */
  async whenReady(timeoutMs = 5000): Promise<boolean> {
    this.helperReady();
    const until = performance.now() + timeoutMs;
    while (!this.ready && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
    return this.ready;
  }

  /** The packing workspace (as the kernels' setWorkspace), and `helperBlock`: the helper's own k * 4 floats for a transposed A's block. */
  setWorkspace(ptr: number, bytes: number, helperBlock: number): void {
    this.k.setWorkspace(ptr, bytes);
    [this.workspace, this.workspaceBytes, this.helperBlock] = [ptr, bytes, helperBlock];
  }

  /** The kernels with the heavy ones shared where it pays. */
  wrap(): Kernels {
    return { ...this.k, gemm: this.gemm, gemmNT: this.gemmNT, im2col: this.im2col, col2im: this.col2im, gemmZeroSkip: this.gemmZeroSkip, listRowPairs: this.listRowPairs };
  }

  readonly gemm: Kernels['gemm'] = (m, n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta) => {
    if (!this.worthSharing(m, n, k)) return this.k.gemm(m, n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta);
    if (this.k.packs(m, n, k)) {
      if (n % 8 !== 0) return this.k.gemm(m, n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta);
      this.k.packB(n, k, b, ldb);
      this.run(Kind.PackedRows, m, 32, [n, k, a, aRow, aCol, c, ldc, alpha, beta]);
    } else if (k < 64) {
      // Unpacked (a slice of rows never packs with k < 64, so the threads do not share the workspace).
      this.run(Kind.Rows, m, 256, [n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta]);
    } else {
      this.k.gemm(m, n, k, a, aRow, aCol, b, ldb, c, ldc, alpha, beta);
    }
  };

  readonly gemmNT: Kernels['gemmNT'] = (m, n, k, a, lda, b, ldb, c, ldc, alpha, beta) => {
    if (!this.worthSharing(m, n, k) || n % 8 !== 0 || !this.k.packs(m, n, k)) return this.k.gemmNT(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta);
    this.k.packBT(n, k, b, ldb);
    this.run(Kind.PackedRows, m, 32, [n, k, a, lda, 1, c, ldc, alpha, beta]);
  };

  readonly im2col: Kernels['im2col'] = (x, batch, h, w, c, oh, ow, cols) => {
    if (!this.worthSharingCopy(batch * oh * ow * 9 * c)) return this.k.im2col(x, batch, h, w, c, oh, ow, cols);
    this.run(Kind.Im2col, batch, 2, [x, h, w, c, oh, ow, cols, h * w * c * 4, oh * ow * 9 * c * 4]);
  };

  readonly col2im: Kernels['col2im'] = (cols, batch, h, w, c, oh, ow, dx) => {
    if (!this.worthSharingCopy(batch * oh * ow * 9 * c)) return this.k.col2im(cols, batch, h, w, c, oh, ow, dx);
    this.run(Kind.Col2im, batch, 2, [cols, h, w, c, oh, ow, dx, h * w * c * 4, oh * ow * 9 * c * 4]);
  };

  readonly gemmZeroSkip: Kernels['gemmZeroSkip'] = (i0, i1, n, k, a, lda, b, ldb, c, ldc, lists) => {
    if (!this.worthSharing(i1 - i0, n, k)) return this.k.gemmZeroSkip(i0, i1, n, k, a, lda, b, ldb, c, ldc, lists);
    // A weight gradient computed transposed has as few rows as channels: small chunks, so both threads get some.
    this.run(Kind.ZeroSkip, i1 - i0, Math.min(32, Math.max(2, Math.ceil((i1 - i0) / 16))), [i0, n, k, a, lda, b, ldb, c, ldc, lists]);
  };

  readonly listRowPairs: Kernels['listRowPairs'] = (a, rows, cols, lists) => {
    if (!this.worthSharingCopy(rows * cols)) return this.k.listRowPairs(a, rows, cols, lists);
    this.run(Kind.ListRowPairs, rows, 256, [a, cols, lists]);
  };

  private worthSharing(m: number, n: number, k: number): boolean {
    return 2 * m * n * k >= MIN_SHARED_FLOPS && this.helperBlock !== 0 && this.helperReady();
  }

  /** A copy-like job (im2col, col2im, lists) of `floats` values. */
  private worthSharingCopy(floats: number): boolean {
    return floats >= MIN_SHARED_FLOATS && this.helperReady();
  }

  /** Whether the helper takes work; the first job worth sharing starts it (that job and those until it is ready run here). */
  private helperReady(): boolean {
    this.helper ??= this.start(this.init);
    return this.ready;
  }

  /** A job of `units` rows or samples, `perChunk` a chunk, on both threads; returns when every chunk is done. */
  private run(kind: Kind, units: number, perChunk: number, params: number[]): void {
    const { words, args } = this;
    const per = Math.max(perChunk, Math.ceil(units / (CLOSED - 1)));
    // Packed rows start on a block of 4; the lists and the products that skip zeros go by pairs of rows.
    const chunk = kind === Kind.PackedRows ? 4 * Math.ceil(per / 4) : kind === Kind.ZeroSkip || kind === Kind.ListRowPairs ? 2 * Math.ceil(per / 2) : per;
    const total = Math.ceil(units / chunk);
    args[KIND] = kind; args[UNITS] = units; args[PER_CHUNK] = chunk;
    params.forEach((v, i) => { args[PARAMS + i] = v; });
    args[WORKSPACE] = this.workspace; args[WORKSPACE_BYTES] = this.workspaceBytes; args[HELPER_BLOCK] = this.helperBlock;
    words[TOTAL] = total;
    words[DONE] = 0;
    this.generation = (this.generation + 1) % GENERATIONS;
    const open = this.generation << CHUNK_BITS;
    Atomics.store(words, CLAIM, open);
    Atomics.notify(words, CLAIM);
    // This thread's A block: just past the panels in the workspace, as in one thread's gemm.
    const block = kind === Kind.PackedRows ? this.workspace + params[1] * params[0] * 4 : 0;
    for (;;) {
      const word = Atomics.load(words, CLAIM);
      const next = word & CLOSED;
      if (next >= total) break;
      if (Atomics.compareExchange(words, CLAIM, word, word + 1) !== word) continue;
      runChunk(this.k, kind, next * chunk, Math.min(units, (next + 1) * chunk), params, block);
      Atomics.add(words, DONE, 1);
    }
    // The helper's last chunk is tens of microseconds: wait for it here. A helper that died holding
    // a chunk (a trap in its kernels) would leave this thread spinning for ever, and its chunk
    // cannot be redone here (an update in place may be half applied): fail the step with a reason.
    let done = Atomics.load(words, DONE), since = performance.now(), polls = 0;
    while (done < total) {
      const now = Atomics.load(words, DONE);
      if (now !== done) { done = now; since = performance.now(); }
      else if ((++polls & 1023) === 0 && performance.now() - since > this.silentMs) {
        throw new Error(`the SIMD engine's helper thread stopped answering (a chunk unfinished for ${this.silentMs / 1000} s)`);
      }
    }
    this.shared++;
    Atomics.store(words, CLAIM, open | CLOSED);
  }

  stop(): void {
    Atomics.store(this.words, STOP, 1);
    Atomics.store(this.words, CLAIM, (((this.generation + 1) % GENERATIONS) << CHUNK_BITS) | CLOSED);
    Atomics.notify(this.words, CLAIM);
    this.helper?.stop();
  }
}

/** The helper thread's loop: its own instance of the kernels on the shared memory, taking chunks until stopped. */
export function serveKernels(init: KernelHelperInit): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory, abort: () => { throw new Error('kernel abort'); } } });
  const k = instance.exports as unknown as Kernels;
  const words = new Int32Array(init.control, 0, ARGS_BYTE / 4);
  const args = new Float64Array(init.control, ARGS_BYTE);
  const params = new Float64Array(PARAM_COUNT);
  Atomics.store(words, READY, 1);
  for (;;) {
    const word = Atomics.load(words, CLAIM);
    if (Atomics.load(words, STOP)) return;
    const next = word & CLOSED;
    if (next < Atomics.load(words, TOTAL)) {
      // Read the job, then claim: the claim fails if the job changed meanwhile.
      const kind = args[KIND] as Kind, units = args[UNITS], chunk = args[PER_CHUNK];
      params.set(args.subarray(PARAMS, PARAMS + PARAM_COUNT));
      const workspace = args[WORKSPACE], workspaceBytes = args[WORKSPACE_BYTES], block = args[HELPER_BLOCK];
      if (Atomics.compareExchange(words, CLAIM, word, word + 1) !== word) continue;
      k.setWorkspace(workspace, workspaceBytes);
      runChunk(k, kind, next * chunk, Math.min(units, (next + 1) * chunk), params, block);
      Atomics.add(words, DONE, 1);
      continue;
    }
    const until = performance.now() + IDLE_POLL_MS;
    let polls = 0;
    while (Atomics.load(words, CLAIM) === word && (++polls & 63 || performance.now() < until)) { /* poll */ }
    if (Atomics.load(words, CLAIM) === word) Atomics.wait(words, CLAIM, word);
  }
}
