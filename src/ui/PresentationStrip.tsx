// Presentation mode's controls: transport, the demo picker and the three live sliders in one
// strip above charts that fill the screen, with the view's controls (epochs, full screen, the
// keys); everything else is one key (P) away.

import { applyConfig, setPresenting } from '../state/controller';
import { useLab } from '../state/store';
import { FieldSlider } from './controls/FieldSlider';
import { DemoPicker } from './DemoPicker';
import { TransportBar } from './TransportBar';
import { FullScreenButton, ShortcutsButton, TimeAxisToggle } from './ViewControls';

export function PresentationStrip() {
  const config = useLab((s) => s.config);
  return (
    <header className="strip" aria-label="Presentation controls">
      <div className="strip-row">
        <TransportBar />
        <DemoPicker />
        <span className="strip-end">
          <FullScreenButton compact />
          <ShortcutsButton compact />
          <button type="button" className="small" onClick={() => setPresenting(false)} title="Back to all settings (P)" aria-label="Exit presentation">Exit</button>
        </span>
      </div>
      <div className="strip-row strip-sliders">
        <FieldSlider field="batchSize" value={config.batchSize} onChange={(batchSize) => applyConfig({ batchSize })} />
        <FieldSlider field="learningRate" value={config.learningRate} onChange={(learningRate) => applyConfig({ learningRate })} />
        <FieldSlider field="weightDecay" value={config.weightDecay} valueText={config.weightDecay === 0 ? '0 (off)' : undefined} onChange={(weightDecay) => applyConfig({ weightDecay })} />
        <TimeAxisToggle label="Epochs" />
      </div>
    </header>
  );
}
