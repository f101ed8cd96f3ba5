// The page asks before it builds a run that will be slow here. The schema allows networks (width
// 1024 x depth 12, batch 512) whose steps or spectra take seconds; built without a word, the page
// sat for 19 s before its first snapshot. The estimate (core/train/runCost.ts) uses the rates of
// the runs this page has timed, so it speaks of this machine and this backend.

import type { Config } from '../core/config/fields';
import { estimateSpeed, ratesFrom, runCost, TYPICAL_RATES, type MachineRates, type SpeedEstimate } from '../core/train/runCost';
import type { Snapshot } from '../core/train/snapshot';

let rates: MachineRates = TYPICAL_RATES;

/** A snapshot of a run with `config` (and its comparison) arrived at `stepsPerSecond`: this machine's rates, updated. */
export function timeRates(config: Config, compare: Partial<Config> | null, stepsPerSecond: number, snapshot: Snapshot): void {
  if (!(stepsPerSecond > 0)) return;
  // Steps/s are of both lockstep runs; the measuring time is the main run's alone.
  const cost = { flopsPerStep: runCost(config, compare).flopsPerStep, spectraWork: runCost(config).spectraWork };
  rates = ratesFrom(cost, stepsPerSecond, snapshot.measureMs);
}

export function estimateFor(config: Config, compare: Partial<Config> | null): SpeedEstimate {
  return estimateSpeed(runCost(config, compare), rates);
}

const rounded = (x: number) => (x >= 10 ? Math.round(x).toString() : x.toPrecision(2));

/** The warning, in words: what the network is, and what it will cost here. */
export function slowRunWarning(config: Config, compare: Partial<Config> | null, e: SpeedEstimate): string {
  const network = config.model === 'cnn' ? `A CNN of ${config.depth} conv layers x ${config.width} channels` : `Width ${config.width} x depth ${config.depth}`;
  const speed = e.stepsPerSecond >= 1 ? `about ${rounded(e.stepsPerSecond)} steps/s` : `a step every ${rounded(1 / e.stepsPerSecond)} s`;
  const pause = e.stepsPerSecond < 1 ? ' Pause drops the step in progress, and Play trains it again.' : '';
  return `${network} at batch size ${config.batchSize}${compare ? ', with its comparison run,' : ''} is large for this machine: ${speed}, and about ${rounded(e.measureSeconds)} s for each measurement of its spectra (the first before training starts).${pause} Train it anyway?`;
}
