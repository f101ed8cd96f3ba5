// The lab: settings on the left; numbers, spectra, rank curves and learning curves
// on the right, all on one 1366x768 screen.

import { useDeferredValue, useMemo } from 'react';
import { useLab, lab } from '../state/store';
import { RankChart, SpectrumChart, TrainingChart } from './charts';
import { ControlsPanel } from './controls/ControlsPanel';
import { Notices } from './Notices';
import { MechanismPanel } from './MechanismPanel';
import { NumbersPanel } from './NumbersPanel';
import { DemoPicker } from './DemoPicker';
import { describeMain, describeOverrides } from '../core/config/presets';
import { TransportBar } from './TransportBar';
import { setSweep, setTimeAxis } from '../state/controller';
import { SweepView } from './sweep/SweepView';
import type { View } from '../core/sweep/link';
import { ShortcutHelp } from './ShortcutHelp';
import { toggleFullScreen } from './actions';
import { useShortcuts } from './useShortcuts';

/** The lab or its sweeps: two tabs, the choice kept in the link. */
function ViewSwitch({ view }: { view: View }) {
  return (
    <div className="view-switch" role="tablist" aria-label="View">
      <button type="button" role="tab" aria-selected={view === 'lab'} onClick={() => setSweep({ view: 'lab' })}>Lab</button>
      <button type="button" role="tab" aria-selected={view === 'sweep'} onClick={() => setSweep({ view: 'sweep' })}>Sweeps</button>
    </div>
  );
}

/** Plot height that fits two rows of charts, the numbers and the header on a 768-pixel screen. */
const CHART_HEIGHT = 200;

const selectLayer = (name: string) => lab.set({ selectedLayer: name });

export function App() {
  // Charts get deferred values: React renders them in interruptible background work, so a
  // chart update never blocks the page (the store's own updates are synchronous).
  const spectrum = useDeferredValue(useLab((s) => s.chart.spectrum));
  const rankHistory = useDeferredValue(useLab((s) => s.chart.rank));
  const trainingHistory = useDeferredValue(useLab((s) => s.chart.training));
  const comparisonHistory = useDeferredValue(useLab((s) => s.chart.comparison));
  // Strings, not the config: a slider tick that leaves the labels alone re-renders no chart.
  const comparisonLabel = useLab((s) => (s.compare ? describeOverrides(s.compare) : null));
  const mainLabel = useLab((s) => (s.compare ? describeMain(s.config, s.compare) : ''));
  const comparison = useMemo(
    () => (comparisonLabel !== null ? { label: comparisonLabel, mainLabel, history: comparisonHistory } : undefined),
    [comparisonLabel, mainLabel, comparisonHistory],
  );
  const xAxis = useLab((s) => s.xAxis);
  const view = useLab((s) => s.sweep.view);
  const selectedLayer = useLab((s) => s.selectedLayer);
  const eps = useLab((s) => s.config.eps);
  const layers = spectrum?.layers;
  const layerNames = useMemo(() => layers?.map((l) => l.name) ?? [], [layers]);
  const maxRanks = useMemo(() => layers?.map((l) => Math.min(...l.shape)) ?? [], [layers]);
  useShortcuts();
  return (
    <div className="lab">
      <header className="top">
        <h1 title="SGD with weight decay lowers the rank of every weight matrix">RankLab</h1>
        <ViewSwitch view={view} />
        {view === 'lab' && <TransportBar />}
        {view === 'lab' && <DemoPicker />}
        {view === 'lab' && (
          <label className="axis-toggle">
            <input type="checkbox" checked={xAxis === 'epoch'} onChange={(e) => setTimeAxis(e.target.checked ? 'epoch' : 'step')} /> Epochs on time axes
          </label>
        )}
        <span className="top-end">
          <button type="button" className="small" onClick={toggleFullScreen} title="Full screen (F)">Full screen</button>
          <button type="button" className="small" onClick={() => lab.set({ helpOpen: true })} title="Keyboard shortcuts (?)">Keys</button>
        </span>
      </header>
      <ShortcutHelp />
      <ControlsPanel />
      <main className="main">
        <Notices />
        {view === 'sweep' ? <SweepView /> : (
          <>
            <NumbersPanel />
            <div className="charts">
              <SpectrumChart layers={layers ?? []} eps={eps} selected={selectedLayer} onSelect={selectLayer} height={CHART_HEIGHT} />
              <RankChart history={rankHistory} comparison={comparison} layerNames={layerNames} maxRanks={maxRanks} xAxis={xAxis} height={CHART_HEIGHT} />
              <TrainingChart history={trainingHistory} comparison={comparison} xAxis={xAxis} height={CHART_HEIGHT} />
              <MechanismPanel />
            </div>
          </>
        )}
      </main>
    </div>
  );
}
