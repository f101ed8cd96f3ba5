// How long the rest of a run will take at its current speed, in words a lecturer can plan by.

/** Runs shorter than this in all get no estimate: they are over before anyone reads it. */
const SHOW_ABOVE_SECONDS = 10;

/**
 * "about 2 min 10 s" (under the label "Time left") for a run of `steps` at step `step` training `stepsPerSecond`, or null
 * when the whole run takes 10 s or less at that speed, or there is no speed yet.
 */
export function timeLeft(step: number, steps: number, stepsPerSecond: number): string | null {
  if (!(stepsPerSecond > 0) || steps / stepsPerSecond <= SHOW_ABOVE_SECONDS) return null;
  const seconds = Math.max(0, (steps - step) / stepsPerSecond);
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return `about ${Math.round(seconds)} s`;
  // Past ten minutes, whole minutes: the speed moves by more than the seconds would say.
  if (seconds < 600) {
    const m = Math.floor(seconds / 60), s = Math.round((seconds - 60 * m) / 10) * 10;
    return s === 60 ? `about ${m + 1} min` : `about ${m} min${s ? ` ${s} s` : ''}`;
  }
  if (seconds < 3600) {
    const m = Math.round(seconds / 60);
    return m === 60 ? 'about 1 h' : `about ${m} min`;
  }
  const h = Math.floor(seconds / 3600), m = Math.round((seconds - 3600 * h) / 60);
  return m === 60 ? `about ${h + 1} h` : `about ${h} h${m ? ` ${m} min` : ''}`;
}
