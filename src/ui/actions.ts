// The lab's commands, each one registered object: its label, the keys that run it, when it
// applies and what it does. The keyboard handler (useShortcuts) and the help overlay both read
// this list, so a shortcut cannot exist without its line in the help, and every command here
// also has a control on screen (named in `control`).

import { PRESETS } from '../core/config/presets';
import { applyPreset, pause, play, reset, setPresenting, setTimeAxis, stepOnce } from '../state/controller';
import { lab } from '../state/store';

export interface Action {
  id: string;
  /** What it does, as the help overlay says it. */
  label: string;
  /** The keys, as the help overlay shows them. */
  keys: string[];
  /** The control on screen that does the same. */
  control: string;
  matches(e: KeyboardEvent): boolean;
  /** False where it does not apply (another view, an overlay open): the key then does nothing. */
  available(): boolean;
  perform(e: KeyboardEvent): void;
}

/** The shortcuts' list or the Recent runs list covers the lab. */
const listOpen = () => lab.get().helpOpen || lab.get().recentOpen;
const inLab = () => lab.get().sweep.view === 'lab' && !listOpen();
const key = (...names: string[]) => (e: KeyboardEvent) => names.includes(e.key);

/** Full screen for the whole page, or back; false where the browser refuses it. */
export function toggleFullScreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen?.();
  else void document.documentElement.requestFullscreen?.().catch(() => lab.notify('info', 'This browser did not allow full screen here.'));
}

export const ACTIONS: readonly Action[] = [
  {
    id: 'play-pause', label: 'Play or pause', keys: ['Space'], control: 'Play / Pause',
    matches: key(' '), available: inLab,
    perform: () => (lab.get().status === 'running' ? pause() : play()),
  },
  {
    id: 'step', label: 'One step (one snapshot interval)', keys: ['→', '.'], control: 'Step',
    matches: key('ArrowRight', '.'), available: () => inLab() && lab.get().status !== 'running',
    perform: () => stepOnce(),
  },
  {
    id: 'reset', label: 'Reset the run', keys: ['R'], control: 'Reset',
    matches: key('r', 'R'), available: inLab,
    perform: () => reset(),
  },
  {
    id: 'time-axis', label: 'Steps or epochs on the time axes', keys: ['E'], control: 'Epochs on time axes',
    matches: key('e', 'E'), available: inLab,
    perform: () => setTimeAxis(lab.get().timeAxis === 'step' ? 'epoch' : 'step'),
  },
  {
    id: 'present', label: 'Presentation mode, or back', keys: ['P'], control: 'Presentation mode / Exit presentation',
    matches: key('p', 'P'), available: () => !listOpen(),
    perform: () => setPresenting(!lab.get().presenting),
  },
  {
    id: 'full-screen', label: 'Full screen', keys: ['F'], control: 'Full screen',
    matches: key('f', 'F'), available: () => !listOpen(),
    perform: () => toggleFullScreen(),
  },
  {
    id: 'demo', label: `Demo 1-${Math.min(9, PRESETS.length)}, in the picker's order`, keys: ['1', '…', String(Math.min(9, PRESETS.length))], control: 'Demo',
    matches: (e) => /^[1-9]$/.test(e.key) && Number(e.key) <= PRESETS.length, available: inLab,
    perform: (e) => applyPreset(PRESETS[Number(e.key) - 1].id),
  },
  {
    id: 'help', label: 'These shortcuts', keys: ['?'], control: 'Keys',
    matches: key('?'), available: () => true,
    perform: () => lab.set({ helpOpen: !lab.get().helpOpen, recentOpen: false }),
  },
  {
    id: 'close', label: 'Close this list (or Recent runs)', keys: ['Esc'], control: 'Close',
    matches: key('Escape'), available: listOpen,
    perform: () => lab.set({ helpOpen: false, recentOpen: false }),
  },
];

/**
 * True while the person is typing or working a control that owns the key: a text or number field,
 * a select, a slider (its arrows move it), anything editable. Buttons and checkboxes own Space and
 * Enter (the browser presses them), so those keys are theirs too.
 */
export function keyBelongsToTarget(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) {
    if (t.type === 'checkbox' || t.type === 'radio' || t.type === 'button') return e.key === ' ' || e.key === 'Enter';
    return true;
  }
  if (t instanceof HTMLButtonElement || t.getAttribute('role') === 'tab') return e.key === ' ' || e.key === 'Enter';
  return false;
}

/** The action a key press runs, or null (modifier keys held, the key belongs to a field, or nothing applies). */
export function actionFor(e: KeyboardEvent): Action | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return null;
  if (keyBelongsToTarget(e)) return null;
  return ACTIONS.find((a) => a.matches(e) && a.available()) ?? null;
}
