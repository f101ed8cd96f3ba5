// The page's side of the drawing signal (src/worker/drawingSignal.ts): mark each chart
// redraw, so the training worker stands aside until the redraw is on screen.

import { DrawingSignal } from '../worker/drawingSignal';

let signal: DrawingSignal | null | undefined;
/** Counts redraws, so the end of an earlier one does not end a later one early. */
let generation = 0;

/** The buffer to hand the training worker, or null where the page is not cross-origin isolated. */
export function drawingSignalBuffer(): SharedArrayBuffer | null {
  if (signal === undefined) signal = DrawingSignal.create();
  return signal?.buffer ?? null;
}

/** Call just before a state change that redraws a chart. */
export function beginDrawing(): void {
  // A hidden tab draws nothing (and runs no animation frames to end the hold with).
  if (!signal || document.visibilityState === 'hidden') return;
  signal.begin();
  const mine = ++generation;
  // A recharts redraw is a chain: render and commit now, the chart's effects in a scheduler
  // task, its store's notifications and a second render in the next animation frame, and the
  // effects of that render after it. Ending after one frame instead halved the time training
  // waits (15-30 ms a second instead of 35-60) but let main-thread tasks of 32-34 ms through
  // again on the 10-layer network, where two frames left none over 30 ms.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    if (mine === generation) signal?.end();
  })));
}
