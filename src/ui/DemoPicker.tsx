// The paper's claims as ready-made demos: picking one loads its settings (and its
// comparison run) and restarts; its caption says what to look for.

import { useMemo } from 'react';
import { matchingPreset, PRESETS } from '../core/config/presets';
import { applyPreset } from '../state/controller';
import { useLab } from '../state/store';

export function DemoPicker() {
  // A demo chosen, or else the demo these settings happen to be (the default link is "Lecture default").
  // Matched once per change of the settings, not in the selector: the store changes with every
  // message from the worker, and matching serialises every demo (8 ms a second while training).
  const chosen = useLab((s) => s.presetId);
  const config = useLab((s) => s.config);
  const compare = useLab((s) => s.compare);
  const matched = useMemo(() => (chosen ? null : matchingPreset(config, compare)), [chosen, config, compare]);
  const presetId = chosen ?? matched;
  return (
    <label className="demo-picker">
      Demo{' '}
      <select value={presetId ?? ''} onChange={(e) => e.target.value && applyPreset(e.target.value)}>
        <option value="" disabled>(custom settings)</option>
        {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
      </select>
    </label>
  );
}
