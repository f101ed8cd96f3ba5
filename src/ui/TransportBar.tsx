// Play, Pause, Step, Reset and Copy link.

import { useState } from 'react';
import { pause, play, reset, stepOnce } from '../state/controller';
import { lab, useLab } from '../state/store';
import { linkUrl } from '../state/url';

export function TransportBar() {
  const status = useLab((s) => s.status);
  const [copied, setCopied] = useState('');
  const running = status === 'running';
  const copy = async () => {
    const { config, backendChoice, compare, presetId } = lab.get();
    const url = linkUrl({ config, backendChoice, play: true, compare, preset: presetId });
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
      <button type="button" className="primary" onClick={play} disabled={running}>Play</button>
      <button type="button" onClick={pause} disabled={!running}>Pause</button>
      <button type="button" onClick={stepOnce} disabled={running}>Step</button>
      <button type="button" onClick={reset}>Reset</button>
      <button type="button" onClick={copy}>Copy link</button>
      <span className="muted" role="status" aria-live="polite">{copied}</span>
    </div>
  );
}
