// The share link's codec, the one place a link is read and written: the whole configuration, the
// comparison run, the demo, the backend, the time axis, the sweep and presentation mode in the
// URL query. Every value is checked here; what had to be repaired is listed. The page keeps the
// address bar on what linkQuery writes (src/state/url.ts). The CLI's --config reads a link's run part (configFromQuery): it has no backend
// of the page's or time axis to read.

import { configFromQuery, configToQuery } from './query';
import { findPreset } from './presets';
import type { Config } from './fields';
import { BACKEND_CHOICES, type BackendChoice } from '../engine/backendChoice';
import { sweepFromParams, sweepToParams, type SweepLink } from '../sweep/link';

/** Everything a link holds: what is on screen, as the store has it. */
export interface LinkContent {
  config: Config;
  backendChoice: BackendChoice;
  play: boolean;
  compare: Partial<Config> | null;
  preset: string | null;
  timeAxis: TimeAxis;
  /** Which view is open, and the sweep's definition. */
  sweep: SweepLink;
  /** present=1: the lab in presentation mode (charts filling the screen, a strip of controls). */
  present: boolean;
}

export const TIME_AXES = ['step', 'epoch'] as const;
/** What the time axes count: steps, or epochs (samples seen / train-set size). */
export type TimeAxis = (typeof TIME_AXES)[number];

/** What a link put on screen, and what had to be repaired in it. */
export interface LinkState extends LinkContent {
  /** Human-readable list of what had to be repaired in the link (empty for a clean link). */
  problems: string[];
}

/** What a read link puts on screen, without its problems: what linkQuery writes back from. */
export const linkContentOf = ({ problems: _, ...content }: LinkState): LinkContent => content;

export function readLink(search: string): LinkState {
  const parsed = configFromQuery(search);
  const params = new URLSearchParams(search);
  const problems = parsed.problems.map((p) => p.message);
  let backendChoice: BackendChoice = 'auto';
  const backendText = params.get('backend');
  if (backendText !== null) {
    if ((BACKEND_CHOICES as readonly string[]).includes(backendText)) backendChoice = backendText as BackendChoice;
    else problems.push(`backend: ${JSON.stringify(backendText.slice(0, 20))} is not one of ${BACKEND_CHOICES.join(', ')}; using auto`);
  }
  let preset = parsed.preset;
  if (preset !== null && !findPreset(preset)) {
    problems.push(`preset: ${JSON.stringify(preset.slice(0, 30))} is not a known demo; ignored`);
    preset = null;
  }
  let timeAxis: TimeAxis = 'step';
  const xText = params.get('x');
  if (xText !== null) {
    if ((TIME_AXES as readonly string[]).includes(xText)) timeAxis = xText as TimeAxis;
    else problems.push(`x: ${JSON.stringify(xText.slice(0, 20))} is not one of ${TIME_AXES.join(', ')}; using step`);
  }
  const sweep = sweepFromParams(params, parsed.config);
  problems.push(...sweep.problems);
  const presentText = params.get('present');
  const present = presentText === '1';
  if (presentText !== null && presentText !== '0' && presentText !== '1') problems.push(`present: ${JSON.stringify(presentText.slice(0, 20))} is not 1 or 0; not presenting`);
  return { config: parsed.config, backendChoice, play: parsed.play, compare: parsed.compare, preset, timeAxis, sweep: sweep.sweep, present, problems: summarised(problems) };
}

/** Problems listed at most: a hostile link can hold ten thousand of them. */
export const MAX_LISTED_PROBLEMS = 8;
const MAX_PROBLEM_CHARS = 160;

/** The first few problems, each cut short, and how many more there were. */
function summarised(problems: string[]): string[] {
  const cut = (p: string) => (p.length > MAX_PROBLEM_CHARS ? `${p.slice(0, MAX_PROBLEM_CHARS - 3)}...` : p);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(cut);
  return problems.length > MAX_LISTED_PROBLEMS ? [...listed, `and ${problems.length - MAX_LISTED_PROBLEMS} more`] : listed;
}

export function linkQuery(l: LinkContent): string {
  const query = configToQuery(l.config, { play: l.play, compare: l.compare, preset: l.preset });
  const sweep = sweepToParams(l.sweep, l.config);
  return query + (l.backendChoice === 'auto' ? '' : `&backend=${l.backendChoice}`) + (l.timeAxis === 'step' ? '' : `&x=${l.timeAxis}`) + (sweep ? `&${sweep}` : '') + (l.present ? '&present=1' : '');
}
