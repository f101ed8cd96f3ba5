// Play, Pause, Step, Reset and Copy link.

import { useState } from 'react';
import { currentLink, pause, play, reset, stepOnce } from '../state/controller';
import { useLab } from '../state/store';
import { linkUrl } from '../state/url';

export function TransportBar() {
  const status = useLab((s) => s.status);
  const [copied, setCopied] = useState('');
  const running = status === 'running';
  const copy = async () => {
    const url = linkUrl(currentLink(true));
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied');
    } catch {
      setCopied('Copy failed: the link is in the address bar');
    }
    window.setTimeout(() => setCopied(''), 2500);
  };
  return (
    <div className="transport" role="toolbar" aria-label="Training">
      <TransportButton label="Play" className="primary" unavailable={running} action={play} />
      {/* Pause also while a run is being built: a Play pressed then is called off. */}
      <TransportButton label="Pause" unavailable={!running && status !== 'loading'} action={pause} />
      <TransportButton label="Step" unavailable={running} action={stepOnce} />
      <button type="button" onClick={reset}>Reset</button>
      <button type="button" onClick={copy}>Copy link</button>
      <span className="muted" role="status" aria-live="polite">{copied}</span>
    </div>
  );
}

/**
 * aria-disabled, not disabled: pressing Play makes Play unavailable, and a disabled button
 * would drop the keyboard focus to the page body. This one keeps focus (and says it is
 * unavailable to screen readers); a press while unavailable does nothing.
 */
function TransportButton({ label, className, unavailable, action }: { label: string; className?: string; unavailable: boolean; action: () => void }) {
  return (
    <button type="button" className={className} aria-disabled={unavailable} onClick={() => { if (!unavailable) action(); }}>
      {label}
    </button>
  );
}
