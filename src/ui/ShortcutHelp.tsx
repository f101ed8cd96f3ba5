// The list of keyboard shortcuts (key ?), from the same registry the keys run from.

import { useEffect, useRef } from 'react';
import { lab, useLab } from '../state/store';
import { ACTIONS } from './actions';

export function ShortcutHelp() {
  const open = useLab((s) => s.helpOpen);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (open) close.current?.focus(); }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => lab.set({ helpOpen: false })}>
      <div className="panel shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-help-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
        <table>
          <thead><tr><th>Keys</th><th>What they do</th><th>On screen</th></tr></thead>
          <tbody>
            {ACTIONS.map((a) => (
              <tr key={a.id}>
                <td>{a.keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}</td>
                <td>{a.label}</td>
                <td className="muted">{a.control}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Keys do nothing while you type in a field or work a slider.</p>
        <button ref={close} type="button" onClick={() => lab.set({ helpOpen: false })}>Close</button>
      </div>
    </div>
  );
}
