// Controls of the view rather than of the run, shown both in the lab's header and in presentation
// mode's strip: each is also a key (actions.ts), and a shortcut must have a control on screen in
// either mode.

import { setTimeAxis } from '../state/controller';
import { lab, useLab } from '../state/store';
import { toggleFullScreen } from './actions';

export function TimeAxisToggle({ label = 'Epochs on time axes' }: { label?: string }) {
  const timeAxis = useLab((s) => s.timeAxis);
  return (
    <label className="axis-toggle" title="Steps or epochs on the time axes (E)">
      <input type="checkbox" checked={timeAxis === 'epoch'} onChange={(e) => setTimeAxis(e.target.checked ? 'epoch' : 'step')} /> {label}
    </label>
  );
}

/** Four corners (a drawing: the full-screen characters of Unicode are missing from common fonts). */
const FULL_SCREEN_ICON = (
  <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" style={{ verticalAlign: '-2px' }}>
    <path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9" fill="none" stroke="currentColor" strokeWidth="1.8" />
  </svg>
);

/** `compact`: a symbol in presentation mode's strip, named for screen readers and in its tooltip. */
export function FullScreenButton({ compact = false }: { compact?: boolean }) {
  return <button type="button" className="small" onClick={toggleFullScreen} title="Full screen (F)" aria-label="Full screen">{compact ? FULL_SCREEN_ICON : 'Full screen'}</button>;
}

export function ShortcutsButton({ compact = false }: { compact?: boolean }) {
  return <button type="button" className="small" onClick={() => lab.set({ helpOpen: true, recentOpen: false })} title="Keyboard shortcuts (?)" aria-label="Keys">{compact ? '?' : 'Keys'}</button>;
}
