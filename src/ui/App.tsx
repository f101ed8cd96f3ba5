// The lab: settings on the left; numbers, spectra, rank curves and learning curves
// on the right, all on one 1366x768 screen.

import { useDeferredValue, useMemo } from 'react';
import { useLab, lab } from '../state/store';
import { RankChart, SpectrumChart, TrainingChart } from './charts';
import { ControlsPanel } from './controls/ControlsPanel';
import { Notices } from './Notices';
import { MechanismPanel } from './MechanismPanel';
import { NumbersPanel } from './NumbersPanel';
import { TransportBar } from './TransportBar';

export function App() {
  // Charts get deferred values: React renders them in interruptible background work, so a
  // chart update never blocks the page (the store's own updates are synchronous).
  const spectrum = useDeferredValue(useLab((s) => s.chart.spectrum));
  const rankHistory = useDeferredValue(useLab((s) => s.chart.rank));
  const trainingHistory = useDeferredValue(useLab((s) => s.chart.training));
  const xAxis = useLab((s) => s.xAxis);
  const selectedLayer = useLab((s) => s.selectedLayer);
  const eps = useLab((s) => s.config.eps);
  const layers = spectrum?.layers;
  const layerNames = useMemo(() => layers?.map((l) => l.name) ?? [], [layers]);
  const maxRanks = useMemo(() => layers?.map((l) => Math.min(...l.shape)) ?? [], [layers]);
  return (
    <div className="lab">
      <header className="top">
        <h1>RankLab <span className="subtitle">SGD + weight decay lower the rank of every weight matrix</span></h1>
        <TransportBar />
        <label className="axis-toggle">
          <input type="checkbox" checked={xAxis === 'epoch'} onChange={(e) => lab.set({ xAxis: e.target.checked ? 'epoch' : 'step' })} /> Epochs on time axes
        </label>
      </header>
      <ControlsPanel />
      <main className="main">
        <Notices />
        <NumbersPanel />
        <div className="charts">
          <SpectrumChart layers={layers ?? []} eps={eps} selected={selectedLayer} onSelect={(name) => lab.set({ selectedLayer: name })} />
          <RankChart history={rankHistory} layerNames={layerNames} maxRanks={maxRanks} xAxis={xAxis} />
          <TrainingChart history={trainingHistory} xAxis={xAxis} />
          <MechanismPanel />
        </div>
      </main>
    </div>
  );
}
