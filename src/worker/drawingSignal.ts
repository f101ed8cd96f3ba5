// The page tells the training worker when it is drawing, so the worker can stand aside.
//
// Why: on a 2-core machine the training thread (always busy), the measuring worker and the
// browser's raster threads compete with the page's main thread. A chart update that takes
// 10-20 ms of the main thread's CPU then took 30-70 ms of wall time (a Chromium trace of the
// 10-layer network), and anything the person does waits that long. While the page draws,
// the training worker pauses between chunks, so the drawing gets a core of its own; training
// loses about the time the drawing takes.
//
// One SharedArrayBuffer (the page is cross-origin isolated; without isolation there is no
// signal and nothing changes): an Int32 flag and a Float64 deadline in ms since the epoch,
// so a page that never clears the flag (a background tab, whose timers are throttled)
// holds training up until the deadline at most.

const FLAG = 0;
const DEADLINE_BYTE_OFFSET = 8;
const BYTES = 16;

/** Longest one drawing may hold training up. */
export const MAX_HOLD_MS = 120;

export class DrawingSignal {
  private readonly flag: Int32Array;
  private readonly deadline: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.flag = new Int32Array(buffer, 0, 1);
    this.deadline = new Float64Array(buffer, DEADLINE_BYTE_OFFSET, 1);
  }

  /** A signal the page can share, or null where SharedArrayBuffer is unavailable. */
  static create(): DrawingSignal | null {
    if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated === false) return null;
    return new DrawingSignal(new SharedArrayBuffer(BYTES));
  }

  /** The page starts drawing: hold training up until end() or for holdMs at most. */
  begin(holdMs = MAX_HOLD_MS): void {
    this.deadline[0] = Date.now() + Math.min(holdMs, MAX_HOLD_MS);
    Atomics.store(this.flag, FLAG, 1);
  }

  /** The page is done drawing: let training go on at once. */
  end(): void {
    Atomics.store(this.flag, FLAG, 0);
    Atomics.notify(this.flag, FLAG);
  }

  get drawing(): boolean {
    return Atomics.load(this.flag, FLAG) === 1 && Date.now() < this.deadline[0];
  }

  /**
   * In the worker: block while the page draws (never past the deadline). Returns the ms waited.
   * Atomics.wait is allowed in workers only, which is where this runs.
   */
  waitWhileDrawing(): number {
    const started = Date.now();
    for (let left = this.deadline[0] - Date.now(); Atomics.load(this.flag, FLAG) === 1 && left > 0; left = this.deadline[0] - Date.now()) {
      Atomics.wait(this.flag, FLAG, 1, left);
    }
    return Date.now() - started;
  }
}
