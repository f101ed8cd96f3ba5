// The paper's claims as ready-made demos: picking one loads its settings (and its
// comparison run) and restarts; its caption says what to look for.

import { matchingPreset, PRESETS } from '../core/config/presets';
import { applyPreset } from '../state/controller';
import { useLab } from '../state/store';

export function DemoPicker() {
  // A demo chosen, or else the demo these settings happen to be (the default link is "Lecture default").
  const presetId = useLab((s) => s.presetId ?? matchingPreset(s.config, s.compare));
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
