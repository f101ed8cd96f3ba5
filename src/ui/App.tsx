// The lab: settings on the left; numbers, spectra, rank curves and learning curves
// on the right, all on one 1366x768 screen.

import { useMemo } from 'react';
import { useLab, lab } from '../state/store';
import { RankChart, SpectrumChart, TrainingChart } from './charts';
import { ControlsPanel } from './controls/ControlsPanel';
import { Notices } from './Notices';
import { NumbersPanel } from './NumbersPanel';
import { TransportBar } from './TransportBar';

export function App() {
  const latest = useLab((s) => s.latest);
  const history = useLab((s) => s.history);
  const xAxis = useLab((s) => s.xAxis);
  const selectedLayer = useLab((s) => s.selectedLayer);
  const eps = useLab((s) => s.config.eps);
  const layers = latest?.layers;
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
          <RankChart history={history} layerNames={layerNames} maxRanks={maxRanks} xAxis={xAxis} />
          <TrainingChart history={history} xAxis={xAxis} />
        </div>
      </main>
    </div>
  );
}
